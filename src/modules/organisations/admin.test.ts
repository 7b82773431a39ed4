import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp, enrolledTwoFactor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { createSession, SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import { insertRole, insertUser } from '../accounts/testing.ts';
import { findOrganisation } from './queries.ts';

describe.each(DATABASES)('keeping the organisations on %s', (kind) => {
  let t: TestApp;
  let admin: TestClient;
  beforeAll(async () => {
    t = await testApp(kind);
    const db = t.database.db.kysely;
    const id = randomUUID();
    await insertUser(db, { id, email: 'admin@example.org', displayName: 'Admin', locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await insertRole(db, { userId: id, role: 'administrator', organisationId: null, grantedBy: null });
    await db.updateTable('users').set(enrolledTwoFactor(id)).where('id', '=', id).execute();
    admin = new TestClient(t.app);
    admin.cookies.set(SESSION_COOKIE, await createSession(db, { userId: id, settings: t.ctx.config.session, secondFactor: true }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds an organisation in three languages, edits it, and refuses what would not make sense', async () => {
    const bad = await admin.post('/zh-hant/admin/organisations/new', { id: 'HK Bad', type: 'enterprise', side: 'hong-kong', website: 'http://x', nameEn: '' });
    expect(bad.body).toContain('請使用小寫字母、數字及單一連字號');
    expect(bad.body).toContain('請輸入以 https:// 開頭的網址');
    expect(bad.body).toContain('請填寫此項');
    const taken = await admin.post('/en/admin/organisations/new', { id: 'hk-cmab', type: 'enterprise', side: 'hong-kong', nameEn: 'Copy' });
    expect(taken.body).toContain('An organisation with this identifier exists already');

    const created = await admin.post('/en/admin/organisations/new', {
      id: 'hk-example-chamber',
      type: 'chamber-or-association',
      side: 'hong-kong',
      parentId: '',
      nameHant: '香港示例商會',
      nameHans: '香港示例商会',
      nameEn: 'Hong Kong Example Chamber',
      website: 'https://chamber.example',
      email: 'info@chamber.example',
    });
    expect(created.body).toContain('Saved.');
    expect(await findOrganisation(t.database.db.kysely, 'hk-example-chamber')).toMatchObject({ type: 'chamber-or-association', name: { en: 'Hong Kong Example Chamber' }, verified: { en: true } });

    const page = '/en/admin/organisations/hk-cmab';
    const cycle = await admin.post(
      '/en/admin/organisations/hk-government',
      { type: 'government-agency', side: 'hong-kong', parentId: 'hk-cmab', nameEn: 'Government' },
      { from: '/en/admin/organisations/hk-government' },
    );
    expect(cycle.body).toContain('An organisation cannot be part of itself');
    const edited = await admin.post(page, {
      type: 'custodian',
      side: 'hong-kong',
      parentId: 'hk-government',
      nameHant: '政制及內地事務局',
      nameHans: '政制及内地事务局',
      nameEn: 'Constitutional and Mainland Affairs Bureau',
      phone: '+852 2810 2933',
    });
    expect(edited.body).toContain('Saved.');
    const trail = await t.database.db.kysely.selectFrom('audit_events').select(['action', 'changes']).where('entity_id', '=', 'hk-cmab').where('action', '=', 'organisation.updated').execute();
    expect(trail.at(-1)?.changes).toMatchObject({ phone: { before: null, after: '+852 2810 2933' } });
  });
});
