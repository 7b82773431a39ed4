import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, enrolledTwoFactor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { createSession, SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import { insertRole, insertUser } from './queries.ts';

const PASSWORD = 'qiantang river tidal bore';

describe.each(DATABASES)('managing people on %s', (kind) => {
  let t: TestApp;
  let admin: TestClient;
  let adminId: string;
  let residentId: string;
  beforeAll(async () => {
    t = await testApp(kind);
    const db = t.database.db.kysely;
    adminId = randomUUID();
    await insertUser(db, { id: adminId, email: 'admin@example.org', displayName: 'The Admin', locale: 'en', passwordHash: null, emailVerifiedAt: t.ctx.now() });
    await insertRole(db, { userId: adminId, role: 'administrator', organisationId: null, grantedBy: null });
    await db.updateTable('users').set(enrolledTwoFactor(adminId)).where('id', '=', adminId).execute();
    admin = new TestClient(t.app);
    admin.cookies.set(SESSION_COOKIE, await createSession(db, { userId: adminId, settings: t.ctx.config.session, secondFactor: true }));
    residentId = randomUUID();
    await insertUser(db, { id: residentId, email: 'wong@example.org', displayName: 'Second Resident', locale: 'zh-Hant', passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: t.ctx.now() });
    await insertRole(db, { userId: residentId, role: 'resident', organisationId: null, grantedBy: null });
    // A resident of the representation test's own: its sign-in and new role stay out of the first test's audit trail.
    const applicantId = randomUUID();
    await insertUser(db, { id: applicantId, email: 'lam@example.org', displayName: 'Third Resident', locale: 'zh-Hant', passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: t.ctx.now() });
    await insertRole(db, { userId: applicantId, role: 'resident', organisationId: null, grantedBy: null });
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds people, grants and removes roles, and disables an account so that its sessions end', async () => {
    const found = await admin.get('/en/admin/users?q=WONG');
    expect(found.body).toContain('Second Resident');
    expect(found.body).not.toContain('admin@example.org');

    const resident = new TestClient(t.app);
    expect((await resident.post('/en/login', { email: 'wong@example.org', password: PASSWORD })).statusCode).toBe(303);

    const page = `/en/admin/users/${residentId}`;
    const noOrg = await admin.post(`${page}/roles`, { role: 'agency-officer', organisationId: '' }, { from: page });
    expect(noOrg.body).toContain('Choose one');
    expect(noOrg.body).not.toContain('Enter this');
    const granted = await admin.post(`${page}/roles`, { role: 'enterprise-representative', organisationId: 'hk-hkex' }, { from: page });
    expect(granted.body).toContain('The role has been added');
    expect(granted.body).toContain('Enterprise representative — ');
    const grant =
      granted.body
        .match(/name="grant" value="(\d+)"/g)
        ?.at(-1)
        ?.match(/\d+/)?.[0] ?? '';
    const removed = await admin.post(`${page}/roles/remove`, { grant, confirm: 'yes' }, { from: page });
    expect(removed.body).toContain('The role has been removed');
    expect(removed.body).not.toContain('Enterprise representative — ');

    const disabled = await admin.post(`${page}/disable`, { confirm: 'yes' }, { from: page });
    expect(disabled.body).toContain('The account is disabled');
    expect((await resident.get('/en/account')).headers.location).toBe('/en/login?next=%2Fen%2Faccount');
    expect((await new TestClient(t.app).post('/en/login', { email: 'wong@example.org', password: PASSWORD })).body).toContain('The email address or password is not right');
    await admin.post(`${page}/enable`, {}, { from: page });
    expect((await new TestClient(t.app).post('/en/login', { email: 'wong@example.org', password: PASSWORD })).statusCode).toBe(303);

    const self = await admin.post(`/en/admin/users/${adminId}/disable`, { confirm: 'yes' }, { from: `/en/admin/users/${adminId}` });
    expect(self.body).toContain('You cannot disable your own account');
    const actions = (await t.database.db.kysely.selectFrom('audit_events').select('action').where('entity_id', '=', residentId).where('action', 'like', 'user.%').orderBy('id').execute()).map(
      (r) => r.action,
    );
    // A failed sign-in is recorded against the account it was for (by id; an address without one is only counted).
    expect(actions).toEqual(['user.signed_in', 'user.role_granted', 'user.role_revoked', 'user.disabled', 'user.sign_in_failed', 'user.enabled', 'user.signed_in']);
  });

  it('lets a resident ask to represent an enterprise, and an administrator approve it with the right organisation', async () => {
    const resident = new TestClient(t.app);
    expect((await resident.post('/en/login', { email: 'lam@example.org', password: PASSWORD })).statusCode).toBe(303);
    const incomplete = await resident.post('/en/account/represent', { organisationId: '', organisationName: '', position: '' }, { from: '/en/account' });
    expect(incomplete.body).toContain('Choose the organisation, or give its name');
    const sent = await resident.post('/en/account/represent', { organisationId: '', organisationName: 'Example Trading Company Limited', position: 'Director' }, { from: '/en/account' });
    expect(sent.body).toContain('Your request has been sent');
    expect((await resident.get('/en/account')).body).toContain('waiting for approval');

    const list = await admin.get('/en/admin/representation-requests');
    expect(list.body).toContain('Example Trading Company Limited — Director');
    const id = list.body.match(/\/admin\/representation-requests\/(\d+)/)?.[1] ?? '';
    const from = '/en/admin/representation-requests';
    const noReason = await admin.post(`${from}/${id}`, { decision: 'reject', reason: '' }, { from });
    expect(noReason.body).toContain('Reason (told to the person): Enter this');
    const noOrganisation = await admin.post(`${from}/${id}`, { decision: 'approve', organisationId: '' }, { from });
    expect(noOrganisation.body).toContain('Choose the organisation, or give its name');
    const approved = await admin.post(`${from}/${id}`, { decision: 'approve', organisationId: 'hk-hkex' }, { from });
    expect(approved.body).toContain('Approved: the role has been granted');
    expect((await resident.get('/en/account')).body).toContain('Enterprise representative — ');
    const mail = await t.database.db.kysely.selectFrom('mail_outbox').select(['subject', 'locale']).where('to_address', '=', 'lam@example.org').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail).toEqual({ subject: '你現為平台上的機構代表', locale: 'zh-Hant' });
  });
});
