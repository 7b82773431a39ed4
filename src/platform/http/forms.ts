import { flaggedFields, hasBadText, withoutBadText } from './text.ts';

/**
 * Reading submitted forms. Forms are never rejected wholesale: every field is checked, and the page is
 * shown again with what the person typed and a message beside each field to fix.
 */
export type FieldError = 'required' | 'too_long' | 'invalid_email' | 'invalid_choice' | 'invalid_characters' | (string & {});

export interface FieldRule {
  required?: boolean;
  maxLength?: number;
  email?: boolean;
  oneOf?: readonly string[];
  /** Passwords and codes keep their spaces; everything else is trimmed. */
  raw?: boolean;
}

export interface FormResult<F extends string> {
  values: Record<F, string>;
  errors: Partial<Record<F, FieldError>>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads a form. A field whose text held characters no field may carry (see text.ts: flagged when the
 * request arrived, or found here for a body that did not come through a request) gets
 * 'invalid_characters', and its value without them.
 */
export function readForm<F extends string>(body: unknown, rules: Record<F, FieldRule>): FormResult<F> {
  const input = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = {} as Record<F, string>;
  const errors: Partial<Record<F, FieldError>> = {};
  const flagged = flaggedFields(body);
  for (const [name, rule] of Object.entries(rules) as [F, FieldRule][]) {
    const given = input[name];
    const text = typeof given === 'string' ? given : Array.isArray(given) && typeof given[0] === 'string' ? given[0] : '';
    const bad = flagged.has(name) || hasBadText(text);
    const value = rule.raw ? withoutBadText(text) : withoutBadText(text).trim();
    values[name] = value;
    if (bad) errors[name] = 'invalid_characters';
    else if (!value) {
      if (rule.required) errors[name] = 'required';
    } else if (rule.maxLength !== undefined && value.length > rule.maxLength) errors[name] = 'too_long';
    else if (rule.email && (!EMAIL.test(value) || value.length > 254)) errors[name] = 'invalid_email';
    else if (rule.oneOf && !rule.oneOf.includes(value)) errors[name] = 'invalid_choice';
  }
  return { values, errors };
}

export function hasErrors(errors: Partial<Record<string, FieldError>>): boolean {
  return Object.values(errors).some(Boolean);
}

const LOCALE_SUFFIXES = { Hant: 'zh-Hant', Hans: 'zh-Hans', En: 'en' } as const;
type LocaleSuffix = keyof typeof LOCALE_SUFFIXES;
export type LocalizedFieldNames<P extends string> = `${P}${LocaleSuffix}`;

/** Rules for one text typed in up to three languages: fields titleHant, titleHans, titleEn. */
export function localizedRules<P extends string>(prefix: P, maxLength: number): Record<LocalizedFieldNames<P>, FieldRule> {
  return Object.fromEntries(Object.keys(LOCALE_SUFFIXES).map((suffix) => [`${prefix}${suffix}`, { maxLength }])) as Record<LocalizedFieldNames<P>, FieldRule>;
}

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
export { isDate } from './dates.ts';

/** A decimal number as people type it ("1,234.5" included); undefined if it is not one. */
export function parseNumber(value: string): number | undefined {
  const cleaned = value.replace(/[,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : undefined;
}
