import type { Kysely } from 'kysely';
import type { RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Fields, type FieldsOf, type FormResult, Text } from '../../platform/http/forms.ts';
import { recordSuggestion, SUGGESTION_TEXT_FORM, type SuggestionErrors, type SuggestionSubject } from './record-suggestion.ts';
import { isTopic } from './topics.ts';
import { commitmentCode, type CommitmentInfo } from '../agreements/index.ts';

export const SUGGESTION_FORM = Fields({
  /** What it is about: 'topic:<category key>' or 'commitment:<code>'. */
  subject: Text(80),
  ...SUGGESTION_TEXT_FORM.properties,
});

/** The subject a form value names, if it names one: a topic, or a commitment of the agreement. */
function readSubject(value: string, commitments: readonly CommitmentInfo[]): SuggestionSubject | undefined {
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
  form: FormResult<FieldsOf<typeof SUGGESTION_FORM>>;
  body: unknown;
  commitments: readonly CommitmentInfo[];
  userId: string | null;
  /** The year of receipt, in the platform's time zone. */
  year: number;
  request: RequestInfo;
}): Promise<{ ok: true; reference: string } | { ok: false; errors: SuggestionErrors }> {
  const { subject: value } = options.form.values;
  const subject = value ? readSubject(value, options.commitments) : undefined;
  return recordSuggestion({ db: options.db, form: options.form, body: options.body, subject, userId: options.userId, year: options.year, request: options.request });
}
