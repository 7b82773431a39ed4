import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, type TestDatabase } from '../../databases.ts';
import { insertRole, insertUser } from '../../../src/modules/accounts/testing.ts';
import { createSession, endUserSessions, loadPrincipal, secretId } from '../../../src/platform/auth/sessions.ts';

const settings = { idleMinutes: 30, maxHours: 12 };
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

describe.each(DATABASES)('sessions on %s', (kind) => {
  let t: TestDatabase;
  let userId: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    userId = randomUUID();
    await insertUser(t.db.kysely, { id: userId, email: 'someone@example.org', displayName: 'Someone', locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(t.db.kysely, { userId, role: 'agency-officer', organisationId: 'hk-cmab', grantedBy: null });
  });
  afterEach(async () => {
    await t.drop();
  });

  it('knows who holds a session, with their roles and the side of their agency', async () => {
    const start = new Date();
    const secret = await createSession(t.db.kysely, { userId, settings, secondFactor: false, now: start });
    const principal = await loadPrincipal(t.db.kysely, secret, settings, at(start, 1));
    expect(principal).toMatchObject({
      user: { id: userId, email: 'someone@example.org', emailVerified: true, twoFactorEnabled: false },
      roles: [{ role: 'agency-officer', organisationId: 'hk-cmab', side: 'hong-kong' }],
      session: { id: secretId(secret), secondFactorDone: false },
    });
    expect(await loadPrincipal(t.db.kysely, 'not-a-session', settings)).toBeNull();
  });

  it('ends a session left idle too long, and one older than the absolute limit however busy', async () => {
    const start = new Date();
    const idle = await createSession(t.db.kysely, { userId, settings, secondFactor: false, now: start });
    expect(await loadPrincipal(t.db.kysely, idle, settings, at(start, 29))).not.toBeNull();
    expect(await loadPrincipal(t.db.kysely, idle, settings, at(start, 29 + 31))).toBeNull();

    const busy = await createSession(t.db.kysely, { userId, settings, secondFactor: false, now: start });
    let now = start;
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      now = at(start, minutes);
      expect(await loadPrincipal(t.db.kysely, busy, settings, now), `after ${minutes} minutes`).not.toBeNull();
    }
    expect(await loadPrincipal(t.db.kysely, busy, settings, at(start, 12 * 60 + 1))).toBeNull();
  });

  it('ends every session of a user at once, and those of a disabled user', async () => {
    const one = await createSession(t.db.kysely, { userId, settings, secondFactor: false });
    const two = await createSession(t.db.kysely, { userId, settings, secondFactor: false });
    await endUserSessions(t.db.kysely, userId, secretId(two));
    expect(await loadPrincipal(t.db.kysely, one, settings)).toBeNull();
    expect(await loadPrincipal(t.db.kysely, two, settings)).not.toBeNull();
    await t.db.kysely.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', userId).execute();
    expect(await loadPrincipal(t.db.kysely, two, settings)).toBeNull();
  });
});
