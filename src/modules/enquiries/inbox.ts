import { agenciesOf, coordinatesSide, type Principal } from '../../platform/auth/roles.ts';
import type { InboxKind } from '../../platform/module.ts';
import { countQueue, type QueueFilter } from './queries/queue.ts';

/** Where a person looks for cases: their agencies', their side's (coordinators), and the coordinators' tray. */
export function queueScope(principal: Principal): Pick<QueueFilter, 'agencyIds' | 'sides' | 'withCoordinators'> {
  const sides = (['hong-kong', 'zhejiang'] as const).filter((s) => coordinatesSide(principal, s));
  return { agencyIds: agenciesOf(principal), sides: [...sides], withCoordinators: sides.length > 0 };
}

/** Cases waiting for the person's agency (open) or, for coordinators, in their tray (refused twice). */
export const enquiriesInbox: InboxKind = {
  label: 'enq.inbox',
  path: '/workspace/enquiries',
  action: 'enquiry.queue',
  order: 20,
  async count(ctx, principal) {
    const scope = queueScope(principal);
    const db = ctx.db.kysely;
    const [open, tray] = await Promise.all([countQueue(db, { ...scope, state: 'open' }), scope.withCoordinators ? countQueue(db, { withCoordinators: true, state: 'with-coordinators' }) : 0]);
    return open + tray;
  },
};
