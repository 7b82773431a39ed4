import { Type as T } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { type Role, ROLES } from '../../platform/auth/roles.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst, type Confirmation } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError } from '../../platform/http/errors.ts';
import { Choice, Fields, Optional, readForm, Text } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { findOrganisations } from '../organisations/index.ts';
import { grantRole, revokeRole, setDisabled } from './manage-user.ts';
import { findUserById, searchUsers } from './queries.ts';
import { decideRepresentation, findPendingRepresentations } from './representation.ts';
import { RepresentationRequestsPage } from './views/representation.tsx';
import { UserPage, UsersPage } from './views/users.tsx';

const access = { action: 'user.manage' } as const;
const UserParams = T.Object({ id: T.String({ format: 'uuid' }) });
const FormBody = T.Record(T.String(), T.Unknown());
const ROLE_FORM = Fields({ role: Choice(ROLES), organisationId: Optional(Text(64)) });
const REMOVE_ROLE_FORM = Fields({ grant: Text(12) });
const DECISION_FORM = Fields({ decision: Choice(['approve', 'reject']), organisationId: Optional(Text(64)), reason: Optional(Text(1000)) });

/** The administrators' view of people: find them, change their roles, disable their accounts. */
export function userAdminRoutes(app: App, ctx: AppContext): void {
  const db = ctx.db.kysely;

  pageRoute(app, ctx.assets, '/admin/users', { access, querystring: T.Object({ q: T.Optional(T.String({ maxLength: 200 })) }) }, async (request, _reply, page) => {
    const q = request.query.q?.trim() ?? '';
    const users = await searchUsers(db, q);
    return renderPage(
      <UsersPage
        ctx={page}
        query={q}
        users={users.map((u) => ({
          id: u.id,
          email: u.email,
          displayName: u.display_name,
          verified: u.email_verified_at !== null,
          disabled: u.disabled_at !== null,
          twoFactor: u.totp_enabled_at !== null,
        }))}
      />,
    );
  });

  const show = async (page: PageContext, userId: string, notice?: string, error?: string) => {
    const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user) throw new HttpError(404, 'user_not_found', `No user ${userId}`);
    const roles = await db
      .selectFrom('user_roles as r')
      .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
      .select(['r.id', 'r.role', 'o.name'])
      .where('r.user_id', '=', userId)
      .orderBy('r.id')
      .execute();
    return renderPage(
      <UserPage
        ctx={page}
        user={{
          id: user.id,
          email: user.email,
          displayName: user.display_name,
          verified: user.email_verified_at !== null,
          disabled: user.disabled_at !== null,
          twoFactor: user.totp_enabled_at !== null,
          roles: roles.map((r) => ({ id: r.id, role: r.role, organisation: r.name ?? null })),
        }}
        roles={ROLES}
        organisations={await findOrganisations(db)}
        notice={notice}
        error={error}
      />,
    );
  };
  pageRoute(app, ctx.assets, '/admin/users/:id', { access, params: UserParams }, async (request, _reply, page) => show(page, request.params.id));

  /** Runs a change and shows the person again, with what happened or what was wrong. */
  type Done = 'users.roleAdded' | 'users.roleRemoved' | 'users.disabledNotice' | 'users.enabledNotice';
  type Manage = Omit<Parameters<typeof setDisabled>[0], 'disabled'>;
  /** A change that takes something away asks first (`ask`: what the page that asks says), with the person's name under the question. */
  const change = (path: string, run: (request: FastifyRequest<{ Params: { id: string } }>, manage: Manage) => Promise<Done>, ask?: (page: PageContext) => Omit<Confirmation, 'back' | 'subject'>) =>
    pageRoute(app, ctx.assets, `/admin/users/:id${path}`, { method: 'POST', access, params: UserParams, body: FormBody }, async (request, _reply, page) => {
      const manage: Manage = { ...useCaseContext(request, ctx), userId: request.params.id };
      if (ask) {
        const user = await findUserById(db, request.params.id);
        if (!user) throw new HttpError(404, 'user_not_found', `No user ${request.params.id}`);
        const asking = askFirst(request, page, { ...ask(page), back: `/admin/users/${user.id}`, subject: `${user.display_name} <${user.email}>` });
        if (asking) return asking;
      }
      try {
        return await show(page, request.params.id, page.t(await run(request, manage)));
      } catch (error) {
        if (error instanceof HttpError && error.statusCode === 400) {
          const message = error.code === 'self' ? page.t('users.self') : page.t(`form.error.${error.code}` as 'form.error.required');
          return await show(page, request.params.id, undefined, message);
        }
        throw error;
      }
    });

  change('/roles', async (request, manage) => {
    const form = readForm(request.body, ROLE_FORM);
    if (form.errors.role) throw new HttpError(400, 'invalid_choice', 'Choose a role');
    await grantRole({ ...manage, role: form.values.role as Role, organisationId: form.values.organisationId || null });
    return 'users.roleAdded';
  });
  change(
    '/roles/remove',
    async (request, manage) => {
      const form = readForm(request.body, REMOVE_ROLE_FORM);
      if (form.errors.grant || !/^\d+$/.test(form.values.grant)) throw new HttpError(400, 'required_choice', 'Choose a role to remove');
      await revokeRole({ ...manage, grantId: Number(form.values.grant) });
      return 'users.roleRemoved';
    },
    (page) => ({ question: page.t('users.confirmRemoveRole.question'), consequence: page.t('users.confirmRemoveRole.consequence'), confirm: page.t('users.confirmRemoveRole.confirm') }),
  );
  change(
    '/disable',
    async (_request, manage) => {
      await setDisabled({ ...manage, disabled: true });
      return 'users.disabledNotice';
    },
    (page) => ({ question: page.t('users.confirmDisable.question'), consequence: page.t('users.confirmDisable.consequence'), confirm: page.t('users.confirmDisable.confirm') }),
  );
  change('/enable', async (_request, manage) => {
    await setDisabled({ ...manage, disabled: false });
    return 'users.enabledNotice';
  });

  const requests = async (page: PageContext, notice?: string, error?: string) => {
    const pending = await findPendingRepresentations(db);
    return renderPage(
      <RepresentationRequestsPage
        ctx={page}
        requests={pending.map((r) => ({ id: r.id, person: r.display_name, email: r.email, organisation: r.organisation ?? null, organisationName: r.organisation_name, position: r.position }))}
        organisations={await findOrganisations(db)}
        notice={notice}
        error={error}
      />,
    );
  };
  pageRoute(app, ctx.assets, '/admin/representation-requests', { access }, async (_request, _reply, page) => requests(page));
  pageRoute(
    app,
    ctx.assets,
    '/admin/representation-requests/:id',
    { method: 'POST', access, params: T.Object({ id: T.String({ pattern: '^\\d{1,9}$' }) }), body: FormBody },
    async (request, _reply, page) => {
      const form = readForm(request.body, DECISION_FORM);
      if (form.values.decision === 'reject' && form.values.reason) {
        const asking = askFirst(request, page, {
          question: page.t('represent.admin.confirmReject.question'),
          consequence: page.t('represent.admin.confirmReject.consequence'),
          confirm: page.t('represent.admin.confirmReject.confirm'),
          back: '/admin/representation-requests',
        });
        if (asking) return asking;
      }
      const outcome = form.errors.decision
        ? 'not_found'
        : await decideRepresentation({
            ...useCaseContext(request, ctx),
            principal: request.principal,
            requestId: Number(request.params.id),
            decision: form.values.decision as 'approve' | 'reject',
            organisationId: form.values.organisationId || undefined,
            reason: form.values.reason,
          });
      if (outcome === 'approved') return requests(page, page.t('represent.admin.approved'));
      if (outcome === 'rejected') return requests(page, page.t('represent.admin.rejected'));
      const error =
        outcome === 'needs_reason'
          ? `${page.t('represent.admin.reason')}: ${page.t('form.error.required')}`
          : outcome === 'needs_organisation'
            ? page.t('form.error.organisation_or_name')
            : page.t('error.notFound.title');
      return requests(page, undefined, error);
    },
  );
}
