import { Type as T } from '@sinclair/typebox';
import { authorize } from '../../platform/auth/authorize.ts';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import { ORGANISATION_ROLES, type Principal, type Role, ROLES } from '../../platform/auth/roles.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { Choice, Email, type FieldError, Fields, Optional, readForm, Text } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import { LOCALES } from '../../platform/i18n/locales.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { findOrganisations } from '../organisations/index.ts';
import { findPendingInvitations, type InvitationPayload, inviteUser, withdrawInvitation } from './invitations.ts';
import { InvitationsPage } from './views/invitations.tsx';

const manage = { action: 'invitation.manage' } as const;
const FormBody = T.Record(T.String(), T.Unknown());
const INVITE_FORM = Fields({ email: Email(), displayName: Text(100), role: Choice(ROLES), organisationId: Optional(Text(64)), locale: Choice(LOCALES) });
const WITHDRAW_FORM = Fields({ id: Text(64) });

/** The roles and organisations this person may invite to (the policy decides, per pair). */
async function choices(ctx: AppContext, principal: Principal) {
  const organisations = await findOrganisations(ctx.db.kysely);
  const roles = ROLES.filter((role) =>
    ORGANISATION_ROLES.includes(role)
      ? organisations.some((o) => authorize(principal, 'invitation.create', { role, organisationSide: o.side }))
      : authorize(principal, 'invitation.create', { role, organisationSide: null }),
  );
  const allowed = organisations.filter((o) => roles.some((role) => authorize(principal, 'invitation.create', { role, organisationSide: o.side })));
  return { roles: roles as Role[], organisations: allowed };
}

export function invitationAdminRoutes(app: App, ctx: AppContext): void {
  const render = async (request: SignedInRequest, page: PageContext, values: Record<string, string>, errors: Partial<Record<string, FieldError>>, notice?: string) => {
    const { roles, organisations } = await choices(ctx, request.principal);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    const pending = (await findPendingInvitations(ctx.db.kysely, ctx.now())).map((row) => {
      const payload = row.payload as unknown as InvitationPayload;
      return {
        id: row.id,
        email: row.email,
        role: payload.role,
        organisation: payload.organisationId ? (names.get(payload.organisationId) ?? null) : null,
        expiresAt: row.expires_at,
        invitedBy: row.invited_by ?? null,
      };
    });
    return renderPage(<InvitationsPage ctx={page} roles={roles} organisations={organisations} pending={pending} values={values} errors={errors} notice={notice} />);
  };

  pageRoute(app, ctx.assets, '/admin/invitations', { access: manage }, async (request, _reply, page) => render(request, page, {}, {}));

  pageRoute(app, ctx.assets, '/admin/invitations', { method: 'POST', access: manage, body: FormBody, config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request, _reply, page) => {
    const form = readForm(request.body, INVITE_FORM);
    const result = await inviteUser({ ...useCaseContext(request, ctx), inviter: request.principal, form, publicUrl: ctx.config.publicUrl });
    if (!result.ok) return render(request, page, form.values, result.errors);
    return render(request, page, {}, {}, page.t('invite.sent', { email: form.values.email }));
  });

  pageRoute(app, ctx.assets, '/admin/invitations/withdraw', { method: 'POST', access: manage, body: FormBody }, async (request, _reply, page) => {
    const form = readForm(request.body, WITHDRAW_FORM);
    const asking = askFirst(request, page, {
      question: page.t('invite.confirmWithdraw.question'),
      consequence: page.t('invite.confirmWithdraw.consequence'),
      confirm: page.t('invite.confirmWithdraw.confirm'),
      back: '/admin/invitations',
    });
    if (asking) return asking;
    const done = await withdrawInvitation({ ...useCaseContext(request, ctx), principal: request.principal, tokenId: form.values.id });
    return render(request, page, {}, {}, done ? page.t('invite.revoked') : page.t('invite.accept.invalid'));
  });
}
