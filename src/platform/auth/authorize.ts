import { HttpError } from '../http/errors.ts';
import { isFullySignedIn, type Principal } from './roles.ts';

/** A rule decides whether a principal (null: anonymous) may perform an action, on a resource if given. */
export type Rule = (principal: Principal, resource?: unknown) => boolean;

const rules = new Map<string, Rule>();

/**
 * Declares a module's actions and who may perform them (each module's policy.ts calls this once).
 * Rules see only fully signed-in principals: verified email, and two-factor where the role needs it.
 */
export function definePolicy<A extends string>(policy: Record<A, Rule>): Record<A, Rule> {
  for (const [action, rule] of Object.entries(policy) as [A, Rule][]) {
    if (rules.has(action) && rules.get(action) !== rule) throw new Error(`The action ${action} is declared twice`);
    rules.set(action, rule);
  }
  return policy;
}

/** The one authorization check. */
export function authorize(principal: Principal | null, action: string, resource?: unknown): boolean {
  const rule = rules.get(action);
  if (!rule) throw new Error(`No policy declares the action ${action}`);
  return isFullySignedIn(principal) && rule(principal, resource);
}

/** Throws 401 for the anonymous and 403 for the signed-in when the action is not allowed. */
export function assertAuthorized(principal: Principal | null, action: string, resource?: unknown): void {
  if (authorize(principal, action, resource)) return;
  if (!isFullySignedIn(principal)) throw new HttpError(401, 'sign_in_required', 'Sign in to continue');
  throw new HttpError(403, 'forbidden', 'You may not do this');
}

/** What the principal may do, for views to show only what is allowed. */
export function abilities<A extends string>(principal: Principal | null, actions: readonly A[], resource?: unknown): Record<A, boolean> {
  return Object.fromEntries(actions.map((a) => [a, authorize(principal, a, resource)])) as Record<A, boolean>;
}
