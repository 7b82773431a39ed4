import type { FieldError } from './forms.ts';

/**
 * A field people never see and bots fill in. Public forms (enquiries, suggestions) render
 * `<HoneypotField>` and check `honeypotError(body)` beside their own rules: a filled-in trap is
 * shown as a field error like any other, so a person whose browser filled it by mistake loses
 * nothing and a bot gets nothing stored.
 */
export const HONEYPOT_FIELD = 'homepage';

export function honeypotError(body: unknown): FieldError | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[HONEYPOT_FIELD] : undefined;
  return typeof value === 'string' && value.trim() !== '' ? 'honeypot_filled' : undefined;
}
