import { Type as T } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../platform/audit/audit.ts';
import { nextStep } from '../../platform/auth/plugin.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import { endSession, loadPrincipal, sessionCookieName } from '../../platform/auth/sessions.ts';
import { totpQrSvg, totpUri } from '../../platform/auth/totp.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { Choice, Email, Fields, Optional, readForm, Secret, Text } from '../../platform/http/forms.ts';
import { pageRoute, type PageRouteOptions } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import { isLocale, LOCALE_INFO, type Locale, LOCALES } from '../../platform/i18n/locales.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { findRoles, findUserByEmail, findUserById } from './queries.ts';
import { registerUser } from './register-user.ts';
import { requestPasswordReset } from './request-password-reset.ts';
import { resetPassword } from './reset-password.ts';
import { sendVerification } from './send-verification.ts';
import { signIn } from './sign-in.ts';
import { DEVICE_DAYS, deviceCookieName } from '../../platform/auth/devices.ts';
import { confirmEmailChange, requestEmailChange } from './change-email.ts';
import { acceptInvitation, acceptInvitationAsUser, findInvitation } from './invitations.ts';
import { hasPendingRepresentation, requestRepresentation } from './representation.ts';
import { findOrganisations } from '../organisations/index.ts';
import { OidcSignIn } from './oidc-sign-in.ts';
import { enableTwoFactor, passSecondFactor, pendingTotpSecret } from './two-factor.ts';
import { verifyEmail } from './verify-email.ts';
import { AccountPage, type RepresentForm } from './views/account.tsx';
import { ChangeEmailPage, EmailChangedPage, ForgotPage, LoginPage, RegisterPage, ResetPage, VerifyEmailPage, VerifyResultPage } from './views/forms.tsx';
import { AcceptInvitationPage } from './views/invitations.tsx';
import { RecoveryCodesPage, TwoFactorChallengePage, TwoFactorSetupPage } from './views/two-factor.tsx';

/** Per address: a person may try a form this often a minute. */
const LIMIT = { rateLimit: { max: 10, timeWindow: 60_000 } };
const FormBody = T.Record(T.String(), T.Union([T.String(), T.Array(T.String())]));
const TokenQuery = T.Object({ token: T.Optional(T.String({ maxLength: 200 })) });
const post = { method: 'POST', body: FormBody, config: LIMIT } as const satisfies PageRouteOptions;

const REGISTER_FORM = Fields({ displayName: Text(100), email: Email(), password: Secret(1000), confirmPassword: Secret(1000), locale: Choice(LOCALES) });
const LOGIN_FORM = Fields({ email: Email(), password: Secret(1000), next: Optional(Text()) });
const FORGOT_FORM = Fields({ email: Email() });
const RESET_FORM = Fields({ token: Text(200), password: Secret(1000), confirmPassword: Secret(1000) });
/** The first code from the authenticator, confirming it. */
const TOTP_FORM = Fields({ code: Text(20) });
/** The second step at sign-in: a code from the app or a recovery code. */
const SECOND_FACTOR_FORM = Fields({ code: Optional(Text(20)), recoveryCode: Optional(Text(40)), next: Optional(Text()) });
/** Accepting an invitation: the name and password are required only of someone without an account (checked below). */
const INVITATION_FORM = Fields({ token: Text(200), displayName: Optional(Text(100)), password: Optional(Secret(1000)), confirmPassword: Optional(Secret(1000)) });
const EMAIL_CHANGE_FORM = Fields({ newEmail: Email(), password: Optional(Secret(1000)) });
const REPRESENT_FORM = Fields({ organisationId: Optional(Text(64)), organisationName: Optional(Text(300)), position: Text(200) });

function requestInfo(request: FastifyRequest) {
  return { requestId: String(request.id), ip: request.ip, userAgent: request.headers['user-agent'] };
}

