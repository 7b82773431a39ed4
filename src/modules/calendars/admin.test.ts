import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import type { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import { findCalendarYear } from './queries.ts';

describe.each(DATABASES)('keeping the calendars on %s', (kind) => {
  const t = testAppFor(kind);
  const db = () => t.database.db.kysely;
  const store = () => calendarStore(t.database.db);
  let admin: TestClient;
  let adminId = '';
  let coordinator: TestClient;
  beforeAll(async () => {
    ({ client: admin, userId: adminId } = await signedInClient(t, { email: 'admin@example.org', role: 'administrator' }));
    ({ client: coordinator } = await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' }));
  });
  /** Everything a refused form must leave alone. */
  const written = async () => ({
    days: (await db().selectFrom('calendar_days').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
    audit: (await db().selectFrom('audit_events').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n,
    edited: (await db().selectFrom('calendar_years').select('calendar').where('edited_by_admin', '=', true).execute()).length,
  });

  it('shows coordinators both calendars with the provisional years flagged, without letting them change anything', async () => {
    const list = await coordinator.get('/en/admin/calendars');
    expect(list.statusCode).toBe(200);
    // Two as loaded; counted from the database, as another test sets a year official and adds one.
    const provisional = (await db().selectFrom('calendar_years').select('year').where('status', '=', 'provisional').execute()).length;
    expect(list.body).toContain(provisional === 1 ? '1 year is provisional' : `${provisional} years are provisional`);
    expect(list.body).toContain('href="/en/admin/calendars/mainland/2027"');
    expect(list.body).not.toContain('Add the year');
    const year = await coordinator.get('/zh-hans/admin/calendars/mainland/2026');
    expect(year.body).toContain('调休上班');
    expect(year.body).toContain('国务院办公厅关于2026年部分节假日安排的通知');
    expect(year.body).not.toContain('添加日期');
    const refused = await coordinator.post(
      '/en/admin/calendars/mainland/2026/days',
      { date: '2026-08-08', kind: 'working-weekend', nameHant: '測試', nameHans: '测试', nameEn: 'Test' },
      { from: '/en/admin/calendars/mainland/2026' },
    );
    expect(refused.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/en/admin/calendars' })).statusCode).toBe(303);
  });

  it('adds a holiday that moves deadlines at once, shows it on the public page, and removes it again', async () => {
    const publicPage = () => t.app.inject({ url: '/en/calendars?year=2026' });
    expect((await publicPage()).body).not.toContain('Christmas Eve');
    expect((await store().get())['hong-kong'].addWorkingDays('2026-12-23', 1)).toBe('2026-12-24');

    const added = await admin.post(
      '/zh-hant/admin/calendars/hong-kong/2026/days',
      { date: '2026-12-24', kind: 'holiday', nameHant: '聖誕節前夕', nameHans: '圣诞节前夕', nameEn: 'Christmas Eve' },
      { from: '/zh-hant/admin/calendars/hong-kong/2026' },
    );
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/zh-hant/admin/calendars/hong-kong/2026?saved=added#days');
    const page = await admin.get('/zh-hant/admin/calendars/hong-kong/2026?saved=added');
    expect(page.body).toContain('已加入該日。');
    expect(page.body).toContain('聖誕節前夕');
    // Thu 24 December and Fri 25 December off, then the weekend: the next working day is Monday 28 December.
    expect((await store().get())['hong-kong'].addWorkingDays('2026-12-23', 1)).toBe('2026-12-28');
    expect((await publicPage()).body).toContain('Christmas Eve');
    expect(await findCalendarYear(db(), 'hong-kong', 2026)).toMatchObject({ editedByAdmin: true, holidays: 18 });
    const year = await db().selectFrom('calendar_years').select('updated_by').where('calendar', '=', 'hong-kong').where('year', '=', 2026).executeTakeFirstOrThrow();
    expect(year.updated_by).toBe(adminId);
    const trail = await db().selectFrom('audit_events').select(['action', 'actor_id', 'actor_label', 'changes']).where('entity_id', '=', 'hong-kong/2026-12-24').execute();
    expect(trail).toEqual([
      {
        action: 'calendar-day.added',
        actor_id: adminId,
        actor_label: null,
        changes: { kind: { before: null, after: 'holiday' }, name: { before: null, after: { 'zh-Hant': '聖誕節前夕', 'zh-Hans': '圣诞节前夕', en: 'Christmas Eve' } } },
      },
    ]);

    const from = '/en/admin/calendars/hong-kong/2026';
    const removed = await admin.post('/en/admin/calendars/hong-kong/2026/days/2026-12-24/remove', { confirm: 'yes' }, { from });
    expect(removed.headers.location).toBe('/en/admin/calendars/hong-kong/2026?saved=removed#days');
    expect((await store().get())['hong-kong'].addWorkingDays('2026-12-23', 1)).toBe('2026-12-24');
    expect((await publicPage()).body).not.toContain('Christmas Eve');
    expect((await db().selectFrom('audit_events').select('action').where('entity_id', '=', 'hong-kong/2026-12-24').orderBy('id').execute()).map((r) => r.action)).toEqual([
      'calendar-day.added',
      'calendar-day.removed',
    ]);
    expect((await admin.post('/en/admin/calendars/hong-kong/2026/days/2026-12-24/remove', {}, { from })).statusCode).toBe(404);
    // A date of another year is not this year's to remove.
    expect((await admin.post('/en/admin/calendars/hong-kong/2026/days/2025-12-25/remove', {}, { from })).statusCode).toBe(404);
  });

  it('adds a make-up working Saturday on the Mainland, which then counts', async () => {
    expect((await store().get()).mainland.isWorkingDay('2026-08-08')).toBe(false);
    const added = await admin.post(
      '/en/admin/calendars/mainland/2026/days',
      { date: '2026-08-08', kind: 'working-weekend', nameHant: '測試', nameHans: '测试', nameEn: 'Test' },
      { from: '/en/admin/calendars/mainland/2026' },
    );
    expect(added.statusCode).toBe(303);
    expect((await store().get()).mainland.isWorkingDay('2026-08-08')).toBe(true);
  });

  it('refuses a day that does not fit, keeping what was typed and writing nothing', async () => {
    const before = await written();
    const post = (calendar: string, fields: Record<string, string>) =>
      admin.post(
        `/en/admin/calendars/${calendar}/2026/days`,
        { kind: 'holiday', nameHant: '國慶節', nameHans: '国庆节', nameEn: 'National Day', ...fields },
        { from: `/en/admin/calendars/${calendar}/2026` },
      );
    const outside = await post('mainland', { date: '2025-10-01' });
    expect(outside.statusCode).toBe(200);
    expect(outside.body).toContain('Enter a date in this year');
    expect(outside.body).toContain('value="2025-10-01"');
    expect(outside.body).toContain('value="国庆节"');
    expect((await post('mainland', { date: '2026-02-30' })).body).toContain('Enter a real date, like 2026-03-31');
    expect((await post('mainland', { date: '2026-08-05', kind: 'working-weekend' })).body).toContain('A make-up working day must be a Saturday or a Sunday');
    expect((await post('hong-kong', { date: '2026-08-08', kind: 'working-weekend' })).body).toContain('Hong Kong has no make-up working days');
    expect((await post('mainland', { date: '2026-10-01' })).body).toContain('This date is listed already: remove it first to change it');
    expect((await post('mainland', { date: '2026-10-01', kind: 'working-weekend' })).body).toContain('A make-up working day must be a Saturday or a Sunday');
    const unnamed = await post('mainland', { date: '2026-11-11', nameHans: '' });
    expect(unnamed.body).toContain('<a href="#field-nameHans">');
    expect((await post('mainland', { date: '2026-11-11', kind: 'rest' })).body).toContain('Choose one of the options');
    expect((await admin.post('/en/admin/calendars/mainland/2031/days', { date: '2031-10-01', kind: 'holiday' }, { from: '/en/admin/calendars/mainland/2026' })).statusCode).toBe(404);
    expect(await written()).toEqual(before);
  });

  it('sets a year official with its source, and adds a year that then counts', async () => {
    const from = '/en/admin/calendars/hong-kong/2027';
    const before = await written();
    const missing = await admin.post(from, { status: 'official', sourceUrl: 'ftp://example.org/list' });
    expect(missing.body).toContain('<a href="#field-sourcePublisher">');
    expect(missing.body).toContain('Enter a web address starting with http:// or https://');
    expect(missing.body).toContain('value="ftp://example.org/list"');
    expect((await admin.post(from, { status: 'provisional', basis: '' })).body).toContain('<a href="#field-basis">');
    expect(await written()).toEqual(before);

    const saved = await admin.post(from, {
      status: 'official',
      sourcePublisher: 'HKSAR Government (GovHK)',
      sourceTitle: 'General holidays for 2027',
      sourceDate: '2026-05-15',
      sourceUrl: 'https://www.gov.hk/en/about/abouthk/holiday/2027.htm',
    });
    expect(saved.headers.location).toBe('/en/admin/calendars/hong-kong/2027?saved=year');
    expect(await findCalendarYear(db(), 'hong-kong', 2027)).toMatchObject({
      status: 'official',
      source: { title: 'General holidays for 2027', date: '2026-05-15', url: 'https://www.gov.hk/en/about/abouthk/holiday/2027.htm' },
      editedByAdmin: true,
    });
    expect((await admin.get('/en/admin/calendars')).body).toContain('1 year is provisional');
    const updated = await db().selectFrom('audit_events').select('changes').where('action', '=', 'calendar-year.updated').executeTakeFirstOrThrow();
    expect(updated.changes.status).toEqual({ before: 'provisional', after: 'official' });

    expect((await store().get()).mainland.covers('2028-03-01')).toBe(false);
    const bad = await admin.post('/en/admin/calendars', { calendar: 'mainland', year: '28', basis: 'Statutory days' });
    expect(bad.body).toContain('Enter a year of four digits, like 2028');
    expect(bad.body).toContain('Statutory days');
    const created = await admin.post('/en/admin/calendars', { calendar: 'mainland', year: '2028', basis: 'The statutory days, before the notice for 2028 is published' });
    expect(created.headers.location).toBe('/en/admin/calendars/mainland/2028?saved=created');
    expect((await admin.get('/en/admin/calendars/mainland/2028?saved=created')).body).toContain('The year has been added. Now add its days.');
    expect((await store().get()).mainland.covers('2028-03-01')).toBe(true);
    expect((await admin.post('/en/admin/calendars', { calendar: 'mainland', year: '2028', basis: 'Again' })).body).toContain('This calendar has this year already');
    expect(await findCalendarYear(db(), 'mainland', 2028)).toMatchObject({ status: 'provisional', basis: 'The statutory days, before the notice for 2028 is published', holidays: 0 });
  });
});
