import type { Kysely } from 'kysely';
import { audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { SubmitterType, SuggestionLocale } from '../../platform/db/tables/suggestions.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import { HONEYPOT_FIELD, honeypotError } from '../../platform/http/honeypot.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { receivedEmail } from '../suggestions/emails.ts';
import { insertSuggestion } from '../suggestions/queries.ts';
import { PUBLIC_FORM, readSubject, SUGGESTION_FORM } from '../suggestions/submit-suggestion.ts';
import type { EventRecord, Occurrence } from './queries.ts';
import { commitmentCode, type CommitmentInfo } from '../agreements/index.ts';

/** How long after an occurrence ends its feedback form stays open. */
export const FEEDBACK_OPEN_DAYS = 60;
const DAY_MS = 24 * 3600 * 1000;

/** The suggestion form's fields and rules, but for its subject: feedback is about the event. */
export const FEEDBACK_FORM = {
  title: SUGGESTION_FORM.title,
  body: SUGGESTION_FORM.body,
  locale: SUGGESTION_FORM.locale,
  submitterType: SUGGESTION_FORM.submitterType,
  organisation: SUGGESTION_FORM.organisation,
  name: SUGGESTION_FORM.name,
  email: SUGGESTION_FORM.email,
  consent: SUGGESTION_FORM.consent,
} as const;

export type FeedbackField = keyof typeof FEEDBACK_FORM | typeof HONEYPOT_FIELD;
export type FeedbackErrors = Partial<Record<FeedbackField, FieldError>>;

/** Whether an occurrence takes feedback now: from its end, for FEEDBACK_OPEN_DAYS days, unless cancelled. */
export type FeedbackWindow =
  | { open: true; closesAt: Date }
  | { open: false; reason: 'feedback_not_yet'; opensAt: Date }
  | { open: false; reason: 'feedback_closed'; closedAt: Date }
  | { open: false; reason: 'occurrence_cancelled' };

/** The feedback window of an occurrence; undefined when the event asks for no feedback at all (or is not public). */
export function feedbackWindow(event: EventRecord, occurrence: Occurrence, now: Date): FeedbackWindow | undefined {
  if (!event.feedback || event.status === 'draft') return undefined;
  if (occurrence.status === 'cancelled' || event.status === 'cancelled') return { open: false, reason: 'occurrence_cancelled' };
  if (occurrence.endsAt > now) return { open: false, reason: 'feedback_not_yet', opensAt: occurrence.endsAt };
  const closesAt = new Date(occurrence.endsAt.getTime() + FEEDBACK_OPEN_DAYS * DAY_MS);
  if (now >= closesAt) return { open: false, reason: 'feedback_closed', closedAt: closesAt };
  return { open: true, closesAt };
}

/** Where feedback on an occurrence comes from, as the suggestion records it: '<event reference>/<slot>'. */
export const feedbackSourceRef = (event: Pick<EventRecord, 'reference'>, occurrence: Pick<Occurrence, 'slot'>) => `${event.reference}/${occurrence.slot}`;

/**
 * Someone who took part in a symposium sends feedback after it. It enters the suggestions channel as
 * a suggestion from 'symposium-feedback', linked to the occurrence, on the event's first commitment
 * (or the topic 'other' when it serves none): the coordinators see it in their queue with its
 * source. Stored, audited and acknowledged by email as a suggestion sent through the form is.
 */
export async function sendFeedback(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  form: FormResult<Exclude<FeedbackField, typeof HONEYPOT_FIELD>>;
  body: unknown;
  commitments: readonly CommitmentInfo[];
  userId: string | null;
  /** The year of receipt, in the platform's time zone. */
  year: number;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; reference: string } | { ok: false; closed: FeedbackWindow | undefined; errors: FeedbackErrors }> {
  const { event, occurrence } = options;
  const window = feedbackWindow(event, occurrence, options.now);
  if (!window?.open) return { ok: false, closed: window, errors: {} };
  const v = options.form.values;
  const errors: FeedbackErrors = { ...options.form.errors };
  if (v.consent !== 'yes') errors.consent = 'suggestion_consent_required';
  const trap = honeypotError(options.body);
  if (trap) errors[HONEYPOT_FIELD] = trap;
  const first = event.commitmentIds[0];
  const commitment = first === undefined ? undefined : options.commitments.find((c) => c.id === first);
  const subject = readSubject(commitment ? `commitment:${commitmentCode(commitment)}` : 'topic:other', options.commitments);
  if (hasErrors(errors) || !subject) return { ok: false, closed: window, errors };

  const submitterType = v.submitterType as SubmitterType;
  const language = v.locale as SuggestionLocale;
  const sourceRef = feedbackSourceRef(event, occurrence);
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
      source: 'symposium-feedback',
      sourceRef,
      year: options.year,
    });
    // As for the form: what happened and where from, never who wrote what.
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
        source: { before: null, after: 'symposium-feedback' },
        sourceRef: { before: null, after: sourceRef },
      },
      request: { requestId: options.request.requestId },
    });
    await queueMail(trx, receivedEmail({ to: v.email, name: v.name || null, locale: language }, { reference, title: v.title }));
    return reference;
  });
  return { ok: true, reference };
}
