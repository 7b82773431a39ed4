import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { isDate, isReversed } from './dates.ts';

describe('calendar dates', () => {
  it('takes real days in the platform’s range, written YYYY-MM-DD', () => {
    for (const good of ['2026-06-26', '2028-02-29', '2000-02-29', '1900-01-01', '2199-12-31']) expect(isDate(good), good).toBe(true);
    for (const bad of [
      '2027-13-45',
      '2026-13-01',
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-00-10',
      '1899-12-31',
      '2200-01-01',
      '0000-01-01',
      '2026-6-1',
      '2026-06-01T00:00',
      ' 2026-06-01',
      '',
    ]) {
      expect(isDate(bad), bad).toBe(false);
    }
    expect(isReversed('2026-06-02', '2026-06-01')).toBe(true);
    expect(isReversed('2026-06-01', '2026-06-01')).toBe(false);
    expect(isReversed('2026-06-01', undefined)).toBe(false);
  });
});

describe.each(DATABASES)('dates in query strings on %s', (kind) => {
  const t = testAppFor(kind);
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('answers an impossible date on the dashboard with a 400 page naming the field, in the visitor’s language', async () => {
    for (const url of ['/en/dashboard?from=2027-13-45', '/en/dashboard?to=2026-13-01', '/en/dashboard?from=2026-02-30', '/en/dashboard?to=0000-01-01', '/en/dashboard?from=1850-01-01']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body, url).toContain('This address cannot be used');
      expect(response.body, url).toMatch(/<code>(from|to)<\/code>: Enter a real date, like 2026-03-31/);
    }
    const chinese = await get('/zh-hant/dashboard?from=2027-13-45');
    expect(chinese.statusCode).toBe(400);
    expect(chinese.body).toContain('lang="zh-Hant');
    expect(chinese.body).toContain('<code>from</code>: 請輸入有效日期，例如 2026-03-31');
    // An empty date is "any", as an unchanged filter form sends it.
    expect((await get('/en/dashboard?from=&to=')).statusCode).toBe(200);
    expect((await get('/en/dashboard?from=2026-01-01&to=2026-12-31')).statusCode).toBe(200);
  });

  it('says on the dashboard that a period ends before it starts, in three languages, instead of showing totals', async () => {
    const expected = { en: 'The end cannot be before the start', 'zh-hant': '結束日期不能早於開始日期', 'zh-hans': '结束日期不能早于开始日期' };
    for (const [prefix, message] of Object.entries(expected)) {
      const response = await get(`/${prefix}/dashboard?from=2026-06-01&to=2026-01-01`);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(message);
      expect(response.body).toContain('aria-invalid="true"');
      expect(response.body).not.toContain('id="totals"');
    }
    const fine = await get('/en/dashboard?from=2026-01-01&to=2026-06-01');
    expect(fine.body).toContain('id="totals"');
    expect(fine.body).not.toContain('The end cannot be before the start');
  });

  it('answers impossible and reversed dates in the API with a 400 whose details name the field', async () => {
    const impossible = await get('/api/v1/milestones?dueFrom=2026-02-30');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'querystring.dueFrom' })]));
    const meetings = await get('/api/v1/meetings?to=2027-13-45');
    expect(meetings.statusCode).toBe(400);
    const reversed = await get('/api/v1/meetings?from=2026-06-01&to=2026-01-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error).toMatchObject({ code: 'reversed_range', details: [{ field: 'querystring.to' }] });
    const milestones = await get('/api/v1/milestones?dueFrom=2026-06-01&dueTo=2026-01-01');
    expect(milestones.json().error).toMatchObject({ code: 'reversed_range', details: [{ field: 'querystring.dueTo' }] });
    expect((await get('/api/v1/meetings?from=2026-01-01&to=2026-06-01')).statusCode).toBe(200);
    // Numbers beyond what the database's columns take.
    expect((await get('/api/v1/milestones?action=99999999999999999999')).statusCode).toBe(400);
    expect((await get('/api/v1/suggestions?offset=99999999999999999999')).statusCode).toBe(400);
  });

  it('answers an impossible date on the audit trail and in an event date’s address with a 400, and names a reversed period on the audit trail', async () => {
    const { client } = await signedInClient(t, { email: 'coordinator@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' });
    expect((await client.get('/en/admin/audit?from=2027-13-45')).statusCode).toBe(400);
    expect((await client.get('/en/admin/audit?from=&to=2026-06-01')).statusCode).toBe(200);
    for (const [prefix, message] of Object.entries({ en: 'The end cannot be before the start', 'zh-hant': '結束日期不能早於開始日期', 'zh-hans': '结束日期不能早于开始日期' })) {
      const reversed = await client.get(`/${prefix}/admin/audit?from=2026-06-01&to=2026-01-01`);
      expect(reversed.statusCode).toBe(200);
      expect(reversed.body).toContain(message);
      expect(reversed.body).toContain('aria-invalid="true"');
    }
    expect((await client.get('/en/admin/audit?from=2026-06-01&to=2026-01-01')).body).not.toContain('No records match.');
    expect((await get('/en/events/ZJHK-V-2026-000001/2026-13-45')).statusCode).toBe(400);
  });
});
