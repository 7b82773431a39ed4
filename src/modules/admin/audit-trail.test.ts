import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { verifyAuditTrail } from '../../platform/audit/audit.ts';
import { actOnCase, sendEnquiry } from '../enquiries/testing.ts';
import { makeEvent } from '../events/testing.ts';
import { AUDIT_CHECKPOINT, adminModule } from './module.ts';

const PASSWORD = 'a long passphrase for the audit test 2026';

/** What people type about themselves and write in the main flows: none of it may reach the audit trail. */
const PERSONAL = {
  residentName: '黃小華 Wong Siu Wah',
  residentEmail: 'wong.siuwah@example.org',
  enquirerName: '林美玲',
  enquirerEmail: 'lam.meiling@example.org',
  enquirerPhone: '+852 9123 4567',
  enquirySubject: '居住證續期需要哪些文件',
  enquiryText: '我的居住證明年三月到期，住在杭州市西湖區文三路 88 號，想知道續期要帶甚麼。',
  replyText: '林女士：請攜帶身份證明文件到西湖區出入境接待大廳辦理。',
  suggestionName: '陳志強',
  suggestionEmail: 'chan.chikeung@example.org',
  suggestionTitle: '建議在寧波增設港人服務窗口',
  suggestionText: '寧波的港資企業員工很多，希望在市民中心設立專門窗口，聯絡電話 0574-8888 1234。',
  registrantEmail: 'registrant.ho@example.org',
  inviteeEmail: 'cheung.officer@fstb.example',
  inviteeName: '張志明',
} as const;

type Who = 'admin' | 'hkCoordinator' | 'zjCoordinator' | 'zjOfficer';

