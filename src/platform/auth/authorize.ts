import { HttpError } from '../http/errors.ts';
import { isFullySignedIn, type Principal } from './roles.ts';

/** A rule decides whether a principal may perform an action, on a resource of type R (unknown: none). */
export type Rule<R = unknown> = (principal: Principal, resource: R) => boolean;

/**
 * Every action, with the resource its rule looks at. A module adds its actions by declaration merging
 * in its policy.ts (`declare module … { interface Policies extends PolicyResources<typeof myPolicy> {} }`),
 * so an action's name and its resource are checked at compile time wherever it is asked.
 */
/** @public (augmented by every module's policy.ts) */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each module's declaration merging
export interface Policies {}

/** An action some module's policy declares. */
export type ActionName = keyof Policies & string;

/** The resource each action of a policy takes (unknown where the rule looks at none). */
export type PolicyResources<P> = { [A in keyof P]: P[A] extends (principal: Principal, resource: infer R) => boolean ? R : unknown };

/** The resource argument of an action: required when its rule needs one, optional otherwise. */
type ResourceArgument<A extends ActionName> = unknown extends Policies[A] ? [resource?: unknown] : undefined extends Policies[A] ? [resource?: Policies[A]] : [resource: Policies[A]];

/** An action whose rule needs no resource: what a route's access may name. */
export type RouteAction = { [A in ActionName]: [] extends ResourceArgument<A> ? A : never }[ActionName];

/** A module's policy: its actions and their rules. */
export type Policy = Readonly<Record<string, Rule<never>>>;

/** Declares a module's actions and who may perform them; the module's manifest registers it. */
export function definePolicy<const P extends Record<string, Rule<never>>>(policy: P): P {
  return policy;
}

const rules = new Map<string, Rule<unknown>>();

/** Registers a policy's rules (installModules does, once per manifest). Rules see only fully signed-in principals. */
export function registerPolicy(policy: Policy): void {
  for (const [action, rule] of Object.entries(policy)) {
    if (rules.has(action) && rules.get(action) !== rule) throw new Error(`The action ${action} is declared twice`);
    rules.set(action, rule as Rule<unknown>);
  }
}

function check(principal: Principal | null, action: string, resource: unknown): boolean {
  const rule = rules.get(action);
  if (!rule) throw new Error(`No policy declares the action ${action}`);
  return isFullySignedIn(principal) && rule(principal, resource);
}

/** The one authorization check. */
export function authorize<A extends ActionName>(principal: Principal | null, action: A, ...[resource]: ResourceArgument<A>): boolean {
  return check(principal, action, resource);
}

/** Whether a principal may reach a route that declares an action as its access (no resource yet). */
export function mayReach(principal: Principal | null, action: RouteAction): boolean {
  return check(principal, action, undefined);
}

/** Throws 401 for the anonymous and 403 for the signed-in when the action is not allowed. */
export function assertAuthorized<A extends ActionName>(principal: Principal | null, action: A, ...resource: ResourceArgument<A>): void {
  if (check(principal, action, resource[0])) return;
  if (!isFullySignedIn(principal)) throw new HttpError(401, 'sign_in_required', 'Sign in to continue');
  throw new HttpError(403, 'forbidden', 'You may not do this');
}

/** What the principal may do, for views to show only what is allowed. */
export function abilities<A extends ActionName>(principal: Principal | null, actions: readonly A[], ...resource: ResourceArgument<A>): Record<A, boolean> {
  return Object.fromEntries(actions.map((a) => [a, check(principal, a, resource[0])])) as Record<A, boolean>;
}
