import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type Actor, type RequestInfo, requestInfo, userActor } from '../audit/audit.ts';
import type { SignedInRequest } from '../auth/plugin.ts';
import type { Database } from '../db/schema.ts';
import type { AppContext } from '../module.ts';

/**
 * What a use case run for a request is given, from one place: the database, who acts (for the audit
 * trail), the request it came from, and the instant it acts at (the app's clock, which a test may fix).
 */
export interface UseCaseContext<A extends Actor = Actor> {
  db: Kysely<Database>;
  actor: A;
  request: RequestInfo;
  now: Date;
}

/** The context of a use case run for a signed-in person's request: they act. */
export function useCaseContext(request: SignedInRequest, app: Pick<AppContext, 'db' | 'now'>): UseCaseContext<Actor & { type: 'user' }>;
/** The context of a use case run for a request anyone may send: the signed-in person acts, or `anonymous` for a visitor. */
export function useCaseContext(request: FastifyRequest, app: Pick<AppContext, 'db' | 'now'>, anonymous: Actor): UseCaseContext;
export function useCaseContext(request: FastifyRequest, app: Pick<AppContext, 'db' | 'now'>, anonymous?: Actor): UseCaseContext {
  const actor = request.principal ? userActor(request.principal) : anonymous;
  if (!actor) throw new Error(`${request.method} ${request.url} runs a use case for someone signed in, and no one is`);
  const now = app.now();
  return { db: app.db.kysely, actor, request: { ...requestInfo(request), at: now }, now };
}
