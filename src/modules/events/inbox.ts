import { agenciesOf } from '../../platform/auth/roles.ts';
import type { InboxKind } from '../../platform/module.ts';
import { keepsEveryEvent } from './policy.ts';

/**
 * Registrations waiting for the organiser's approval, on dates not yet over and not cancelled: of the
 * events of the person's agencies, or of every event for coordinators (as the organisers' list shows them).
 */
export const registrationsInbox: InboxKind = {
  label: 'events.inbox.pending',
  path: '/workspace/events',
  action: 'event.workspace',
  order: 30,
  async count(ctx, principal) {
    const agencies = agenciesOf(principal);
    const everyEvent = keepsEveryEvent(principal);
    if (!everyEvent && agencies.length === 0) return 0;
    let query = ctx.db.kysely
      .selectFrom('event_registrations as r')
      .innerJoin('event_occurrences as o', 'o.id', 'r.occurrence_id')
      .where('r.state', '=', 'pending')
      .where('o.status', '!=', 'cancelled')
      .where('o.ends_at', '>', ctx.now());
    if (!everyEvent) query = query.where('o.event_id', 'in', (eb) => eb.selectFrom('event_organisers').select('event_id').where('organisation_id', 'in', agencies));
    const row = await query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
