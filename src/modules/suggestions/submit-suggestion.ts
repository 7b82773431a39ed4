import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { SubmitterType, SuggestionLocale } from '../../platform/db/tables/suggestions.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import { HONEYPOT_FIELD, honeypotError } from '../../platform/http/honeypot.ts';
import { LOCALES } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { receivedEmail } from './emails.ts';
import { insertSuggestion } from './queries.ts';
import { SUBMITTER_TYPES } from './schemas.ts';
import { isTopic } from './topics.ts';
import { commitmentCode, type CommitmentInfo } from '../agreements/index.ts';

export const SUGGESTION_FORM = {
  /** What it is about: 'topic:<category key>' or 'commitment:<code>'. */
  subject: { required: true, maxLength: 80 },
  title: { required: true, maxLength: 200 },
  body: { required: true, maxLength: 5000 },
  locale: { required: true, oneOf: LOCALES },
  submitterType: { required: true, oneOf: SUBMITTER_TYPES },
  organisation: { maxLength: 200 },
  name: { maxLength: 100 },
  email: { required: true, email: true, maxLength: 254 },
  consent: { oneOf: ['yes'] },
} as const;

export type SuggestionFields = keyof typeof SUGGESTION_FORM | typeof HONEYPOT_FIELD;

/** Who a submission is recorded as in the audit trail: never the person, whose details are purged later. */
export const PUBLIC_FORM: Actor = { type: 'system', label: 'public form' };

/** The subject a form value names, if it names one: a topic, or a commitment of the agreement. */
export function readSubject(value: string, commitments: readonly CommitmentInfo[]): { topic: string; commitmentId: null } | { topic: null; commitmentId: number } | undefined {
  const [kind, key = ''] = value.split(':', 2);
  if (kind === 'topic' && isTopic(key)) return { topic: key, commitmentId: null };
  const commitment = kind === 'commitment' ? commitments.find((c) => commitmentCode(c) === key) : undefined;
  return commitment ? { topic: null, commitmentId: commitment.id } : undefined;
}

/**
 * Anyone sends a suggestion on a topic or a commitment. It is stored with a reference number
 * (ZJHK-S-2026-000123), and the confirmation is queued in the same transaction, in the language the
 * person chose. A filled-in honeypot is an error like any other: nothing is stored.
 */
export async function submitSuggestion(options: {
  db: Kysely<Database>;
  form: FormResult<keyof typeof SUGGESTION_FORM>;
  body: unknown;
  commitments: readonly CommitmentInfo[];
  userId: string | null;
  /** The year of receipt, in the platform's time zone. */
  year: number;
  request: RequestInfo;
}): Promise<{ ok: true; reference: string } | { ok: false; errors: Partial<Record<SuggestionFields, FieldError>> }> {
  const v = options.form.values;
  const errors: Partial<Record<SuggestionFields, FieldError>> = { ...options.form.errors };
  const subject = v.subject ? readSubject(v.subject, options.commitments) : undefined;
  if (v.subject && !subject) errors.subject = 'invalid_choice';
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
      source: 'form',
      sourceRef: null,
      year: options.year,
    });
    // The trail keeps what happened, never what the person wrote or who they are.
    await audit(trx, {
      actor: PUBLIC_FORM,
      action: 'suggestion.received',
      entity: { type: 'suggestion', id: reference },
      changes: { state: { before: null, after: 'received' }, topic: { before: null, after: subject.topic }, commitmentId: { before: null, after: subject.commitmentId }, submitterType: { before: null, after: submitterType }, language: { before: null, after: language } },
      // The request's id, not the address it came from: the trail outlives the purge of personal data.
      request: { requestId: options.request.requestId },
    });
    await queueMail(trx, receivedEmail({ to: v.email, name: v.name || null, locale: language }, { reference, title: v.title }), { about: { type: 'suggestion', id: reference } });
    return reference;
  });
  return { ok: true, reference };
}
