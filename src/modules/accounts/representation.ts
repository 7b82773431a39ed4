import type { Kysely } from 'kysely';
import { audit, personalChange, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import { pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findOrganisation } from '../organisations/index.ts';
import { findUserById, insertRole } from './queries.ts';

export type RepresentFields = 'organisationId' | 'organisationName' | 'position';

const actorOf = (p: Principal) => ({ type: 'user' as const, id: p.user.id, label: p.user.email });

/** A person asks to represent an organisation (chosen from the list, or named). */
export async function requestRepresentation(options: {
  db: Kysely<Database>;
  principal: Principal;
  form: FormResult<RepresentFields>;
  request: RequestInfo;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<RepresentFields, FieldError>> }> {
  const { db, principal, form } = options;
  const errors = { ...form.errors };
  if (!form.values.organisationId && !form.values.organisationName) errors.organisationId = 'organisation_or_name';
  if (form.values.organisationId && !(await findOrganisation(db, form.values.organisationId))) errors.organisationId = 'unknown_organisation';
  if (hasErrors(errors)) return { ok: false, errors };
  await db.transaction().execute(async (trx) => {
    // One open request at a time: a new one replaces the one still waiting.
    await trx.updateTable('representation_requests').set({ state: 'withdrawn' }).where('user_id', '=', principal.user.id).where('state', '=', 'pending').execute();
    const row = await trx
      .insertInto('representation_requests')
      .values({
        user_id: principal.user.id,
        organisation_id: form.values.organisationId || null,
        organisation_name: form.values.organisationId ? null : form.values.organisationName,
        position: form.values.position,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actor: actorOf(principal),
      action: 'representation.requested',
      entity: { type: 'representation-request', id: String(row.id) },
      changes: { organisation_id: { before: null, after: form.values.organisationId || null }, organisation_name: personalChange(null, form.values.organisationName || null) },
      request: options.request,
    });
  });
  return { ok: true };
}

export async function hasPendingRepresentation(db: Kysely<Database>, userId: string): Promise<boolean> {
  return Boolean(await db.selectFrom('representation_requests').select('id').where('user_id', '=', userId).where('state', '=', 'pending').executeTakeFirst());
}

export async function findPendingRepresentations(db: Kysely<Database>) {
  return await db
    .selectFrom('representation_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.organisation_id', 'r.organisation_name', 'r.position', 'r.created_at', 'u.display_name', 'u.email', 'o.name as organisation'])
    .where('r.state', '=', 'pending')
    .orderBy('r.created_at')
    .execute();
}

/**
 * An administrator's decision. Approving grants the role for the organisation (the one requested, or
 * the one the administrator picks for a named one); rejecting needs a reason. The person is emailed.
 */
export async function decideRepresentation(options: {
  db: Kysely<Database>;
  principal: Principal;
  requestId: number;
  decision: 'approve' | 'reject';
  organisationId?: string | undefined;
  reason?: string | undefined;
  request: RequestInfo;
  now: Date;
}): Promise<'approved' | 'rejected' | 'needs_organisation' | 'needs_reason' | 'not_found'> {
  const { db, principal, now } = options;
  if (options.decision === 'reject' && !options.reason?.trim()) return 'needs_reason';
  return await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('representation_requests').selectAll().where('id', '=', options.requestId).where('state', '=', 'pending').forUpdate().executeTakeFirst();
    if (!row) return 'not_found';
    const user = await findUserById(trx, row.user_id);
    if (!user) return 'not_found';
    const t = translator(user.locale);
    if (options.decision === 'reject') {
      const reason = (options.reason as string).trim();
      await trx.updateTable('representation_requests').set({ state: 'rejected', reason, decided_by: principal.user.id, decided_at: now }).where('id', '=', row.id).execute();
      await queueMail(trx, {
        to: user.email,
        locale: user.locale,
        subject: t('email.represent.rejected.subject'),
        text: `${t('email.represent.rejected.body', { name: user.display_name, reason })}\n\n${t('email.signature')}\n`,
      });
      await audit(trx, {
        actor: actorOf(principal),
        action: 'representation.rejected',
        entity: { type: 'representation-request', id: String(row.id) },
        changes: { state: { before: 'pending', after: 'rejected' }, reason: { before: null, after: reason } },
        request: options.request,
      });
      return 'rejected';
    }
    const organisationId = row.organisation_id ?? options.organisationId ?? null;
    const organisation = organisationId ? await findOrganisation(trx, organisationId) : undefined;
    if (!organisation) return 'needs_organisation';
    await trx.updateTable('representation_requests').set({ state: 'approved', organisation_id: organisation.id, decided_by: principal.user.id, decided_at: now }).where('id', '=', row.id).execute();
    const already = await trx
      .selectFrom('user_roles')
      .select('id')
      .where('user_id', '=', user.id)
      .where('role', '=', 'enterprise-representative')
      .where('organisation_id', '=', organisation.id)
      .executeTakeFirst();
    if (!already) await insertRole(trx, { userId: user.id, role: 'enterprise-representative', organisationId: organisation.id, grantedBy: principal.user.id });
    await queueMail(trx, {
      to: user.email,
      locale: user.locale,
      subject: t('email.represent.approved.subject'),
      text: `${t('email.represent.approved.body', { name: user.display_name, organisation: pick(organisation.name, user.locale).text })}\n\n${t('email.signature')}\n`,
    });
    await audit(trx, {
      actor: actorOf(principal),
      action: 'representation.approved',
      entity: { type: 'user', id: user.id },
      changes: { role: { before: null, after: 'enterprise-representative' }, organisation_id: { before: null, after: organisation.id } },
      request: options.request,
    });
    return 'approved';
  });
}
