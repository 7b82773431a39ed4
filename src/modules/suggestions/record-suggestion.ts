import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Email, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import { HONEYPOT_FIELD, honeypotError } from '../../platform/http/honeypot.ts';
import { LOCALES } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { receivedEmail } from './emails.ts';
import { findSuggestion, insertSuggestion, readSettings } from './queries.ts';
import { SUBMITTER_TYPES } from './schemas.ts';
import type { SubmitterType, SuggestionLocale, SuggestionSource } from './tables.ts';

/**
 * What every suggestion asks, wherever it is sent from: its text and language, who sends it, and their
 * consent. The suggestion form adds what it is about; feedback on an event is about the event.
 */
export const SUGGESTION_TEXT_FORM = Fields({
  title: Text(200),
  body: Text(5000),
  locale: Choice(LOCALES),
  submitterType: Choice(SUBMITTER_TYPES),
  organisation: Optional(Text(200)),
  name: Optional(Text(100)),
  email: Email(),
  consent: Optional(Choice(['yes'])),
});

export type SuggestionTextField = FieldsOf<typeof SUGGESTION_TEXT_FORM>;
/** A field a suggestion's form may mark wrong: those above, its subject, and the honeypot. */
type SuggestionField = SuggestionTextField | 'subject' | typeof HONEYPOT_FIELD;
export type SuggestionErrors = Partial<Record<SuggestionField, FieldError>>;

/** What a suggestion is about: a topic (a category of the knowledge base, or 'other'), or a commitment of the agreement. */
export type SuggestionSubject = { topic: string; commitmentId: null } | { topic: null; commitmentId: number };

/** Where a suggestion not sent through the suggestion form comes from: feedback at a symposium, and which date ('<event reference>/<slot>'). */
export interface SuggestionOrigin {
  source: Exclude<SuggestionSource, 'form'>;
  ref: string;
}

/** Who a submission is recorded as in the audit trail: never the person, whose details are purged later. */
const PUBLIC_FORM: Actor = { type: 'system', label: 'public form' };

/**
 * Records a suggestion someone sent: checks their consent and the honeypot beside the form's own rules,
 * then stores it with a reference number (ZJHK-S-2026-000123), audits its receipt and queues the
 * confirmation in the language the person chose, in one transaction. A filled-in honeypot is an error
 * like any other: nothing is stored. Without a subject (the form named none it knows) nothing is stored
 * either, the subject marked wrong.
 */
export async function recordSuggestion(options: {
  db: Kysely<Database>;
  /** The form as read with SUGGESTION_TEXT_FORM (and any fields of its own, such as the subject). */
  form: FormResult<SuggestionTextField>;
  /** The request's body, for the honeypot. */
  body: unknown;
  subject: SuggestionSubject | undefined;
  /** Absent: sent through the suggestion form. */
  origin?: SuggestionOrigin;
  userId: string | null;
  /** The year of receipt, in the platform's time zone. */
  year: number;
  request: RequestInfo;
}): Promise<{ ok: true; reference: string } | { ok: false; errors: SuggestionErrors }> {
  const { subject, origin } = options;
  const v = options.form.values;
  const errors: SuggestionErrors = { ...options.form.errors };
  if (!subject && !errors.subject) errors.subject = 'invalid_choice';
  if (v.consent !== 'yes') errors.consent = 'suggestion_consent_required';
  const trap = honeypotError(options.body);
  if (trap) errors[HONEYPOT_FIELD] = trap;
  if (hasErrors(errors) || !subject) return { ok: false, errors };

  const submitterType = v.submitterType as SubmitterType;
  const language = v.locale as SuggestionLocale;
  const reference = await options.db.transaction().execute(async (trx) => {
    const { reference } = await insertSuggestion(trx, {
      ...subject,
      language,
      title: v.title,
      body: v.body,
      submitterType,
      submitterName: v.name || null,
      submitterOrganisation: submitterType === 'enterprise' ? v.organisation || null : null,
      submitterEmail: v.email,
      userId: options.userId,
      source: origin?.source ?? 'form',
      sourceRef: origin?.ref ?? null,
      year: options.year,
    });
    // The trail keeps what happened and where from, never what the person wrote or who they are.
    await audit(trx, {
      actor: PUBLIC_FORM,
      action: 'suggestion.received',
      entity: { type: 'suggestion', id: reference },
      changes: {
        state: { before: null, after: 'received' },
        topic: { before: null, after: subject.topic },
        commitmentId: { before: null, after: subject.commitmentId },
        submitterType: { before: null, after: submitterType },
        language: { before: null, after: language },
        ...(origin ? { source: { before: null, after: origin.source }, sourceRef: { before: null, after: origin.ref } } : {}),
      },
      // The request's id, not the address it came from: the trail outlives the purge of personal data.
      request: { requestId: options.request.requestId },
    });
    await queueMail(trx, receivedEmail({ to: v.email, name: v.name || null, locale: language }, { reference, title: v.title }), { about: { type: 'suggestion', id: reference } });
    return reference;
  });
  return { ok: true, reference };
}

/** Whether a reference is of a suggestion recorded from that origin (for the page thanking its sender). */
export async function isRecordedFrom(db: Kysely<Database>, reference: string, origin: SuggestionOrigin): Promise<boolean> {
  const suggestion = await findSuggestion(db, reference);
  return !!suggestion && suggestion.source === origin.source && suggestion.sourceRef === origin.ref;
}

/** How many months a sender's details are kept once their suggestion is closed: what the form's privacy statement says. */
export async function purgeAfterMonths(db: Kysely<Database>): Promise<number> {
  return (await readSettings(db)).purgeAfterMonths;
}
