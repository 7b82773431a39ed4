import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';
import type { Db } from '../db/index.ts';
import { HttpError } from '../http/errors.ts';
import { LOCALE_INFO } from '../i18n/locales.ts';
import { requestLocale } from '../http/pages.ts';
import { mayReach, type RouteAction } from './authorize.ts';
import { isFullySignedIn, needsTwoFactor, type Principal } from './roles.ts';
import { secureCookies, sessionCookieName } from './cookies.ts';
import { loadPrincipal, type SessionSettings } from './sessions.ts';

/**
 * Who may reach a route. Every route must say (registration fails otherwise), so none is added
 * without a decision:
 * - 'public': anyone;
 * - 'session': anyone signed in, even with the email unverified; an officer, coordinator or
 *   administrator only once two-step verification is enrolled and passed, unless the route is one of
 *   the steps that finish signing in (config.signInStep: verify the email, enrol or pass two-step,
 *   sign out), which are all they reach before that;
 * - { action }: signed in fully and allowed the action by its module's policy.
 */
export type Access = 'public' | 'session' | { action: RouteAction };

/** A request from someone signed in: what a handler gets on a route whose access is 'session' or an action. */
export type SignedInRequest<G extends RouteGenericInterface = RouteGenericInterface> = FastifyRequest<G> & { principal: Principal };

/**
 * What a route's access guarantees of its request's principal: someone signed in where the route is
 * not public (installAuth refuses everyone else before the handler runs), possibly no one otherwise.
 */
export type PrincipalFor<A> = A extends 'session' | { readonly action: RouteAction } ? { principal: Principal } : unknown;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** A step of signing in that a half-signed-in person must be able to reach (see Access). */
    signInStep?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const isApi = (url: string): boolean => url.startsWith('/api/');

function accessOf(config: unknown): Access | undefined {
  return (config as { access?: Access } | undefined)?.access;
}

/** Where a half-signed-in person must go before anything else, if anywhere. */
export function nextStep(principal: Principal): '/account/verify-email' | '/account/two-factor' | '/login/two-factor' | undefined {
  if (!principal.user.emailVerified) return '/account/verify-email';
  if (!needsTwoFactor(principal)) return undefined;
  if (!principal.user.twoFactorEnabled) return '/account/two-factor';
  if (!principal.session.secondFactorDone) return '/login/two-factor';
  return undefined;
}

function deny(request: FastifyRequest, reply: FastifyReply, status: 401 | 403): FastifyReply | undefined {
  const page = request.method === 'GET' && !isApi(request.url);
  const prefix = LOCALE_INFO[requestLocale(request)].prefix;
  if (page && status === 401) {
    const step = request.principal ? nextStep(request.principal) : undefined;
    const target = step ? `/${prefix}${step}` : `/${prefix}/login?next=${encodeURIComponent(request.url)}`;
    return reply.redirect(target, 303);
  }
  throw status === 401 ? new HttpError(401, 'sign_in_required', 'Sign in to continue') : new HttpError(403, 'forbidden', 'You may not do this');
}

/** Whether a signed-in person still has two-step verification to enrol or pass before anything but those steps. */
function twoStepPending(principal: Principal): boolean {
  return needsTwoFactor(principal) && !(principal.user.twoFactorEnabled && principal.session.secondFactorDone);
}

/** `publicUrl` decides the cookies' names and flags (plain http when absent: tests of a bare plugin). */
export async function installAuth(app: FastifyInstance, options: { db: Db; session: SessionSettings; publicUrl?: string }): Promise<void> {
  const publicUrl = options.publicUrl ?? 'http://localhost';
  const sessionCookie = sessionCookieName(publicUrl);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(publicUrl) },
    getToken: (request) => (request.body as { _csrf?: string } | undefined)?._csrf ?? (request.headers['x-csrf-token'] as string | undefined),
  });
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const access = accessOf(route.config);
    if (!access) throw new Error(`The route ${String(route.method)} ${route.url} does not declare who may reach it (config.access)`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Every state-changing request carries a CSRF token; no route can forget it.
    if (methods.some((m) => !SAFE_METHODS.has(m))) {
      const existing = route.preHandler ? (Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]) : [];
      route.preHandler = [app.csrfProtection, ...existing];
    }
  });

  // Who is asking is known, and refused if they may not come in, before a byte of the body is read:
  // a form, let alone files, from someone who may not use the route costs nothing to turn away.
  app.addHook('onRequest', async (request, reply) => {
    const secret = request.cookies[sessionCookie];
    if (secret) request.principal = await loadPrincipal(options.db.kysely, secret, options.session);
    const access = accessOf(request.routeOptions.config);
    // Only the not-found handler has no access: every route declares one.
    if (access === undefined || access === 'public') return;
    if (!request.principal) return deny(request, reply, 401);
    if (access === 'session') {
      // Staff who have not enrolled (or not yet passed) two-step verification reach only its steps.
      if (twoStepPending(request.principal) && !request.routeOptions.config.signInStep) return deny(request, reply, 401);
      return;
    }
    if (!isFullySignedIn(request.principal)) return deny(request, reply, 401);
    if (!mayReach(request.principal, access.action)) return deny(request, reply, 403);
  });
}
