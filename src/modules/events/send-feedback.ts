import type { Kysely } from 'kysely';
import type { RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { FormResult } from '../../platform/http/forms.ts';
import { recordSuggestion, SUGGESTION_TEXT_FORM, type SuggestionErrors, type SuggestionOrigin, type SuggestionTextField } from '../suggestions/index.ts';
import type { EventRecord } from './queries/events.ts';
import type { Occurrence } from './queries/occurrences.ts';
import type { CommitmentInfo } from '../agreements/index.ts';

/** How long after an occurrence ends its feedback form stays open. */
const FEEDBACK_OPEN_DAYS = 60;
const DAY_MS = 24 * 3600 * 1000;

/** The suggestion form's fields and rules, but for its subject: feedback is about the event. */
export const FEEDBACK_FORM = SUGGESTION_TEXT_FORM;

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

/** Where feedback on an occurrence comes from, as the suggestion records it: a symposium, and the date '<event reference>/<slot>'. */
export const feedbackOrigin = (event: Pick<EventRecord, 'reference'>, occurrence: Pick<Occurrence, 'slot'>): SuggestionOrigin => ({
  source: 'symposium-feedback',
  ref: `${event.reference}/${occurrence.slot}`,
});

/**
 * Someone who took part in a symposium sends feedback after it. It enters the suggestions channel as
 * a suggestion from 'symposium-feedback', linked to the occurrence, on the event's first commitment
 * (or the topic 'other' when it serves none): the coordinators see it in their queue with its
 * source. Checked, stored, audited and acknowledged by email by the suggestions module, as a
 * suggestion sent through its form is.
 */
export async function sendFeedback(options: {
  db: Kysely<Database>;
  event: EventRecord;
  occurrence: Occurrence;
  form: FormResult<SuggestionTextField>;
  body: unknown;
  commitments: readonly CommitmentInfo[];
  userId: string | null;
  /** The year of receipt, in the platform's time zone. */
  year: number;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; reference: string } | { ok: false; closed: FeedbackWindow | undefined; errors: SuggestionErrors }> {
  const { event, occurrence } = options;
  const window = feedbackWindow(event, occurrence, options.now);
  if (!window?.open) return { ok: false, closed: window, errors: {} };
  const first = event.commitmentIds[0];
  const commitment = first === undefined ? undefined : options.commitments.find((c) => c.id === first);
  const result = await recordSuggestion({
    db: options.db,
    form: options.form,
    body: options.body,
    subject: commitment ? { topic: null, commitmentId: commitment.id } : { topic: 'other', commitmentId: null },
    origin: feedbackOrigin(event, occurrence),
    userId: options.userId,
    year: options.year,
    request: options.request,
  });
  return result.ok ? result : { ok: false, closed: window, errors: result.errors };
}
