import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, isDate, localizedFields, localizedValue, Optional, Text } from '../../platform/http/forms.ts';
import { findMilestones, insertMilestone, type Milestone, type MilestoneValues, updateMilestone } from './queries/milestones.ts';
import { MILESTONE_STATUSES } from './schemas.ts';

export const MILESTONE_FORM = Fields({
  ...localizedFields('title', 300),
  ...localizedFields('evidence', 2000),
  dueOn: Day(),
  status: Choice(MILESTONE_STATUSES),
  metOn: Optional(Text(10)),
});

export type MilestoneFields = FieldsOf<typeof MILESTONE_FORM>;

/** Adds a milestone to an action or changes one: met and partially met milestones need the date met. */
export async function saveMilestone(options: {
  db: Kysely<Database>;
  actionId: number;
  existingId?: number;
  form: FormResult<MilestoneFields>;
  today: string;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; id: number } | { ok: false; errors: Partial<Record<MilestoneFields, FieldError>> }> {
  const v = options.form.values;
  const errors: Partial<Record<MilestoneFields, FieldError>> = { ...options.form.errors };
  const title = localizedValue(v, 'title');
  if (Object.keys(title).length === 0) errors.titleHant = 'one_language_required';
  const reached = v.status === 'met' || v.status === 'partially-met';
  if (reached && !v.metOn) errors.metOn = 'required';
  else if (v.metOn && !isDate(v.metOn)) errors.metOn = 'invalid_date';
  else if (v.metOn && v.metOn > options.today) errors.metOn = 'date_in_future';
  if (hasErrors(errors)) return { ok: false, errors };

  const values: MilestoneValues = {
    actionId: options.actionId,
    title,
    dueOn: v.dueOn,
    status: v.status as Milestone['status'],
    metOn: reached ? v.metOn : null,
    evidence: localizedValue(v, 'evidence'),
  };
  const before = options.existingId === undefined ? undefined : (await findMilestones(options.db, { ids: [options.existingId] }))[0];
  const id = await options.db.transaction().execute(async (trx) => {
    const id = before ? before.id : await insertMilestone(trx, values);
    if (before) await updateMilestone(trx, id, values, options.now);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'milestone.updated' : 'milestone.created',
      entity: { type: 'milestone', id: String(id) },
      changes: diff(before ? { ...before } : null, { ...values }),
      request: options.request,
    });
    return id;
  });
  return { ok: true, id };
}
