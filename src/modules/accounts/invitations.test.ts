import { randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { testAppFor, enrolledTwoFactor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { createSession, SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import { insertRole, insertUser } from './queries.ts';

const PASSWORD = 'lantern festival on the river';

describe.each(DATABASES)('invitations on %s', (kind) => {
  const t = testAppFor(kind);

  /** A client signed in (with the second step passed) as someone with this role. */
  const signedIn = async (role: Role, organisationId: string | null): Promise<TestClient> => {
    const db = t.database.db.kysely;
    const id = randomUUID();
    await insertUser(db, { id, email: `${role}-${id.slice(0, 6)}@example.org`, displayName: `A ${role}`, locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(db, { userId: id, role, organisationId, grantedBy: null });
    await db.updateTable('users').set(enrolledTwoFactor(id)).where('id', '=', id).execute();
    const client = new TestClient(t.app);
    client.cookies.set(SESSION_COOKIE, await createSession(db, { userId: id, settings: t.ctx.config.session, secondFactor: true }));
    return client;
  };

  const invitationLink = async (to: string): Promise<string> => {
    const mail = await t.database.db.kysely.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const url = new URL(mail.text_body.match(/https?:\/\/\S+/)?.[0] ?? '');
    return `${url.pathname}${url.search}`;
  };

  it('lets an administrator invite an officer, who sets a password and enrols two-step verification', async () => {
    const admin = await signedIn('administrator', null);
    // Only this test's invitation events are compared: another test may have invited and withdrawn before.
    const lastEvent = (await t.database.db.kysely.selectFrom('audit_events').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())?.id ?? '0';
    const sent = await admin.post('/en/admin/invitations', { email: 'officer@fstb.example', displayName: 'Lee Siu Ming', role: 'agency-officer', organisationId: 'hk-fstb', locale: 'zh-Hant' });
    expect(sent.body).toContain('An invitation is on its way to officer@fstb.example');
    expect(sent.body).toContain('officer@fstb.example</td>');
    const mail = await t.database.db.kysely.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'officer@fstb.example').executeTakeFirstOrThrow();
    expect(mail.subject).toBe('浙港合作平台邀請');
    expect(mail.text_body).toContain('部門人員');

    const officer = new TestClient(t.app);
    const link = await invitationLink('officer@fstb.example');
    expect(link).toMatch(/^\/zh-hant\/invitation\?token=/);
    const page = await officer.get(link);
    expect(page.body).toContain('value="Lee Siu Ming"');
    const weak = await officer.post(
      '/zh-hant/invitation',
      { token: new URLSearchParams(link.split('?')[1]).get('token') ?? '', displayName: 'Lee Siu Ming', password: 'short', confirmPassword: 'short' },
      { from: link },
    );
    expect(weak.body).toContain('密碼最少須有 12 個字元');
    const token = new URLSearchParams(link.split('?')[1]).get('token') ?? '';
    const accepted = await officer.post('/zh-hant/invitation', { token, displayName: 'Lee Siu Ming', password: PASSWORD, confirmPassword: PASSWORD }, { from: link });
    expect(accepted.headers.location).toBe('/zh-hant/account/two-factor');

    // Nothing but enrolment until it is done.
    expect((await officer.get('/en/account')).headers.location).toBe('/en/account/two-factor');
    const setup = await officer.get('/en/account/two-factor');
    const secret = setup.body.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)?.[1]?.replace(/ /g, '') ?? '';
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    expect((await officer.post('/en/account/two-factor', { code })).body).toContain('Your recovery codes');
    const account = await officer.get('/en/account');
    expect(account.body).toContain('Agency officer — Financial Services and the Treasury Bureau');

    // The link worked once.
    expect((await new TestClient(t.app).get(link)).body).toContain('此邀請無效');
    const actions = (await t.database.db.kysely.selectFrom('audit_events').select('action').where('action', 'like', 'invitation.%').where('id', '>', lastEvent).orderBy('id').execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(['invitation.created', 'invitation.accepted']);
  });

  it('lets a coordinator invite officers of agencies on their own side only', async () => {
    const coordinator = await signedIn('custodian-coordinator', 'hk-cmab');
    const form = await coordinator.get('/en/admin/invitations');
    expect(form.body).toContain('value="agency-officer"');
    expect(form.body).not.toContain('value="administrator"');
    expect(form.body).not.toContain('value="zj-commerce"');
    const other = await coordinator.post('/en/admin/invitations', { email: 'someone@zj.example', displayName: 'Someone', role: 'agency-officer', organisationId: 'zj-commerce', locale: 'zh-Hans' });
    expect(other.body).toContain('You cannot invite someone to this role for this organisation');
    const admin = await coordinator.post('/en/admin/invitations', { email: 'boss@example.org', displayName: 'Boss', role: 'administrator', organisationId: '', locale: 'en' });
    expect(admin.body).toContain('You cannot invite someone to this role');
    expect(await t.database.db.kysely.selectFrom('mail_outbox').select('id').where('to_address', 'in', ['someone@zj.example', 'boss@example.org']).execute()).toHaveLength(0);

    await coordinator.post('/en/admin/invitations', { email: 'new.officer@hkma.example', displayName: 'New Officer', role: 'agency-officer', organisationId: 'hk-hkma', locale: 'en' });
    const link = await invitationLink('new.officer@hkma.example');
    const list = await coordinator.get('/en/admin/invitations');
    const id = list.body.match(/name="id" value="([0-9a-f]{64})"/)?.[1] ?? '';
    const withdrawn = await coordinator.post('/en/admin/invitations/withdraw', { id, confirm: 'yes' }, { from: '/en/admin/invitations' });
    expect(withdrawn.body).toContain('The invitation has been withdrawn');
    expect((await new TestClient(t.app).get(link)).body).toContain('This invitation does not work');
  });
});
