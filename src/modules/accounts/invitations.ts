import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, personalChange, type RequestInfo } from '../../platform/audit/audit.ts';
import { authorize } from '../../platform/auth/authorize.ts';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/passwords.ts';
import { ORGANISATION_ROLES, type Principal, type Role, ROLES } from '../../platform/auth/roles.ts';
import { createSession, secretId, type SessionSettings } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, type FormResult, hasErrors } from '../../platform/http/forms.ts';
import type { Locale, LocalizedText } from '../../platform/i18n/locales.ts';
import { pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { findOrganisation } from '../organisations/index.ts';
import { platformLink } from './emails.ts';
import { findUsableToken, findUserByEmail, insertRole, insertUser, issueToken, markTokenUsed } from './queries.ts';

const INVITATION_DAYS = 7;

export interface InvitationPayload {
  role: Role;
  organisationId: string | null;
  displayName: string;
  locale: Locale;
}

export type InviteFields = 'email' | 'displayName' | 'role' | 'organisationId' | 'locale';

function roleName(locale: Locale, role: Role): string {
  return translator(locale)(`role.${role}` as 'role.resident');
}

/** Invites a person by email to a role in an organisation (see the policy for who may invite whom). */
export async function inviteUser(options: {
  db: Kysely<Database>;
  inviter: Principal;
  form: FormResult<InviteFields>;
  publicUrl: string;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<InviteFields, FieldError>> }> {
  const { db, inviter, form, now } = options;
  const errors = { ...form.errors };
  const role = form.values.role as Role;
  const organisation = form.values.organisationId ? await findOrganisation(db, form.values.organisationId) : undefined;
  if (!errors.organisationId && ORGANISATION_ROLES.includes(role) && !organisation) errors.organisationId = form.values.organisationId ? 'unknown_organisation' : 'required';
  if (!hasErrors(errors) && !authorize(inviter, 'invitation.create', { role, organisationSide: organisation?.side ?? null })) errors.role = 'not_allowed';
  if (hasErrors(errors)) return { ok: false, errors };

  const locale = form.values.locale as Locale;
  const payload: InvitationPayload = { role, organisationId: organisation?.id ?? null, displayName: form.values.displayName, locale };
  await db.transaction().execute(async (trx) => {
    const secret = await issueToken(trx, {
      purpose: 'invitation',
      userId: null,
      email: form.values.email,
      ttlMs: INVITATION_DAYS * 86_400_000,
      payload: { ...payload },
      createdBy: inviter.user.id,
      now,
    });
    const id = secretId(secret);
    const t = translator(locale);
    await queueMail(
      trx,
      {
        to: form.values.email,
        locale,
        subject: t('email.invitation.subject'),
        text: `${t('email.invitation.body', {
          name: form.values.displayName,
          inviter: inviter.user.displayName,
          role: roleName(locale, role),
          organisation: organisation ? pick(organisation.name, locale).text : '—',
          link: platformLink(options.publicUrl, locale, '/invitation', { token: secret }),
        })}\n\n${t('email.signature')}\n`,
      },
      { purgeAfter: new Date(now.getTime() + INVITATION_DAYS * 86_400_000) },
    );
    await audit(trx, {
      actor: { type: 'user', id: inviter.user.id, onBehalfOf: inviter.roles.find((r) => r.organisationId)?.organisationId ?? null },
      action: 'invitation.created',
      entity: { type: 'invitation', id: id.slice(0, 16) },
      changes: { email: personalChange(null, form.values.email), role: { before: null, after: role }, organisation_id: { before: null, after: payload.organisationId } },
      request: options.request,
    });
  });
  return { ok: true };
}

export interface OpenInvitation {
  tokenId: string;
  email: string;
  payload: InvitationPayload;
  organisationName: LocalizedText | null;
}

/** An invitation that can still be accepted. */
export async function findInvitation(db: Kysely<Database>, secret: string, now: Date): Promise<OpenInvitation | undefined> {
  const token = await findUsableToken(db, secretId(secret), 'invitation', now);
  if (!token) return undefined;
  const payload = token.payload as unknown as InvitationPayload;
  if (!(ROLES as readonly string[]).includes(payload.role)) return undefined;
  const organisation = payload.organisationId ? await findOrganisation(db, payload.organisationId) : undefined;
  return { tokenId: token.id, email: token.email, payload, organisationName: organisation?.name ?? null };
}

export type AcceptFields = 'token' | 'displayName' | 'password' | 'confirmPassword';

/**
 * Accepts an invitation by creating the account (the address is confirmed: the link reached it) and
 * signing in; officers then enrol two-step verification before anything else.
 */
export async function acceptInvitation(options: {
  db: Kysely<Database>;
  form: FormResult<AcceptFields>;
  session: SessionSettings;
  request: RequestInfo & { userAgent?: string | undefined };
  now: Date;
}): Promise<{ ok: true; sessionSecret: string } | { ok: false; invalid: true } | { ok: false; errors: Partial<Record<AcceptFields, FieldError>> }> {
  const { db, form, now } = options;
  const invitation = await findInvitation(db, form.values.token, now);
  if (!invitation || (await findUserByEmail(db, invitation.email))) return { ok: false, invalid: true };
  const errors = { ...form.errors };
  if (!errors.password) {
    const problem = checkPasswordPolicy(form.values.password, { email: invitation.email, displayName: form.values.displayName })[0];
    if (problem) errors.password = problem;
  }
  if (!errors.password && !errors.confirmPassword && form.values.password !== form.values.confirmPassword) errors.confirmPassword = 'passwords_differ';
  if (hasErrors(errors)) return { ok: false, errors };
  const passwordHash = await hashPassword(form.values.password);
  const userId = randomUUID();
  const sessionSecret = await db.transaction().execute(async (trx) => {
    if (!(await findUsableToken(trx, invitation.tokenId, 'invitation', now))) return undefined;
    await markTokenUsed(trx, invitation.tokenId, now);
    await insertUser(trx, { id: userId, email: invitation.email, displayName: form.values.displayName, locale: invitation.payload.locale, passwordHash, emailVerifiedAt: now });
    await insertRole(trx, { userId, role: invitation.payload.role, organisationId: invitation.payload.organisationId, grantedBy: null });
    await audit(trx, {
      actor: { type: 'user', id: userId },
      action: 'invitation.accepted',
      entity: { type: 'user', id: userId },
      changes: { role: { before: null, after: invitation.payload.role }, organisation_id: { before: null, after: invitation.payload.organisationId } },
      request: options.request,
    });
    return await createSession(trx, { userId, settings: options.session, secondFactor: false, ip: options.request.ip, userAgent: options.request.userAgent });
  });
  return sessionSecret ? { ok: true, sessionSecret } : { ok: false, invalid: true };
}

/** Adds an invitation's role to the signed-in account it was sent to. */
export async function acceptInvitationAsUser(options: { db: Kysely<Database>; principal: Principal; token: string; request: RequestInfo; now: Date }): Promise<boolean> {
  const { db, principal, now } = options;
  const invitation = await findInvitation(db, options.token, now);
  if (!invitation || invitation.email.toLowerCase() !== principal.user.email.toLowerCase()) return false;
  return await db.transaction().execute(async (trx) => {
    if (!(await findUsableToken(trx, invitation.tokenId, 'invitation', now))) return false;
    await markTokenUsed(trx, invitation.tokenId, now);
    const already = principal.roles.some((r) => r.role === invitation.payload.role && r.organisationId === invitation.payload.organisationId);
    if (!already) await insertRole(trx, { userId: principal.user.id, role: invitation.payload.role, organisationId: invitation.payload.organisationId, grantedBy: null });
    await audit(trx, {
      actor: { type: 'user', id: principal.user.id },
      action: 'invitation.accepted',
      entity: { type: 'user', id: principal.user.id },
      changes: { role: { before: null, after: invitation.payload.role }, organisation_id: { before: null, after: invitation.payload.organisationId } },
      request: options.request,
    });
    return true;
  });
}

export async function findPendingInvitations(db: Kysely<Database>, now: Date) {
  return await db
    .selectFrom('user_tokens as t')
    .leftJoin('users as u', 'u.id', 't.created_by')
    .select(['t.id', 't.email', 't.payload', 't.expires_at', 'u.display_name as invited_by'])
    .where('t.purpose', '=', 'invitation')
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', now)
    .orderBy('t.created_at', 'desc')
    .execute();
}

/** Withdraws an invitation: its link stops working. */
export async function withdrawInvitation(options: { db: Kysely<Database>; principal: Principal; tokenId: string; request: RequestInfo; now: Date }): Promise<boolean> {
  const { now } = options;
  return await options.db.transaction().execute(async (trx) => {
    if (!(await findUsableToken(trx, options.tokenId, 'invitation', now))) return false;
    await markTokenUsed(trx, options.tokenId, now);
    await audit(trx, {
      actor: { type: 'user', id: options.principal.user.id },
      action: 'invitation.withdrawn',
      entity: { type: 'invitation', id: options.tokenId.slice(0, 16) },
      changes: {},
      request: options.request,
    });
    return true;
  });
}
