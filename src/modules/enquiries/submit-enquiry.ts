import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Email, type FieldError, Fields, type FieldsOf, type FormResult, Optional, Text } from '../../platform/http/forms.ts';
import { honeypotError } from '../../platform/http/honeypot.ts';
import { LOCALES } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import type { Organisation } from '../organisations/index.ts';
import { event, staffMails } from './case-change.ts';
import { receivedEmail } from './emails.ts';
import { insertEnquiry } from './queries/cases.ts';
import { findSettings } from './queries/settings.ts';
import { attachFiles, insertEvent } from './queries/timeline.ts';
import type { Topic } from './queries/topics.ts';
import { ENQUIRY_TYPES, MAX_TEXT } from './schemas.ts';
import { calendarOf, dueDate } from './time-limits.ts';

/** The first step: what the enquiry is about and who sent it. */
export const ENQUIRY_FORM = Fields({
  type: Choice(ENQUIRY_TYPES),
  topic: Text(64),
  subject: Text(200),
  description: Text(MAX_TEXT),
  locale: Choice(LOCALES),
  name: Text(200),
  email: Email(),
  phone: Optional(Text(40)),
});

/** The confirming step adds consent to the personal-data statement (and the files). */
export const CONSENT_FORM = Fields({ consent: Choice(['yes']) });

export type EnquiryFields = FieldsOf<typeof ENQUIRY_FORM> | FieldsOf<typeof CONSENT_FORM> | 'attachments' | 'homepage';
export type EnquiryValues = Record<FieldsOf<typeof ENQUIRY_FORM>, string>;

const PHONE = /^\+?[0-9][0-9 ()-]{5,38}$/;

/** Checks the first step's fields (and the trap field), beyond what readForm checks. */
export function checkEnquiry(form: FormResult<FieldsOf<typeof ENQUIRY_FORM>>, topics: Topic[], body: unknown): Partial<Record<EnquiryFields, FieldError>> {
  const errors: Partial<Record<EnquiryFields, FieldError>> = { ...form.errors };
  if (!errors.topic && !topics.some((t) => t.key === form.values.topic)) errors.topic = 'invalid_choice';
  if (!errors.phone && form.values.phone && !PHONE.test(form.values.phone)) errors.phone = 'enq_invalid_phone';
  const trap = honeypotError(body);
  if (trap) errors.homepage = trap;
  return errors;
}

/**
 * Receives an enquiry: routes it to its topic's agency, fixes its time limit by type and its due
 * date on the calendar of that agency's side, keeps its files, and sends the reference to the
 * citizen at once (and word of the new case to the agency's officers), all in one transaction.
 */
export async function submitEnquiry(options: {
  db: Kysely<Database>;
  values: EnquiryValues;
  topic: Topic;
  agency: Organisation;
  userId: string | null;
  /** Stores the uploaded files in the enquiry's transaction and returns their ids. */
  storeFiles(trx: Transaction<Database>): Promise<string[]>;
  today: string;
  publicUrl: string;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ id: number; reference: string; dueOn: string }> {
  const { db, values: v, topic, agency } = options;
  const type = v.type as (typeof ENQUIRY_TYPES)[number];
  const locale = v.locale as (typeof LOCALES)[number];
  const settings = await findSettings(db);
  const timeLimit = settings.limits[type];
  const dueOn = dueDate(await calendarOf(db, agency.side), { receivedOn: options.today, timeLimit, extensionDays: 0, pausedDays: 0 });
  return await db.transaction().execute(async (trx) => {
    const saved = await insertEnquiry(trx, {
      type,
      topicKey: topic.key,
      subject: v.subject,
      description: v.description,
      locale,
      name: v.name,
      email: v.email,
      phone: v.phone || null,
      userId: options.userId,
      agencyId: agency.id,
      side: agency.side,
      receivedOn: options.today,
      timeLimit,
      dueOn,
    });
    const eventId = await insertEvent(trx, saved.id, event('received', { actor: 'citizen', userId: options.userId, organisationId: null }, { to_organisation_id: agency.id }));
    const fileIds = await options.storeFiles(trx);
    await attachFiles(trx, saved.id, eventId, fileIds);
    await audit(trx, {
      actor: options.actor,
      action: 'enquiry.received',
      entity: { type: 'enquiry', id: saved.reference },
      changes: {
        type: { before: null, after: type },
        topic: { before: null, after: topic.key },
        agency: { before: null, after: agency.id },
        dueOn: { before: null, after: dueOn },
        attachments: { before: null, after: fileIds.length },
      },
      request: options.request,
    });
    const about = { type: 'enquiry', id: saved.reference };
    await queueMail(trx, receivedEmail({ citizen: { reference: saved.reference, locale, name: v.name, email: v.email }, type, agency: agency.name, timeLimit, dueOn, publicUrl: options.publicUrl }), {
      about,
    });
    for (const message of await staffMails(trx, { kind: 'new', agencyId: agency.id, reference: saved.reference, topic, dueOn, enquiryId: saved.id, publicUrl: options.publicUrl }))
      await queueMail(trx, message, { about });
    return { ...saved, dueOn };
  });
}