/** Sets the session cookie (Secure and `__Host-` over https: the cookie plugin's defaults follow the public URL). */
function setSessionCookie(reply: FastifyReply, publicUrl: string, secret: string, maxHours: number): void {
  reply.setCookie(sessionCookieName(publicUrl), secret, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: maxHours * 3600 });
}

/** Only a path on this site is a place to go back to after signing in. */
function safeNext(value: string | undefined, page: PageContext): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) ? value : page.href('/account');
}

export function accountRoutes(app: App, ctx: AppContext): void {
  const { db, config } = ctx;
  const sessionCookie = sessionCookieName(config.publicUrl);
  const deviceCookie = deviceCookieName(config.publicUrl);
  /** The steps that finish signing in: all a half-signed-in officer may reach (see Access in the auth plugin). */
  const step = { access: 'session', config: { signInStep: true } } as const;
  const postStep = { ...post, access: 'session', config: { ...LIMIT, signInStep: true } } as const satisfies PageRouteOptions;

  pageRoute(app, ctx.assets, '/register', {}, async (_request, _reply, page) => renderPage(<RegisterPage ctx={page} values={{}} errors={{}} />));
  pageRoute(app, ctx.assets, '/register', post, async (request, _reply, page) => {
    const form = readForm(request.body, REGISTER_FORM);
    const result = await registerUser({ db: db.kysely, form, publicUrl: config.publicUrl, request: requestInfo(request), now: ctx.now() });
    if (!result.ok) return renderPage(<RegisterPage ctx={page} values={form.values} errors={result.errors} />);
    // The same answer whether or not the address had an account: the next step is in the email.
    return renderPage(<RegisterPage ctx={page} values={{}} errors={{}} sentTo={form.values.email} />);
  });

  pageRoute(app, ctx.assets, '/account/verify-email', step, async (request, _reply, page) => renderPage(<VerifyEmailPage ctx={page} email={request.principal.user.email} resent={false} />));
  pageRoute(app, ctx.assets, '/account/verify-email', postStep, async (request, _reply, page) => {
    const principal = request.principal;
    if (!principal.user.emailVerified) {
      const user = await findUserById(db.kysely, principal.user.id);
      if (user) await db.kysely.transaction().execute((trx) => sendVerification(trx, { user, publicUrl: config.publicUrl, now: ctx.now() }));
    }
    return renderPage(<VerifyEmailPage ctx={page} email={principal.user.email} resent />);
  });
  pageRoute(app, ctx.assets, '/verify-email', { querystring: TokenQuery, personal: true }, async (request, _reply, page) => {
    const ok = request.query.token ? await verifyEmail({ db: db.kysely, token: request.query.token, request: requestInfo(request), now: ctx.now() }) : false;
    return renderPage(<VerifyResultPage ctx={page} ok={ok} />);
  });

  const oidc = config.oidc ? new OidcSignIn(config.oidc) : undefined;
  const oidcLabel = config.oidc ? (config.oidc.label ?? 'OpenID Connect') : undefined;
  const OIDC_COOKIE = 'zjhk_oidc';
  const OIDC_REASONS = ['failed', 'expired', 'email_taken', 'no_email'] as const;

  pageRoute(
    app,
    ctx.assets,
    '/login',
    {
      querystring: T.Object({
        next: T.Optional(T.String({ maxLength: 500 })),
        'signed-out': T.Optional(T.String()),
        oidc: T.Optional(T.Union(OIDC_REASONS.map((r) => T.Literal(r)))),
      }),
    },
    async (request, _reply, page) => {
      const notice = request.query.oidc ? page.t(`login.oidcError.${request.query.oidc}`) : request.query['signed-out'] !== undefined ? page.t('signedOut') : undefined;
      return renderPage(<LoginPage ctx={page} values={{ next: request.query.next ?? '' }} errors={{}} notice={notice} oidcLabel={oidcLabel} />);
    },
  );

  // Sign-in through an identity service (OpenID Connect), when one is configured.
  app.get(
    '/auth/oidc/start',
    { config: { access: 'public', ...LIMIT }, schema: { hide: true, querystring: T.Object({ locale: T.Optional(T.String()), next: T.Optional(T.String({ maxLength: 500 })) }) } },
    async (request, reply) => {
      if (!oidc) throw new HttpError(404, 'not_found', 'Sign-in through an identity service is not configured');
      const locale: Locale = isLocale(request.query.locale) ? request.query.locale : 'zh-Hant';
      const next = request.query.next && /^\/(?![/\\])[^\s]*$/.test(request.query.next) ? request.query.next : null;
      try {
        const { url, cookieSecret } = await oidc.start(db.kysely, { locale, next, now: ctx.now() });
        reply.setCookie(OIDC_COOKIE, cookieSecret, { path: '/auth/oidc', httpOnly: true, sameSite: 'lax', maxAge: 600 });
        return reply.redirect(url, 303);
      } catch (error) {
        request.log.warn({ err: error }, 'identity service unavailable');
        return reply.redirect(`/${LOCALE_INFO[locale].prefix}/login?oidc=failed`, 303);
      }
    },
  );
  app.get('/auth/oidc/callback', { config: { access: 'public', ...LIMIT }, schema: { hide: true } }, async (request, reply) => {
    if (!oidc) throw new HttpError(404, 'not_found', 'Sign-in through an identity service is not configured');
    const result = await oidc.finish(db.kysely, {
      cookieSecret: request.cookies[OIDC_COOKIE],
      callbackUrl: new URL(request.url, 'http://callback.invalid'),
      session: config.session,
      request: requestInfo(request),
      now: ctx.now(),
    });
    reply.clearCookie(OIDC_COOKIE, { path: '/auth/oidc' });
    const prefix = LOCALE_INFO[result.locale].prefix;
    if (!result.ok) return reply.redirect(`/${prefix}/login?oidc=${result.reason}`, 303);
    const previous = request.cookies[sessionCookie];
    if (previous) await endSession(db.kysely, previous);
    setSessionCookie(reply, config.publicUrl, result.sessionSecret, config.session.maxHours);
    const principal = await loadPrincipal(db.kysely, result.sessionSecret, config.session);
    const step = principal ? nextStep(principal) : undefined;
    const next = result.next ?? `/${prefix}/account`;
    return reply.redirect(step ? `/${prefix}${step}?next=${encodeURIComponent(next)}` : next, 303);
  });
  pageRoute(app, ctx.assets, '/login', post, async (request, reply, page) => {
    const form = readForm(request.body, LOGIN_FORM);
    if (form.errors.email || form.errors.password) return renderPage(<LoginPage ctx={page} values={form.values} errors={form.errors} oidcLabel={oidcLabel} />);
    const result = await signIn({
      db: db.kysely,
      email: form.values.email,
      password: form.values.password,
      deviceCookie: request.cookies[deviceCookie],
      session: config.session,
      request: requestInfo(request),
      now: ctx.now(),
    });
    if (!result.ok && result.reason === 'rate_limited') {
      reply.header('retry-after', String(result.retryAfterSeconds)).status(429);
      return renderPage(<LoginPage ctx={page} values={form.values} errors={{}} notice={page.t('throttle.wait', { seconds: result.retryAfterSeconds })} oidcLabel={oidcLabel} />);
    }
    if (!result.ok) return renderPage(<LoginPage ctx={page} values={form.values} errors={{ email: result.reason }} oidcLabel={oidcLabel} />);
    // This browser is now a device the account signed in from: its right password passes any throttle.
    reply.setCookie(deviceCookie, result.deviceCookie, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: DEVICE_DAYS * 86_400 });
    const previous = request.cookies[sessionCookie];
    if (previous) await endSession(db.kysely, previous);
    setSessionCookie(reply, config.publicUrl, result.sessionSecret, config.session.maxHours);
    // Officers and above go through the second step (or enrol it) before anything else.
    const principal = await loadPrincipal(db.kysely, result.sessionSecret, config.session);
    const step = principal ? nextStep(principal) : undefined;
    const next = safeNext(form.values.next, page);
    reply.redirect(step ? `${page.href(step)}?next=${encodeURIComponent(next)}` : next, 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/logout', postStep, async (request, reply, page) => {
    const secret = request.cookies[sessionCookie];
    const principal = request.principal;
    if (secret) {
      const { actor, request: from } = useCaseContext(request, ctx);
      await db.kysely.transaction().execute(async (trx) => {
        await endSession(trx, secret);
        await audit(trx, { actor, action: 'user.signed_out', entity: { type: 'user', id: principal.user.id }, changes: {}, request: from });
      });
    }
    reply.clearCookie(sessionCookie, { path: '/' });
    reply.redirect(`${page.href('/login')}?signed-out`, 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/forgot-password', {}, async (_request, _reply, page) => renderPage(<ForgotPage ctx={page} values={{}} errors={{}} sent={false} />));
  pageRoute(app, ctx.assets, '/forgot-password', post, async (request, _reply, page) => {
    const form = readForm(request.body, FORGOT_FORM);
    if (form.errors.email) return renderPage(<ForgotPage ctx={page} values={form.values} errors={form.errors} sent={false} />);
    await requestPasswordReset({ db: db.kysely, email: form.values.email, publicUrl: config.publicUrl, locale: page.locale, request: requestInfo(request), now: ctx.now() });
    return renderPage(<ForgotPage ctx={page} values={{}} errors={{}} sent />);
  });

  pageRoute(app, ctx.assets, '/reset-password', { querystring: TokenQuery, personal: true }, async (request, _reply, page) =>
    renderPage(<ResetPage ctx={page} token={request.query.token ?? ''} errors={{}} {...(request.query.token ? {} : { outcome: 'invalid' as const })} />),
  );
  pageRoute(app, ctx.assets, '/reset-password', post, async (request, _reply, page) => {
    const form = readForm(request.body, RESET_FORM);
    const result = await resetPassword({ db: db.kysely, form, request: requestInfo(request), now: ctx.now() });
    if (result.ok) return renderPage(<ResetPage ctx={page} token="" errors={{}} outcome="done" />);
    if ('invalidLink' in result) return renderPage(<ResetPage ctx={page} token="" errors={{}} outcome="invalid" />);
    return renderPage(<ResetPage ctx={page} token={form.values.token} errors={result.errors} />);
  });

  const NextQuery = T.Object({ next: T.Optional(T.String({ maxLength: 500 })) });
  const setupPage = async (page: PageContext, userId: string, email: string, error?: 'invalid_code') => {
    const secret = await pendingTotpSecret(db.kysely, userId);
    const qrSvg = await totpQrSvg(totpUri({ secret, account: email, issuer: 'ZJ-HK Platform 浙港合作平台' }), { label: page.t('twoFactor.setup.qrLabel') });
    return renderPage(<TwoFactorSetupPage ctx={page} qrSvg={qrSvg} secret={secret} error={error} enabled={false} />);
  };
  pageRoute(app, ctx.assets, '/account/two-factor', step, async (request, _reply, page) => {
    const principal = request.principal;
    if (principal.user.twoFactorEnabled) return renderPage(<TwoFactorSetupPage ctx={page} qrSvg="" secret="" enabled />);
    return await setupPage(page, principal.user.id, principal.user.email);
  });
  pageRoute(app, ctx.assets, '/account/two-factor', postStep, async (request, _reply, page) => {
    const principal = request.principal;
    if (principal.user.twoFactorEnabled) return renderPage(<TwoFactorSetupPage ctx={page} qrSvg="" secret="" enabled />);
    const form = readForm(request.body, TOTP_FORM);
    const result = form.errors.code
      ? ({ ok: false } as const)
      : await enableTwoFactor({ ...useCaseContext(request, ctx), userId: principal.user.id, label: principal.user.email, sessionId: principal.session.id, code: form.values.code });
    if (!result.ok) return await setupPage(page, principal.user.id, principal.user.email, 'invalid_code');
    return renderPage(<RecoveryCodesPage ctx={page} codes={result.recoveryCodes} />);
  });

  pageRoute(app, ctx.assets, '/login/two-factor', { ...step, querystring: NextQuery }, async (request, reply, page) => {
    // Nothing to check for someone without an authenticator: enrolment comes first where it is required.
    if (!request.principal.user.twoFactorEnabled) {
      reply.redirect(nextStep(request.principal) ? page.href('/account/two-factor') : safeNext(request.query.next, page), 303);
      return '';
    }
    return renderPage(<TwoFactorChallengePage ctx={page} next={request.query.next ?? ''} errors={{}} />);
  });
  pageRoute(app, ctx.assets, '/login/two-factor', postStep, async (request, reply, page) => {
    const principal = request.principal;
    const form = readForm(request.body, SECOND_FACTOR_FORM);
    const result =
      form.values.code || form.values.recoveryCode
        ? await passSecondFactor({
            ...useCaseContext(request, ctx),
            userId: principal.user.id,
            label: principal.user.email,
            sessionId: principal.session.id,
            ...(form.values.code ? { code: form.values.code } : { recoveryCode: form.values.recoveryCode }),
          })
        : ({ outcome: 'invalid' } as const);
    const outcome = result.outcome;
    if (outcome === 'ok') {
      reply.redirect(safeNext(form.values.next, page), 303);
      return '';
    }
    if (result.outcome === 'rate_limited') {
      reply.status(429).header('retry-after', String(result.retryAfterSeconds));
      return renderPage(<TwoFactorChallengePage ctx={page} next={form.values.next} errors={{}} waitSeconds={result.retryAfterSeconds} />);
    }
    const error = 'invalid_code';
    return renderPage(<TwoFactorChallengePage ctx={page} next={form.values.next} errors={form.values.recoveryCode && !form.values.code ? { recoveryCode: error } : { code: error }} />);
  });

  /** What the invitation page shows for a token and the person looking at it. */
  const invitationPage = async (request: FastifyRequest, page: PageContext, token: string, values: Record<string, string> = {}, errors = {}) => {
    const invitation = token ? await findInvitation(db.kysely, token, ctx.now()) : undefined;
    if (!invitation) return renderPage(<AcceptInvitationPage ctx={page} token="" intro="" state="invalid" values={{}} errors={{}} />);
    const intro = page.t('invite.accept.intro', {
      role: page.t(`role.${invitation.payload.role}` as 'role.resident'),
      organisation: invitation.organisationName ? page.text(invitation.organisationName) : '',
    });
    const principal = request.principal;
    const exists = principal ? true : Boolean(await findUserByEmail(db.kysely, invitation.email));
    const state = !exists ? 'new' : !principal ? 'sign-in' : principal.user.email.toLowerCase() === invitation.email.toLowerCase() ? 'grant' : 'wrong-account';
    const shown: Record<string, string> =
      state === 'wrong-account' ? { wrongAccount: page.t('invite.accept.wrongAccount', { email: invitation.email }) } : { displayName: invitation.payload.displayName, ...values };
    return renderPage(<AcceptInvitationPage ctx={page} token={token} intro={intro} state={state} values={shown} errors={errors} />);
  };
  pageRoute(app, ctx.assets, '/invitation', { querystring: TokenQuery, personal: true }, async (request, _reply, page) => invitationPage(request, page, request.query.token ?? ''));
  pageRoute(app, ctx.assets, '/invitation', post, async (request, reply, page) => {
    const form = readForm(request.body, INVITATION_FORM);
    if (request.principal) {
      const ok = await acceptInvitationAsUser({ db: db.kysely, principal: request.principal, token: form.values.token, request: requestInfo(request), now: ctx.now() });
      return renderPage(<AcceptInvitationPage ctx={page} token="" intro="" state={ok ? 'done' : 'invalid'} values={{}} errors={{}} />);
    }
    const required = {
      ...form,
      errors: {
        ...form.errors,
        ...(form.values.displayName ? {} : { displayName: 'required' as const }),
        ...(form.values.password ? {} : { password: 'required' as const }),
        ...(form.values.confirmPassword ? {} : { confirmPassword: 'required' as const }),
      },
    };
    const result = await acceptInvitation({ db: db.kysely, form: required, session: config.session, request: requestInfo(request), now: ctx.now() });
    if (result.ok) {
      setSessionCookie(reply, config.publicUrl, result.sessionSecret, config.session.maxHours);
      reply.redirect(page.href('/account/two-factor'), 303);
      return '';
    }
    if ('invalid' in result) return invitationPage(request, page, '');
    return invitationPage(request, page, form.values.token, { displayName: form.values.displayName }, result.errors);
  });

  const manage = { action: 'account.manage' } as const;
  const hasPassword = async (userId: string) => Boolean((await findUserById(db.kysely, userId))?.password_hash);
  pageRoute(app, ctx.assets, '/account/email', { access: manage }, async (request, _reply, page) =>
    renderPage(<ChangeEmailPage ctx={page} values={{}} errors={{}} sent={undefined} needsPassword={await hasPassword(request.principal.user.id)} />),
  );
  pageRoute(app, ctx.assets, '/account/email', { ...post, access: manage }, async (request, _reply, page) => {
    const principal = request.principal;
    const form = readForm(request.body, EMAIL_CHANGE_FORM);
    const result = await requestEmailChange({ ...useCaseContext(request, ctx), principal, form, publicUrl: config.publicUrl });
    return renderPage(
      <ChangeEmailPage
        ctx={page}
        values={form.values}
        errors={result.ok ? {} : result.errors}
        sent={result.ok ? form.values.newEmail : undefined}
        needsPassword={await hasPassword(principal.user.id)}
      />,
    );
  });
  pageRoute(app, ctx.assets, '/confirm-email-change', { querystring: TokenQuery, personal: true }, async (request, _reply, page) => {
    const result = request.query.token ? await confirmEmailChange({ db: db.kysely, token: request.query.token, request: requestInfo(request), now: ctx.now() }) : { ok: false as const };
    return renderPage(<EmailChangedPage ctx={page} email={result.ok ? result.email : undefined} />);
  });

  /** Organisations one may ask to represent: not government bodies. */
  const representable = async () => (await findOrganisations(db.kysely)).filter((o) => !['government-agency', 'custodian', 'statutory-body'].includes(o.type));
  const accountPage = async (page: PageContext, principal: Principal, represent: Partial<RepresentForm> = {}) => {
    const roles = await findRoles(db.kysely, principal.user.id);
    return renderPage(
      <AccountPage
        ctx={page}
        account={{
          email: principal.user.email,
          displayName: principal.user.displayName,
          emailVerified: principal.user.emailVerified,
          twoFactorEnabled: principal.user.twoFactorEnabled,
          roles: roles.map((r) => ({ role: r.role, organisationName: r.organisation_name ?? null })),
          representationPending: await hasPendingRepresentation(db.kysely, principal.user.id),
        }}
        represent={{ organisations: await representable(), values: {}, errors: {}, sent: false, ...represent }}
      />,
    );
  };

  pageRoute(app, ctx.assets, '/account', { access: 'session' }, async (request, reply, page) => {
    const principal = request.principal;
    const step = nextStep(principal);
    if (step) {
      reply.redirect(page.href(step), 303);
      return '';
    }
    return await accountPage(page, principal);
  });

  pageRoute(app, ctx.assets, '/account/represent', { ...post, access: manage }, async (request, _reply, page) => {
    const principal = request.principal;
    const form = readForm(request.body, REPRESENT_FORM);
    const result = await requestRepresentation({ ...useCaseContext(request, ctx), principal, form });
    return await accountPage(page, principal, result.ok ? { sent: true } : { values: form.values, errors: result.errors });
  });
}
