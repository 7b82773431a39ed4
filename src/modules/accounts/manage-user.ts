import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { ORGANISATION_ROLES, type Role } from '../../platform/auth/roles.ts';
import { endUserSessions } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { findUserById, insertRole } from './queries.ts';

interface Manage {
  db: Kysely<Database>;
  actor: Actor & { type: 'user' };
  userId: string;
  request: RequestInfo;
  now: Date;
}

async function target(db: Kysely<Database>, userId: string) {
  const user = await findUserById(db, userId);
  if (!user) throw new HttpError(404, 'user_not_found', `No user ${userId}`);
  return user;
}

/** Grants a role (in an organisation, for the roles that act for one). */
export async function grantRole(options: Manage & { role: Role; organisationId: string | null }): Promise<void> {
  const { db, role } = options;
  await target(db, options.userId);
  const organisationId = ORGANISATION_ROLES.includes(role) ? options.organisationId : null;
  if (ORGANISATION_ROLES.includes(role) && !organisationId) throw new HttpError(400, 'required_choice', 'This role needs an organisation');
  await db.transaction().execute(async (trx) => {
    if (organisationId && !(await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst())) {
      throw new HttpError(400, 'unknown_organisation', `No organisation ${organisationId}`);
    }
    const existing = await trx
      .selectFrom('user_roles')
      .select('id')
      .where('user_id', '=', options.userId)
      .where('role', '=', role)
      .where((eb) => (organisationId ? eb('organisation_id', '=', organisationId) : eb('organisation_id', 'is', null)))
      .executeTakeFirst();
    if (existing) return;
    await insertRole(trx, { userId: options.userId, role, organisationId, grantedBy: options.actor.id });
    await audit(trx, {
      actor: options.actor,
      action: 'user.role_granted',
      entity: { type: 'user', id: options.userId },
      changes: { role: { before: null, after: role }, organisation_id: { before: null, after: organisationId } },
      request: options.request,
    });
  });
}

/** Removes one role grant. Administrators cannot remove their own administrator role. */
export async function revokeRole(options: Manage & { grantId: number }): Promise<void> {
  const { db } = options;
  await db.transaction().execute(async (trx) => {
    const grant = await trx.selectFrom('user_roles').selectAll().where('id', '=', options.grantId).where('user_id', '=', options.userId).executeTakeFirst();
    if (!grant) throw new HttpError(404, 'role_not_found', 'No such role');
    if (grant.role === 'administrator' && grant.user_id === options.actor.id) throw new HttpError(400, 'self', 'You cannot remove your own administrator role');
    await trx.deleteFrom('user_roles').where('id', '=', grant.id).execute();
    await audit(trx, {
      actor: options.actor,
      action: 'user.role_revoked',
      entity: { type: 'user', id: options.userId },
      changes: { role: { before: grant.role, after: null }, organisation_id: { before: grant.organisation_id, after: null } },
      request: options.request,
    });
  });
}

/** Disables (every session ends, sign-in refused) or enables an account. */
export async function setDisabled(options: Manage & { disabled: boolean }): Promise<void> {
  const { db } = options;
  if (options.disabled && options.userId === options.actor.id) throw new HttpError(400, 'self', 'You cannot disable your own account');
  const user = await target(db, options.userId);
  if (Boolean(user.disabled_at) === options.disabled) return;
  const { now } = options;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ disabled_at: options.disabled ? now : null, updated_at: now })
      .where('id', '=', options.userId)
      .execute();
    if (options.disabled) await endUserSessions(trx, options.userId);
    await audit(trx, {
      actor: options.actor,
      action: options.disabled ? 'user.disabled' : 'user.enabled',
      entity: { type: 'user', id: options.userId },
      changes: { disabled_at: { before: user.disabled_at, after: options.disabled ? now : null } },
      request: options.request,
    });
  });
}
