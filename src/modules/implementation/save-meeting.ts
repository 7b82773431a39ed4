import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue } from '../../platform/http/forms.ts';
import { findOrganisations } from '../organisations/index.ts';
import { type Meeting, type MeetingValues, saveMeeting as save } from './queries/meetings.ts';
import { MEETING_TYPES } from './schemas.ts';

export const MEETING_FORM = Fields({
  type: Choice(MEETING_TYPES),
  ...localizedFields('title', 300),
  ...localizedFields('place', 200),
  ...localizedFields('minutes', 20_000),
  heldOn: Day(),
});

export type MeetingFields = FieldsOf<typeof MEETING_FORM> | 'participants' | `decision-${number}`;

/** A decision as typed: its number, its text in any of the three languages, and perhaps a commitment. */
export interface DecisionInput {
  number: number;
  text: Partial<Record<'zh-Hant' | 'zh-Hans' | 'en', string>>;
  commitmentId: number | null;
}

/** Records a meeting (plenary, working group, symposium) with its participants, minutes and decisions. */
export async function saveMeeting(options: {
  db: Kysely<Database>;
  existing?: Meeting;
  form: FormResult<FieldsOf<typeof MEETING_FORM>>;
  participants: string[];
  decisions: DecisionInput[];
  knownCommitmentIds: Set<number>;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; id: number } | { ok: false; errors: Partial<Record<MeetingFields, FieldError>> }> {
  const v = options.form.values;
  const errors: Partial<Record<MeetingFields, FieldError>> = { ...options.form.errors };
  const title = localizedValue(v, 'title');
  if (Object.keys(title).length === 0) errors.titleHant = 'one_language_required';
  const organisations = new Set((await findOrganisations(options.db)).map((o) => o.id));
  if (options.participants.some((p) => !organisations.has(p))) errors.participants = 'unknown_organisation';
  for (const d of options.decisions) {
    if (d.commitmentId !== null && !options.knownCommitmentIds.has(d.commitmentId)) errors[`decision-${d.number}`] = 'invalid_choice';
  }
  if (hasErrors(errors)) return { ok: false, errors };

  const values: MeetingValues = {
    type: v.type as Meeting['type'],
    title,
    heldOn: v.heldOn,
    place: localizedValue(v, 'place'),
    minutes: localizedValue(v, 'minutes'),
    participants: options.participants,
    decisions: options.decisions.filter((d) => Object.keys(d.text).length > 0),
  };
  const before = options.existing;
  const id = await options.db.transaction().execute(async (trx) => {
    const saved = await save(trx, before?.id, values, options.now);
    const { id: _id, reference: _r, illustrative: _i, ...previous } = before ?? ({} as Meeting);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'meeting.updated' : 'meeting.created',
      entity: { type: 'meeting', id: saved.reference },
      changes: diff(before ? { ...previous, decisions: previous.decisions?.map(({ id: _d, ...d }) => d) } : null, { ...values }),
      request: options.request,
    });
    return saved.id;
  });
  return { ok: true, id };
}
