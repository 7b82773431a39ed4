import type { ComponentChildren } from 'preact';
import type { FieldError } from '../http/forms.ts';
import { LOCALE_INFO, LOCALES } from '../i18n/locales.ts';
import type { MessageKey } from '../i18n/messages.ts';
import type { PageContext } from './context.ts';

/** The message for a field's error, in the visitor's language. */
export function errorText(ctx: PageContext, error: FieldError): string {
  return ctx.t(`form.error.${error}` as MessageKey & `form.error.${string}`);
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
              {errorText(ctx, error)}
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
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  inputmode?: 'numeric' | 'text';
  /** Needed when a page has several forms with the same field (default: field-<name>). */
  id?: string;
}

export function TextField({ ctx, name, label, value, error, hint, type = 'text', autocomplete, inputmode, id: givenId }: FieldProps) {
  const id = givenId ?? `field-${name}`;
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
          {errorText(ctx, error)}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type as 'text'}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        inputMode={inputmode}
        aria-describedby={described}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

export function SelectField({
  ctx,
  name,
  label,
  value,
  error,
  options,
  id: givenId,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  value: string;
  error?: FieldError | undefined;
  options: { value: string; label: string; lang?: string }[];
  id?: string;
}) {
  const id = givenId ?? `field-${name}`;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {errorText(ctx, error)}
        </p>
      )}
      <select id={id} name={name} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? 'true' : undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value} lang={o.lang}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
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
