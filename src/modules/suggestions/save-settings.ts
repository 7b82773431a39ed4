import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { readSettings, updateSettings } from './queries.ts';

export const SETTINGS_FORM = Fields({
  purgeAfterMonths: Text(3),
});

export type SettingsFields = FieldsOf<typeof SETTINGS_FORM>;

const MIN_PURGE_MONTHS = 1;
const MAX_PURGE_MONTHS = 120;

/** A coordinator sets after how many months a closed suggestion loses its personal data. */
export async function saveSettings(options: {
  db: Kysely<Database>;
  form: FormResult<SettingsFields>;
  userId: string;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<SettingsFields, FieldError>> }> {
  const errors: Partial<Record<SettingsFields, FieldError>> = { ...options.form.errors };
  const raw = options.form.values.purgeAfterMonths;
  const months = Number(raw);
  if (raw && !(/^\d{1,3}$/.test(raw) && months >= MIN_PURGE_MONTHS && months <= MAX_PURGE_MONTHS)) errors.purgeAfterMonths = 'suggestion_invalid_months';
  if (hasErrors(errors)) return { ok: false, errors };

  await options.db.transaction().execute(async (trx) => {
    const before = await readSettings(trx);
    await updateSettings(trx, { purgeAfterMonths: months, userId: options.userId, at: options.now });
    await audit(trx, {
      actor: options.actor,
      action: 'suggestion-settings.updated',
      entity: { type: 'suggestion-settings', id: '1' },
      changes: { purgeAfterMonths: { before: before.purgeAfterMonths, after: months } },
      request: options.request,
    });
  });
  return { ok: true };
}