describe.each(DATABASES)('the audit trail after the main flows on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const people = {} as Record<Who, TestClient>;
  let residentId = '';
  let enquiry = { id: 0, reference: '' };
  let suggestion = '';

  beforeAll(async () => {
    people.admin = (await signedInClient(t, { email: 'admin@example.org', role: 'administrator' })).client;
    people.hkCoordinator = (await signedInClient(t, { email: 'coordinator@cmab.example', role: 'custodian-coordinator', organisationId: 'hk-cmab' })).client;
    people.zjCoordinator = (await signedInClient(t, { email: 'coordinator@commerce.example', role: 'custodian-coordinator', organisationId: 'zj-commerce' })).client;
    people.zjOfficer = (await signedInClient(t, { email: 'officer@hkmao.example', role: 'agency-officer', organisationId: 'zj-hkmao' })).client;

    // A resident registers.
    const resident = new TestClient(t.app);
    const registered = await resident.post('/en/register', { displayName: PERSONAL.residentName, email: PERSONAL.residentEmail, password: PASSWORD, confirmPassword: PASSWORD, locale: 'zh-Hant' });
    // Told to confirm the address (the registration itself is the same whether or not the address is known).
    expect(registered.statusCode).toBeLessThan(400);
    residentId = (await db().selectFrom('users').select('id').where('email', '=', PERSONAL.residentEmail).executeTakeFirstOrThrow()).id;

    // An enquiry (routed to a Zhejiang agency), answered by its officer.
    const row = await sendEnquiry(new TestClient(t.app), db(), {
      name: PERSONAL.enquirerName,
      email: PERSONAL.enquirerEmail,
      phone: PERSONAL.enquirerPhone,
      subject: PERSONAL.enquirySubject,
      description: PERSONAL.enquiryText,
    });
    enquiry = { id: row.id, reference: row.reference };
    expect((await actOnCase(people.zjOfficer, row.id, 'reply', { body: PERSONAL.replyText })).statusCode).toBe(303);

    // A suggestion, not yet published.
    const sent = await new TestClient(t.app).post('/zh-hant/suggestions/new', {
      subject: 'commitment:11-2',
      title: PERSONAL.suggestionTitle,
      body: PERSONAL.suggestionText,
      locale: 'zh-Hant',
      submitterType: 'resident',
      name: PERSONAL.suggestionName,
      email: PERSONAL.suggestionEmail,
      consent: 'yes',
      homepage: '',
    });
    expect(sent.statusCode).toBe(303);
    suggestion = (await db().selectFrom('suggestions').select('reference').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).reference;

    // A registration for an event.
    const { event, occurrences } = await makeEvent(db());
    const registrant = (await signedInClient(t, { email: PERSONAL.registrantEmail, role: 'resident' })).client;
    const path = `/en/events/${event.reference}/${occurrences[0]?.slot}/register`;
    expect((await registrant.post(path, { locale: 'en' }, { from: path })).statusCode).toBe(303);

    // An invitation, and an administrator's change to the resident's account.
    expect(
      (await people.admin.post('/en/admin/invitations', { email: PERSONAL.inviteeEmail, displayName: PERSONAL.inviteeName, role: 'agency-officer', organisationId: 'hk-fstb', locale: 'zh-Hant' }))
        .statusCode,
    ).toBeLessThan(400);
    const page = `/en/admin/users/${residentId}`;
    await people.admin.post(`${page}/roles`, { role: 'enterprise-representative', organisationId: 'hk-hkex' }, { from: page });
    await people.admin.post(`${page}/disable`, { confirm: 'yes' }, { from: page });
    await people.admin.post(`${page}/enable`, {}, { from: page });
  });

  it('carries no personal data: people by internal id, no names, addresses, numbers or texts people wrote, no IP addresses', async () => {
    const rows = await db().selectFrom('audit_events').selectAll().orderBy('id').execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['user.registered', 'enquiry.received', 'enquiry.replied', 'suggestion.received', 'event.registration.created', 'invitation.created', 'user.role_granted']) {
      expect(actions.has(action), action).toBe(true);
    }
    const trail = JSON.stringify(rows);
    for (const [what, value] of Object.entries(PERSONAL)) expect(trail.includes(value), what).toBe(false);
    // Not even parts of them (an address's name, a text's first words), nor the requests' addresses.
    for (const part of ['wong.siuwah', 'lam.meiling', '9123 4567', '文三路', '市民中心', '127.0.0.1']) expect(trail.includes(part), part).toBe(false);
    expect(rows.filter((r) => r.actor_type === 'user').every((r) => r.actor_label === null && r.actor_id)).toBe(true);
    expect(rows.find((r) => r.action === 'user.registered' && r.entity_id === residentId)?.actor_id).toBe(residentId);
    expect((await verifyAuditTrail(db())).broken).toBeUndefined();
  });

  it('shows an entry on the audit page only to those who may see its subject', async () => {
    const page = async (who: Who, entity: string) => {
      const response = await people[who].get(`/en/admin/audit?entity=${encodeURIComponent(entity)}`);
      expect(response.statusCode, who).toBe(200);
      return response.body;
    };
    // The enquiry (a Zhejiang agency's case): its side's coordinator, not the other side's, not an administrator.
    expect(await page('zjCoordinator', `enquiry:${enquiry.reference}`)).toContain('enquiry.received');
    for (const who of ['hkCoordinator', 'admin'] as const) {
      expect((await people[who].get(`/en/workspace/enquiries/${enquiry.id}`)).statusCode, who).toBe(403);
      const body = await page(who, `enquiry:${enquiry.reference}`);
      expect(body, who).not.toContain('enquiry.received');
      expect(body, who).not.toContain(`<code>enquiry:${enquiry.reference}</code>`);
    }
    // Nor on the unfiltered page.
    expect(await page('zjCoordinator', '')).toContain(`<code>enquiry:${enquiry.reference}</code>`);
    expect(await page('hkCoordinator', '')).not.toContain(enquiry.reference);
    expect(await page('admin', '')).not.toContain(enquiry.reference);
    // A suggestion before publication: coordinators, who moderate it; not administrators.
    expect(await page('hkCoordinator', `suggestion:${suggestion}`)).toContain('suggestion.received');
    expect(await page('admin', `suggestion:${suggestion}`)).not.toContain('suggestion.received');
    // Accounts: administrators, who manage them; not coordinators.
    expect(await page('admin', `user:${residentId}`)).toContain('user.registered');
    expect(await page('hkCoordinator', `user:${residentId}`)).not.toContain('user.registered');
    // Registrations: coordinators; not administrators.
    expect(await page('zjCoordinator', 'event-registration:')).toContain('event.registration');
    expect(await page('admin', 'event-registration:')).not.toContain('event.registration');
    // Records without personal data (the agreement loaded at start) are seen by both.
    for (const who of ['admin', 'hkCoordinator'] as const) expect(await page(who, 'agreement:'), who).toContain('agreement.');
  });

  it('writes a checkpoint of every chain every day, which verify then checks', async () => {
    const { handlers, recurring } = adminModule.jobs?.(t.ctx.config) ?? { handlers: {} };
    expect(recurring?.find((r) => r.kind === AUDIT_CHECKPOINT)?.every).toBe(`daily at 03:50 in ${t.ctx.config.timeZone}`);
    const logged: unknown[] = [];
    const log = { info: (fields: object) => logged.push(fields), warn() {}, error() {} };
    await (handlers[AUDIT_CHECKPOINT] as (p: unknown, c: unknown) => Promise<void>)({}, { db: db(), log, job: {}, workerId: 'test', now: t.ctx.now });
    const checkpoint = await db().selectFrom('audit_checkpoints').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(checkpoint).toMatchObject({ kind: 'periodic', reason: 'daily' });
    // Every chain in use, at its last record.
    const chains = await db()
      .selectFrom('audit_events')
      .select(['chain', (eb) => eb.fn.max('id').as('last')])
      .groupBy('chain')
      .execute();
    expect(checkpoint.heads.map((h) => [h.chain, h.id]).sort()).toEqual(chains.map((c) => [c.chain, String(c.last)]).sort());
    expect(logged).toEqual([expect.objectContaining({ checkpoint: String(checkpoint.id), chains: chains.length })]);
    expect(await verifyAuditTrail(db())).toMatchObject({ checkpoints: 2 });
  });
});
