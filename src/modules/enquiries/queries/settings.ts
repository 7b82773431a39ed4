// The settings: time limits, the cap on extensions, the warning's lead and when closed cases are purged.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';
import type { EnquiryType } from '../tables.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface Settings {
  limits: Record<EnquiryType, number>;
  extensionCap: number;
  warningLead: number;
  purgeMonths: number;
}

const DEFAULT_SETTINGS: Settings = { limits: { enquiry: 3, help: 5, complaint: 7 }, extensionCap: 20, warningLead: 1, purgeMonths: 24 };

function settingsColumns(s: Settings) {
  return { limit_enquiry: s.limits.enquiry, limit_help: s.limits.help, limit_complaint: s.limits.complaint, extension_cap: s.extensionCap, warning_lead: s.warningLead, purge_months: s.purgeMonths };
}

/** Writes the defaults unless settings exist (every start). */
export async function ensureSettings(db: Q): Promise<boolean> {
  const row = await db
    .insertInto('enquiry_settings')
    .values(settingsColumns(DEFAULT_SETTINGS))
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findSettings(db: Q): Promise<Settings> {
  const r = await db.selectFrom('enquiry_settings').selectAll().executeTakeFirst();
  if (!r) return DEFAULT_SETTINGS;
  return { limits: { enquiry: r.limit_enquiry, help: r.limit_help, complaint: r.limit_complaint }, extensionCap: r.extension_cap, warningLead: r.warning_lead, purgeMonths: r.purge_months };
}

export async function saveSettings(db: Q, s: Settings, userId: string | null, now: Date): Promise<void> {
  await db
    .updateTable('enquiry_settings')
    .set({ ...settingsColumns(s), updated_by: userId, updated_at: now })
    .where('id', '=', true)
    .execute();
}
