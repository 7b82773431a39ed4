import type { ComponentChildren } from 'preact';
import { HONEYPOT_FIELD } from '../http/honeypot.ts';
import type { FieldError } from '../http/forms.ts';
import { LOCALE_INFO, LOCALES } from '../i18n/locales.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { PageContext } from './context.ts';

/**
 * What kind of field a control is. A field left empty ('required') is told what to do in its own
 * kind's words ("Choose one", "Tick this box to continue", "Enter a date" …), as GOV.UK's error
 * messages are, whatever form it is on.
 */
export type FieldKind = 'text' | 'email' | 'date' | 'time' | 'number' | 'choice' | 'checkbox' | 'checkboxes' | 'file' | 'consent';

/** The code of the message for a field of this kind: the one place the words follow from the kind. */
function kindError(error: FieldError, kind: FieldKind | undefined): FieldError {
  return error === 'required' && kind && kind !== 'text' ? `required_${kind}` : error;
}

/**
 * The kinds of the fields of the page being rendered, by element id, so that the error summary at
 * the top uses each field's own words too (see renderWithFieldKinds).
 */
let rendering: { kinds: Map<string, FieldKind>; pass: number; unknown: boolean } | undefined;

/**
 * Renders a page knowing its fields' kinds. Rendering is synchronous, so the page being rendered is
 * the only one. The summary comes before its fields: if it met a field left empty whose kind it did
 * not know yet, the page (only then: a form shown again with a problem) is rendered a second time.
 */
export function renderWithFieldKinds(render: () => string): string {
  const outer = rendering;
  rendering = { kinds: new Map(), pass: 1, unknown: false };
  try {
    const html = render();
    if (!rendering.unknown) return html;
    rendering.pass = 2;
    return render();
  } finally {
    rendering = outer;
  }
}

/** The message for a field's error, in the visitor's language; given the field's kind, in its kind's words. */
export function errorText(ctx: PageContext, error: FieldError, kind?: FieldKind): string {
  return ctx.t(`form.error.${kindError(error, kind)}` as MessageKey & `form.error.${string}`);
}

/**
 * The message beside a field (the control with this id), in its kind's words. Every field's message
 * comes from here, platform components and a module's own controls alike.
 */
export function fieldMessage(ctx: PageContext, id: string, error: FieldError, kind: FieldKind): string {
  rendering?.kinds.set(id, kind);
  return errorText(ctx, error, kind);
}

/** A field's kind as the summary knows it: from the field once it has been rendered. */
function summaryKind(id: string, error: FieldError): FieldKind | undefined {
  const kind = rendering?.kinds.get(id);
  if (kind === undefined && error === 'required' && rendering?.pass === 1) rendering.unknown = true;
  return kind;
}

/** The kind of a text field, from its type and keyboard. */
function textKind(type: FieldProps['type'], inputmode: FieldProps['inputmode']): FieldKind {
  if (type === 'email' || type === 'date' || type === 'time') return type;
  return inputmode === 'numeric' || inputmode === 'decimal' ? 'number' : 'text';
}

/** A POST form with its CSRF token. */
export function Form({ ctx, action, children, class: className }: { ctx: PageContext; action: string; children: ComponentChildren; class?: string }) {
  return (
    <form method="post" action={action} class={className} novalidate>
      <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
      {children}
    </form>
  );
}

