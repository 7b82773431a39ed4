import { systemClock } from '../../platform/clock.ts';
import { insertRegistration } from './queries/registrations.ts';
import { newCheckInCode } from './register-for-event.ts';
import { makeEvent } from './testing.ts';
import { B, EVERYONE, F, type ModuleMatrix, NOT_FOUND, O, type Outcome, S, SIGNED_IN } from '../../platform/access-matrix.ts';

/** A registration is its person's alone: anyone else finds nothing there. */
const OWNER: Outcome[] = [S, O, ...NOT_FOUND.slice(2)];
/** Officers and coordinators: the organisers' list and new events. */
const ORGANISERS: Outcome[] = [S, F, F, O, O, F];
/** The event's organisers (zj-commerce; the matrix officer is hk-fstb's) and coordinators. */
const EVENT_MANAGERS: Outcome[] = [S, F, F, F, O, F];

/**
 * Events: public to read, registration for those signed in, the organisers' workspace. The event tried
 * is organised by zj-commerce, in 2099; its registration is the matrix resident's.
 */
export const eventsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/events': { url: '/en/events', expect: EVERYONE },
    'GET /{lang}/events/calendar.ics': { url: '/en/events/calendar.ics', expect: EVERYONE },
    'GET /{lang}/events/:reference': { url: '/en/events/{event}', expect: EVERYONE },
    'GET /{lang}/events/:reference/:slot': { url: '/en/events/{event}/{slot}', expect: EVERYONE },
    'GET /{lang}/events/:reference/:slot/event.ics': { url: '/en/events/{event}/{slot}/event.ics', expect: EVERYONE },
    'GET /{lang}/events/:reference/:slot/register': { url: '/en/events/{event}/{slot}/register', expect: SIGNED_IN },
    'POST /{lang}/events/:reference/:slot/register': { url: '/en/events/{event}/{slot}/register', expect: SIGNED_IN },
    'GET /{lang}/events/registrations/:reference': { url: '/en/events/registrations/{registration}', expect: OWNER },
    'POST /{lang}/events/registrations/:reference/cancel': { url: '/en/events/registrations/{registration}/cancel', expect: OWNER },
    'GET /{lang}/events/mine': { url: '/en/events/mine', expect: SIGNED_IN },
    'GET /{lang}/workspace/events': { url: '/en/workspace/events', expect: ORGANISERS },
    'GET /{lang}/workspace/events/new': { url: '/en/workspace/events/new', expect: ORGANISERS },
    'POST /{lang}/workspace/events/new': { url: '/en/workspace/events/new', expect: ORGANISERS },
    'GET /{lang}/workspace/events/:reference': { url: '/en/workspace/events/{event}', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference': { url: '/en/workspace/events/{event}', expect: EVENT_MANAGERS },
    'GET /{lang}/workspace/events/:reference/:slot': { url: '/en/workspace/events/{event}/{slot}', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot': { url: '/en/workspace/events/{event}/{slot}', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot/cancel': { url: '/en/workspace/events/{event}/{slot}/cancel', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot/restore': { url: '/en/workspace/events/{event}/{slot}/restore', expect: EVENT_MANAGERS },
    'GET /{lang}/workspace/events/:reference/:slot/registrations': { url: '/en/workspace/events/{event}/{slot}/registrations', expect: EVENT_MANAGERS },
    'GET /{lang}/workspace/events/:reference/:slot/registrations.xlsx': { url: '/en/workspace/events/{event}/{slot}/registrations.xlsx', expect: EVENT_MANAGERS },
    'GET /{lang}/workspace/events/:reference/:slot/registrations.csv': { url: '/en/workspace/events/{event}/{slot}/registrations.csv', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot/registrations/:registration/decide': { url: '/en/workspace/events/{event}/{slot}/registrations/{registration}/decide', expect: [S, F, F, F, B, F] },
    'GET /{lang}/workspace/events/:reference/:slot/check-in': { url: '/en/workspace/events/{event}/{slot}/check-in', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot/check-in': { url: '/en/workspace/events/{event}/{slot}/check-in', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot/check-in/undo': { url: '/en/workspace/events/{event}/{slot}/check-in/undo', expect: EVENT_MANAGERS },
    'GET /{lang}/workspace/events/:reference/:slot/report': { url: '/en/workspace/events/{event}/{slot}/report', expect: EVENT_MANAGERS },
    'POST /{lang}/workspace/events/:reference/:slot/report': { url: '/en/workspace/events/{event}/{slot}/report', expect: EVENT_MANAGERS },
    'GET /{lang}/workspace/events/check-in': { url: '/en/workspace/events/check-in', expect: ORGANISERS },
    'GET /{lang}/events/:reference/:slot/feedback': { url: '/en/events/{event}/{slot}/feedback', expect: EVERYONE },
    'POST /{lang}/events/:reference/:slot/feedback': { url: '/en/events/{event}/{slot}/feedback', expect: EVERYONE },
  },
  async setup(db, users) {
    const { event, occurrences } = await makeEvent(db, { startsLocal: '2099-01-15T14:30' });
    const first = occurrences[0] as (typeof occurrences)[number];
    const registration = await db.transaction().execute((trx) =>
      insertRegistration(trx, {
        occurrenceId: first.id,
        userId: users.get('resident') as string,
        state: 'confirmed',
        locale: 'en',
        answers: {},
        checkInCode: newCheckInCode(),
        year: 2026,
        now: systemClock(),
      }),
    );
    return { event: event.reference, slot: first.slot, registration: registration.reference };
  },
};
