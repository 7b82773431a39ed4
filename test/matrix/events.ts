import { insertRegistration } from '../../src/modules/events/queries.ts';
import { newCheckInCode } from '../../src/modules/events/register-for-event.ts';
import { makeEvent } from '../../src/modules/events/testing.ts';
import { type ModuleMatrix, NOT_FOUND, O, type Outcome, S, SIGNED_IN } from './outcomes.ts';

/** A registration is its person's alone: anyone else finds nothing there. */
const OWNER: Outcome[] = [S, O, ...NOT_FOUND.slice(2)];

export const eventsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/events/:reference/:slot/register': { url: '/en/events/{event}/{slot}/register', expect: SIGNED_IN },
    'POST /{lang}/events/:reference/:slot/register': { url: '/en/events/{event}/{slot}/register', expect: SIGNED_IN },
    'GET /{lang}/events/registrations/:reference': { url: '/en/events/registrations/{registration}', expect: OWNER },
    'POST /{lang}/events/registrations/:reference/cancel': { url: '/en/events/registrations/{registration}/cancel', expect: OWNER },
    'GET /{lang}/events/mine': { url: '/en/events/mine', expect: SIGNED_IN },
  },
  async setup(db, users) {
    const { event, occurrences } = await makeEvent(db, { startsLocal: '2099-01-15T14:30' });
    const first = occurrences[0] as (typeof occurrences)[number];
    const registration = await db.transaction().execute((trx) =>
      insertRegistration(trx, { occurrenceId: first.id, userId: users.get('resident') as string, state: 'confirmed', locale: 'en', answers: {}, checkInCode: newCheckInCode(), year: 2026, now: new Date() }),
    );
    return { event: event.reference, slot: first.slot, registration: registration.reference };
  },
};
