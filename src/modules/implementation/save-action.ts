import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { authorize } from '../../platform/auth/authorize.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Database, Side } from '../../platform/db/schema.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue, Optional, Text } from '../../platform/http/forms.ts';
import { findOrganisations } from '../organisations/index.ts';
import { type Action, type ActionValues, findAction, findSubtreeIds, insertAction, updateAction } from './queries/actions.ts';
import { ACTION_STATUSES } from './schemas.ts';

export const ACTION_FORM = Fields({
  ...localizedFields('title', 300),
  ...localizedFields('description', 4000),
  leadHongKong: Optional(Text(64)),
  leadZhejiang: Optional(Text(64)),
  startsOn: Optional(Day()),
  endsOn: Optional(Day()),
  status: Choice(ACTION_STATUSES),
  statusReason: Optional(Text(1000)),
  parentId: Optional(Text(12)),
  decisionId: Optional(Text(12)),
});

export type ActionFields = FieldsOf<typeof ACTION_FORM> | 'partners';

/**
 * Adds an action under a commitment (or under another action), or changes one. Lead agencies must be
 * of their side, and only that side's coordinators (or administrators) may assign or change them.
 */
export async function saveAction(options: {
  db: Kysely<Database>;
  principal: Principal;
  commitmentId: number;
  existingId?: number;
  form: FormResult<Exclude<ActionFields, 'partners'>>;
  partners: string[];
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; id: number } | { ok: false; errors: Partial<Record<ActionFields, FieldError>> }> {
  const { db, form, principal } = options;
  const v = form.values;
  const errors: Partial<Record<ActionFields, FieldError>> = { ...form.errors };
  const before = options.existingId === undefined ? undefined : await findAction(db, options.existingId);
  const organisations = new Map((await findOrganisations(db)).map((o) => [o.id, o]));

  const title = localizedValue(v, 'title');
  if (Object.keys(title).length === 0) errors.titleHant = 'one_language_required';
  const leads: Record<Side, string | null> = { 'hong-kong': v.leadHongKong || null, zhejiang: v.leadZhejiang || null };
  for (const [side, field] of [
    ['hong-kong', 'leadHongKong'],
    ['zhejiang', 'leadZhejiang'],
  ] as const) {
    const lead = leads[side];
    if (lead && organisations.get(lead)?.side !== side) errors[field] = 'unknown_organisation';
    const previous = side === 'hong-kong' ? (before?.leadHongKong ?? null) : (before?.leadZhejiang ?? null);
    if (lead !== previous && !authorize(principal, 'action.assign-lead', side)) errors[field] = 'not_allowed_to_assign';
  }
  if (options.partners.some((p) => !organisations.has(p))) errors.partners = 'unknown_organisation';
  if (!errors.startsOn && !errors.endsOn && v.startsOn && v.endsOn && v.endsOn < v.startsOn) errors.endsOn = 'ends_before_start';
  if (v.status === 'discontinued' && !v.statusReason) errors.statusReason = 'reason_required';

  let parentId: number | null = before?.parentId ?? null;
  if (v.parentId) {
    parentId = Number(v.parentId);
    const parent = Number.isInteger(parentId) ? await findAction(db, parentId) : undefined;
    if (!parent || parent.commitmentId !== options.commitmentId) errors.parentId = 'unknown_action';
    else if (before && (await findSubtreeIds(db, before.id)).includes(parent.id)) errors.parentId = 'parent_cycle';
  }
  const decisionId = v.decisionId ? Number(v.decisionId) : (before?.decisionId ?? null);
  if (decisionId !== null && !Number.isInteger(decisionId)) errors.decisionId = 'invalid_choice';
  if (hasErrors(errors)) return { ok: false, errors };

  const values: ActionValues = {
    commitmentId: options.commitmentId,
    parentId,
    decisionId,
    title,
    description: localizedValue(v, 'description'),
    leadHongKong: leads['hong-kong'],
    leadZhejiang: leads.zhejiang,
    partners: options.partners,
    startsOn: v.startsOn || null,
    endsOn: v.endsOn || null,
    status: v.status as Action['status'],
    statusReason: v.status === 'discontinued' || v.statusReason ? v.statusReason || null : null,
  };
  const id = await db.transaction().execute(async (trx) => {
    const id = before ? before.id : await insertAction(trx, values, principal.user.id);
    if (before) await updateAction(trx, id, values, options.now);
    const { updatedAt: _u, illustrative: _i, id: _id, ...previous } = before ?? ({} as Action);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'action.updated' : 'action.created',
      entity: { type: 'action', id: String(id) },
      changes: diff(before ? { ...previous } : null, { ...values }),
      request: options.request,
    });
    return id;
  });
  return { ok: true, id };
}
