import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole, type Principal } from '../../platform/auth/roles.ts';

/** What the rules need to know about an event: who organises it. */
export interface EventRef {
  organisers: readonly string[];
}

/** Coordinators keep every event; an officer keeps the events their agencies organise (agenciesOf). */
export const keepsEveryEvent = (p: Principal) => hasRole(p, 'custodian-coordinator');
const isCoordinator = keepsEveryEvent;
const ofOrganiser = (p: Principal, e: EventRef) => e.organisers.some((o) => hasRole(p, 'agency-officer', o));

/**
 * Officers organise their agency's events; coordinators keep every event. People with any account
 * register; registrations are seen by the event's organisers and the coordinators only.
 */
export const eventsPolicy = definePolicy({
  /** The organisers' list of events, and creating an event (an officer organises for their agency). */
  'event.workspace': (p) => isCoordinator(p) || hasRole(p, 'agency-officer'),
  /** Change an event and its dates; see, decide on and check in its registrations; record its report. */
  'event.manage': (p, event: EventRef) => isCoordinator(p) || ofOrganiser(p, event),
  /** Register for an event (any signed-in person with a verified email). */
  'event.register': () => true,
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof eventsPolicy> {}
}
