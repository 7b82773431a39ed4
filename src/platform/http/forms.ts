import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { type ValueError, ValueErrorType, Value } from '@sinclair/typebox/value';
import '../schemas.ts';
import { isDate } from './dates.ts';
import { flaggedFields, hasBadText, withoutBadText } from './text.ts';

/**
 * Reading submitted forms. A form is a TypeBox object schema, as a query string is: one property per
 * field, built with the field helpers below (`Text`, `Email`, `Day`, `Choice`, `Secret`); a field is required
 * unless wrapped in `Optional`. Forms are never rejected wholesale: every field is checked against its
 * schema, and the page is shown again with what the person typed and a message beside each field to fix.
 */
export type FieldError = 'required' | 'too_long' | 'invalid_email' | 'invalid_choice' | 'invalid_characters' | (string & {});

/** The schema of a form: its fields by name. */
export type FormSchema = TObject;
/** The names of a form's fields. */
export type FieldsOf<S extends FormSchema> = keyof S['properties'] & string;

export interface FormResult<F extends string> {
  values: Record<F, string>;
  errors: Partial<Record<F, FieldError>>;
}

// The formats 'date' and 'email' are registered with TypeBox by ../schemas.ts.

/** The schema keyword marking a field kept as typed. */
const RAW = 'x-raw';

/** A line or a passage of text, at most `maxLength` characters; trimmed. */
export const Text = (maxLength?: number) => Type.String(maxLength === undefined ? {} : { maxLength });
/** An email address. */
export const Email = (maxLength = 254) => Type.String({ format: 'email', maxLength });
/** A calendar date, YYYY-MM-DD, in the platform's range ('invalid_date' otherwise). */
export const Day = () => Type.String({ format: 'date' });
/** One of the given values (a select, radio buttons). */
export const Choice = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)));
/** A password: kept as typed, spaces included. */
export const Secret = (maxLength: number) => Type.String({ maxLength, [RAW]: true });
/** A field that may be left blank. */
export const Optional = Type.Optional;
/** A form's fields by name: `Fields({ title: Text(200), note: Optional(Text(2000)) })`. */
export const Fields = Type.Object;

/** The message for the first error TypeBox finds in a field. */
function fieldError(error: ValueError): FieldError {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'required';
    case ValueErrorType.StringMaxLength:
      return 'too_long';
    case ValueErrorType.StringFormat:
      return `invalid_${error.schema.format as string}`;
    case ValueErrorType.Union:
    case ValueErrorType.Literal:
      return 'invalid_choice';
    default:
      return 'invalid';
  }
}

/**
 * Reads a form against its schema. Each field's text is taken (the first if it repeats), cleaned of
 * characters no field may carry (see text.ts: a field that held them gets 'invalid_characters', and its
 * value without them) and trimmed unless it is a `Secret`. A field left blank is absent to the schema,
 * so a required one is 'required' and an optional one is not checked further.
 */
export function readForm<S extends FormSchema>(body: unknown, schema: S): FormResult<FieldsOf<S>> {
  type F = FieldsOf<S>;
  const input = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = {} as Record<F, string>;
  const errors: Partial<Record<F, FieldError>> = {};
  const flagged = flaggedFields(body);
  const given: Record<string, string> = {};
  for (const [name, field] of Object.entries(schema.properties) as [F, TSchema][]) {
    const raw = input[name];
    const text = typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : '';
    if (flagged.has(name) || hasBadText(text)) errors[name] = 'invalid_characters';
    const value = field[RAW] === true ? withoutBadText(text) : withoutBadText(text).trim();
    values[name] = value;
    if (value && !errors[name]) given[name] = value;
  }
  for (const error of Value.Errors(schema, given)) {
    const name = (error.path.split('/')[1] ?? '') as F;
    if (name in values && !errors[name]) errors[name] = fieldError(error);
  }
  return { values, errors };
}

export function hasErrors(errors: Partial<Record<string, FieldError>>): boolean {
  return Object.values(errors).some(Boolean);
}

const LOCALE_SUFFIXES = { Hant: 'zh-Hant', Hans: 'zh-Hans', En: 'en' } as const;
type LocaleSuffix = keyof typeof LOCALE_SUFFIXES;
export type LocalizedFieldNames<P extends string> = `${P}${LocaleSuffix}`;

/** The fields of one text typed in up to three languages (titleHant, titleHans, titleEn), each optional: spread into a form. */
export function localizedFields<P extends string>(prefix: P, maxLength: number): Record<LocalizedFieldNames<P>, ReturnType<typeof optionalText>> {
  return Object.fromEntries(Object.keys(LOCALE_SUFFIXES).map((suffix) => [`${prefix}${suffix}`, optionalText(maxLength)])) as Record<LocalizedFieldNames<P>, ReturnType<typeof optionalText>>;
}
const optionalText = (maxLength: number) => Optional(Text(maxLength));

/** The text of the three fields as stored: only the languages filled in. */
export function localizedValue<P extends string>(values: Record<string, string>, prefix: P): Partial<Record<'zh-Hant' | 'zh-Hans' | 'en', string>> {
  const text: Partial<Record<'zh-Hant' | 'zh-Hans' | 'en', string>> = {};
  for (const [suffix, locale] of Object.entries(LOCALE_SUFFIXES)) {
    const value = values[`${prefix}${suffix}`];
    if (value) text[locale] = value;
  }
  return text;
}

/** The form values of a stored text, for showing it in the three fields again. */
export function localizedFormValues<P extends string>(prefix: P, text: Partial<Record<'zh-Hant' | 'zh-Hans' | 'en', string>> | null | undefined): Record<LocalizedFieldNames<P>, string> {
  return Object.fromEntries(Object.entries(LOCALE_SUFFIXES).map(([suffix, locale]) => [`${prefix}${suffix}`, text?.[locale] ?? ''])) as Record<LocalizedFieldNames<P>, string>;
}

/** Every value of a field that may repeat (checkboxes, multiple selects), trimmed, without blanks. */
export function readList(body: unknown, name: string): string[] {
  const given = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const list = Array.isArray(given) ? given : given === undefined ? [] : [given];
  return [
    ...new Set(
      list
        .filter((v): v is string => typeof v === 'string' && !hasBadText(v))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** A real calendar date written YYYY-MM-DD, in the platform's range: the same rule as the schema of dates in query strings. */
export { isDate };

/** A decimal number as people type it ("1,234.5" included); undefined if it is not one. */
export function parseNumber(value: string): number | undefined {
  const cleaned = value.replace(/[,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : undefined;
}