/** The list of problems at the top of a form, each linking to its field (announced on load). */
export function ErrorSummary({ ctx, errors, labels }: { ctx: PageContext; errors: Partial<Record<string, FieldError>>; labels: Record<string, string> }) {
  const entries = Object.entries(errors).filter((e): e is [string, FieldError] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{ctx.t('form.errorSummary')}</h2>
      <ul>
        {entries.map(([field, error]) => (
          <li>
            <a href={`#field-${field}`}>
              {labels[field] ? `${labels[field]}: ` : ''}
              {errorText(ctx, error, summaryKind(`field-${field}`, error))}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  value?: string;
  error?: FieldError | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'time';
  autocomplete?: string;
  inputmode?: 'numeric' | 'decimal' | 'text';
  /** The language of the text typed in, when it is fixed (one field per language). */
  lang?: string;
  /** Needed when a page has several forms with the same field (default: field-<name>). */
  id?: string;
}

/**
 * A field's frame: its label, hint and error message, and the ids that tie them to the control
 * (`aria-describedby`), shared by every kind of field.
 */
function FieldFrame({
  ctx,
  id,
  label,
  hint,
  error,
  kind,
  children,
}: {
  ctx: PageContext;
  id: string;
  label: string;
  hint?: string | undefined;
  error?: FieldError | undefined;
  kind: FieldKind;
  children: (described: string | undefined) => ComponentChildren;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {fieldMessage(ctx, id, error, kind)}
        </p>
      )}
      {children(described)}
    </div>
  );
}

export function TextField({ ctx, name, label, value, error, hint, type = 'text', autocomplete, inputmode, lang, id: givenId }: FieldProps) {
  const id = givenId ?? `field-${name}`;
  return (
    <FieldFrame ctx={ctx} id={id} label={label} hint={hint} error={error} kind={textKind(type, inputmode)}>
      {(described) => (
        <input
          id={id}
          name={name}
          type={type as 'text'}
          value={type === 'password' ? undefined : value}
          autocomplete={autocomplete}
          inputMode={inputmode}
          lang={lang}
          aria-describedby={described}
          aria-invalid={error ? 'true' : undefined}
        />
      )}
    </FieldFrame>
  );
}

type SelectOption = { value: string; label: string; lang?: string };

/** A choice of options, or of options in groups (`<optgroup>`; empty groups are left out), with an optional empty first option. */
export function SelectField({
  ctx,
  name,
  label,
  value,
  error,
  hint,
  blank,
  options = [],
  groups = [],
  id: givenId,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string;
  error?: FieldError | undefined;
  hint?: string;
  /** The label of the empty first option, if there is one. */
  blank?: string;
  options?: SelectOption[];
  groups?: { label: string; options: SelectOption[] }[];
  id?: string;
}) {
  const id = givenId ?? `field-${name}`;
  const list = (items: SelectOption[]) =>
    items.map((o) => (
      <option value={o.value} selected={o.value === value} lang={o.lang}>
        {o.label}
      </option>
    ));
  return (
    <FieldFrame ctx={ctx} id={id} label={label} hint={hint} error={error} kind="choice">
      {(described) => (
        <select id={id} name={name} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
          {blank !== undefined && <option value="">{blank}</option>}
          {list(options)}
          {groups
            .filter((g) => g.options.length > 0)
            .map((g) => (
              <optgroup label={g.label}>{list(g.options)}</optgroup>
            ))}
        </select>
      )}
    </FieldFrame>
  );
}

/** A choice of the platform's three languages, each named in itself. */
export function LocaleField({ ctx, label, value, error }: { ctx: PageContext; label: string; value: string | undefined; error?: FieldError | undefined }) {
  return (
    <SelectField
      ctx={ctx}
      name="locale"
      label={label}
      value={value || ctx.locale}
      error={error}
      options={LOCALES.map((l) => ({ value: l, label: LOCALE_INFO[l].autonym, lang: LOCALE_INFO[l].htmlLang }))}
    />
  );
}

/** A one-line message after an action ("Your password has been changed"). */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

export function TextArea({ ctx, name, label, value, error, hint, lang, rows = 6, id: givenId }: Omit<FieldProps, 'type' | 'autocomplete' | 'inputmode'> & { rows?: number }) {
  const id = givenId ?? `field-${name}`;
  return (
    <FieldFrame ctx={ctx} id={id} label={label} hint={hint} error={error} kind="text">
      {(described) => (
        <textarea id={id} name={name} rows={rows} lang={lang} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
          {value}
        </textarea>
      )}
    </FieldFrame>
  );
}

/**
 * One text in the platform's three languages: a group of three fields (titleHant, titleHans, titleEn),
 * each marked with its language. One language is enough unless the caller says otherwise.
 */
export function LocalizedFields({
  ctx,
  prefix,
  legend,
  values,
  errors,
  hint,
  multiline = false,
}: {
  ctx: PageContext;
  prefix: string;
  legend: string;
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
  hint?: string;
  multiline?: boolean;
}) {
  const groupError = errors[`${prefix}Hant`];
  return (
    <fieldset class={groupError ? 'localized field-error' : 'localized'}>
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      {(['Hant', 'Hans', 'En'] as const).map((suffix) => {
        const locale = suffix === 'Hant' ? 'zh-Hant' : suffix === 'Hans' ? 'zh-Hans' : 'en';
        const name = `${prefix}${suffix}`;
        const props = { ctx, name, label: LOCALE_INFO[locale].autonym, value: values[name] ?? '', error: errors[name], lang: LOCALE_INFO[locale].htmlLang };
        return multiline ? <TextArea {...props} rows={5} /> : <TextField {...props} />;
      })}
    </fieldset>
  );
}

/** A set of checkboxes sharing one name (several may be ticked). */
export function CheckboxList({
  ctx,
  name,
  legend,
  options,
  checked,
  error,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  checked: readonly string[];
  error?: FieldError | undefined;
}) {
  return (
    <fieldset class={error ? 'checkboxes field-error' : 'checkboxes'} id={`field-${name}`}>
      <legend>{legend}</legend>
      {error && (
        <p class="error-message" id={`field-${name}-error`}>
          {fieldMessage(ctx, `field-${name}`, error, 'checkboxes')}
        </p>
      )}
      {options.map((o) => (
        <div class="checkbox">
          <input type="checkbox" id={`field-${name}-${o.value}`} name={name} value={o.value} checked={checked.includes(o.value)} />
          <label for={`field-${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** A choice of a few options shown at once, each with an optional hint (ids start with `id`, default field-<name>). */
export function RadioList({
  ctx,
  name,
  legend,
  value,
  error,
  options,
  id = `field-${name}`,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  value: string;
  error?: FieldError | undefined;
  options: { value: string; label: string; hint?: string }[];
  id?: string;
}) {
  return (
    <fieldset class={error ? 'radios field-error' : 'radios'} id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {fieldMessage(ctx, id, error, 'choice')}
        </p>
      )}
      {options.map((o) => (
        <div class="radio">
          <input type="radio" id={`${id}-${o.value}`} name={name} value={o.value} checked={o.value === value} aria-describedby={o.hint ? `${id}-${o.value}-hint` : undefined} />
          <label for={`${id}-${o.value}`}>{o.label}</label>
          {o.hint && (
            <p class="hint" id={`${id}-${o.value}-hint`}>
              {o.hint}
            </p>
          )}
        </div>
      ))}
    </fieldset>
  );
}

/**
 * One box to tick: a yes to something ('checkbox'), or agreement to a statement of how personal data
 * is used ('consent'). Its value is 'yes' when ticked.
 */
export function CheckboxField({
  ctx,
  name,
  label,
  checked,
  error,
  kind = 'checkbox',
}: {
  ctx: PageContext;
  name: string;
  label: ComponentChildren;
  checked: boolean;
  error?: FieldError | undefined;
  kind?: 'checkbox' | 'consent';
}) {
  const id = `field-${name}`;
  return (
    <div class={error ? 'field field-error checkbox' : 'field checkbox'}>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {fieldMessage(ctx, id, error, kind)}
        </p>
      )}
      <input type="checkbox" id={id} name={name} value="yes" checked={checked} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? 'true' : undefined} />
      <label for={id}>{label}</label>
    </div>
  );
}

/** The trap field of public forms (see platform/http/honeypot.ts): off screen, out of the tab order, labelled for anyone who reaches it. */
export function HoneypotField({ ctx, value }: { ctx: PageContext; value?: string }) {
  return (
    <div class="trap">
      <label for={`field-${HONEYPOT_FIELD}`}>{ctx.t('form.honeypot')}</label>
      <input id={`field-${HONEYPOT_FIELD}`} name={HONEYPOT_FIELD} type="text" value={value ?? ''} tabIndex={-1} autocomplete="off" />
    </div>
  );
}

function fileSize(size: number): string {
  if (size < 1024 * 1024) return `${Math.max(1, Math.round(size / 1024))} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Files kept from an attempt that was refused (see files/pending.ts): each sent again with the form
 * by a hidden field, and removable with its own button. Goes inside the form, beside the file input.
 */
export function PendingFiles({ ctx, field, files }: { ctx: PageContext; field: string; files: readonly { id: string; name: string; size: number }[] }) {
  if (files.length === 0) return null;
  return (
    <div class="pending-files">
      <p>{ctx.t('form.pendingFiles')}</p>
      <ul>
        {files.map((file) => (
          <li>
            <input type="hidden" name={`${field}Kept`} value={file.id} />
            {file.name} ({fileSize(file.size)}){' '}
            <button type="submit" name="removeUpload" value={file.id} class="secondary" aria-label={ctx.t('form.removeFileLabel', { name: file.name })}>
              {ctx.t('form.removeFile')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The button Enter in a text field presses (the first submit button of a form): put first in a form
 * that shows PendingFiles, so that Enter sends the form rather than removing a kept file.
 */
export function DefaultSubmit({ name, value }: { name: string; value: string }) {
  return <button type="submit" name={name} value={value} class="visually-hidden" tabIndex={-1} aria-hidden="true" />;
}
