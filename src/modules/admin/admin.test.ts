import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, enrolledTwoFactor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { createSession, SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import { insertRole, insertUser } from '../accounts/testing.ts';

describe.each(DATABASES)('the admin area on %s', (kind) => {
  let t: TestApp;
  let coordinator: TestClient;
  const as = async (role: Role, organisationId: string | null): Promise<TestClient> => {
    const db = t.database.db.kysely;
    const id = randomUUID();
    await insertUser(db, { id, email: `${role}@example.org`, displayName: role, locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(db, { userId: id, role, organisationId, grantedBy: null });
    await db.updateTable('users').set(enrolledTwoFactor(id)).where('id', '=', id).execute();
    const client = new TestClient(t.app);
    client.cookies.set(SESSION_COOKIE, await createSession(db, { userId: id, settings: t.ctx.config.session, secondFactor: true }));
    return client;
  };
  beforeAll(async () => {
    t = await testApp(kind);
    // The coordinator's account exists before any test: the mailbox test sends it a reset link, whatever ran first.
    coordinator = await as('custodian-coordinator', 'zj-commerce');
  });
  afterAll(async () => {
    await t.close();
  });

  it('lets a coordinator record renewal, which the public pages show at once and the audit trail records', async () => {
    const home = await coordinator.get('/zh-hans/admin');
    expect(home.body).toContain('审计记录');
    expect(home.body).not.toContain('/zh-hans/admin/mailbox');
    const missing = await coordinator.post('/en/admin/agreements/zjhk-2023', { status: 'renewed', renewedBy: '', note: '' });
    expect(missing.body).toContain('Give the id of the agreement that renews this one');
    const unknown = await coordinator.post('/en/admin/agreements/zjhk-2023', { status: 'renewed', renewedBy: 'zjhk-2099', note: '' });
    expect(unknown.body).toContain('There is no agreement with this id on the platform');
    const saved = await coordinator.post('/en/admin/agreements/zjhk-2023', { status: 'negotiating', renewedBy: '', note: 'Working group met in Hangzhou' });
    expect(saved.body).toContain('Saved.');
    expect((await new TestClient(t.app).get('/en/agreements/zjhk-2023')).body).toContain('Renewal under negotiation');

    const audit = await coordinator.get('/en/admin/audit?action=agreement.renewal');
    expect(audit.body).toContain('agreement.renewal.recorded');
    // The trail names the coordinator by account id, never by address.
    expect(audit.body).toMatch(/account [0-9a-f-]{36}/);
    expect(audit.body).not.toContain('custodian-coordinator@example.org');
    expect(audit.body).toContain('Working group met in Hangzhou');
    expect((await coordinator.get('/en/admin/audit?action=nothing.like.this')).body).toContain('No records match.');
  });

  it('shows administrators the outgoing mail, with the messages themselves in the dev mailbox', async () => {
    const admin = await as('administrator', null);
    await new TestClient(t.app).post('/en/forgot-password', { email: 'custodian-coordinator@example.org' });
    const mailbox = await admin.get('/en/admin/mailbox');
    expect(mailbox.body).toContain('Dev mailbox');
    expect(mailbox.body).toContain('custodian-coordinator@example.org');
    expect(mailbox.body).toMatch(/\/en\/reset-password\?token=[\w-]+/);
  });
});
