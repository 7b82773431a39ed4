import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, hasErrors, readForm, Text } from '../../platform/http/forms.ts';
import type { Organisation } from '../organisations/index.ts';
import { findSettings, saveSettings, type Settings } from './queries/settings.ts';
import { findTopics, setTopicAgency, type Topic } from './queries/topics.ts';

/** Each number the settings page takes, and the range it must be in. */
const SETTING_RANGES = {
  limitEnquiry: [1, 60],
  limitHelp: [1, 60],
  limitComplaint: [1, 60],
  extensionCap: [0, 120],
  warningLead: [0, 20],
  purgeMonths: [1, 120],
} as const;

export type SettingFields = keyof typeof SETTING_RANGES | `topic-${string}`;

/** The numbers, each required. */
const NUMBERS_FORM = Fields(Object.fromEntries(Object.keys(SETTING_RANGES).map((k) => [k, Text(4)])) as Record<keyof typeof SETTING_RANGES, ReturnType<typeof Text>>);

/** The form's values for the settings as they are. */
export function settingsValues(settings: Settings, topics: Topic[]): Record<string, string> {
  return {
    limitEnquiry: String(settings.limits.enquiry),
    limitHelp: String(settings.limits.help),
    limitComplaint: String(settings.limits.complaint),
    extensionCap: String(settings.extensionCap),
    warningLead: String(settings.warningLead),
    purgeMonths: String(settings.purgeMonths),
    ...Object.fromEntries(topics.map((t) => [`topic-${t.key}`, t.agencyId])),
  };
}

/**
 * Coordinators (and administrators) change the routing of topics and the rules of time limits. New
 * limits apply to cases received from then on; each change is in the audit trail.
 */
export async function saveEnquirySettings(options: {
  db: Kysely<Database>;
  body: unknown;
  agencies: Map<string, Organisation>;
  userId: string;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<SettingFields, FieldError>>; values: Record<string, string> }> {
  const { db } = options;
  const topics = await findTopics(db);
  const numbers = readForm(options.body, NUMBERS_FORM);
  const routing = readForm(options.body, Fields(Object.fromEntries(topics.map((t) => [`topic-${t.key}`, Text(64)]))));
  const errors: Partial<Record<SettingFields, FieldError>> = { ...numbers.errors, ...routing.errors };
  const value = (k: keyof typeof SETTING_RANGES) => Number(numbers.values[k]);
  for (const [key, [min, max]] of Object.entries(SETTING_RANGES) as [keyof typeof SETTING_RANGES, readonly [number, number]][]) {
    if (errors[key]) continue;
    if (!/^\d+$/.test(numbers.values[key]) || value(key) < min || value(key) > max) errors[key] = `enq_range_${min}_${max}`;
  }
  for (const t of topics) {
    const field = `topic-${t.key}` as const;
    if (!errors[field] && !options.agencies.has(routing.values[field] ?? '')) errors[field] = 'unknown_organisation';
  }
  const values = { ...numbers.values, ...routing.values };
  if (hasErrors(errors)) return { ok: false, errors, values };

  const settings: Settings = {
    limits: { enquiry: value('limitEnquiry'), help: value('limitHelp'), complaint: value('limitComplaint') },
    extensionCap: value('extensionCap'),
    warningLead: value('warningLead'),
    purgeMonths: value('purgeMonths'),
  };
  await db.transaction().execute(async (trx) => {
    const before = await findSettings(trx);
    const changes = diff({ ...before }, { ...settings });
    if (Object.keys(changes).length) {
      await saveSettings(trx, settings, options.userId, options.now);
      await audit(trx, { actor: options.actor, action: 'enquiry-settings.updated', entity: { type: 'enquiry-settings', id: 'settings' }, changes, request: options.request });
    }
    for (const t of topics) {
      const agencyId = routing.values[`topic-${t.key}`] as string;
      if (agencyId === t.agencyId) continue;
      await setTopicAgency(trx, t.key, agencyId, options.userId, options.now);
      await audit(trx, {
        actor: options.actor,
        action: 'enquiry-topic.routed',
        entity: { type: 'enquiry-topic', id: t.key },
        changes: { agency: { before: t.agencyId, after: agencyId } },
        request: options.request,
      });
    }
  });
  return { ok: true };
}
