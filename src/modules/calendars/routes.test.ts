import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';

describe.each(DATABASES)('the public page of the calendars on %s', (kind) => {
  // Monday 28 September 2026, 10:00 in Hong Kong.
  const t = testAppFor(kind, { now: () => new Date('2026-09-28T02:00:00Z') });
  const get = async (url: string) => {
    const response = await t.app.inject({ url });
    expect(response.statusCode, url).toBe(200);
    return response.body;
  };

  it('shows this year’s days of both calendars by default, in each language, as tables with headers', async () => {
    const en = await get('/en/calendars');
    expect(en).toContain('Hong Kong calendar, 2026');
    expect(en).toContain('Mainland calendar, 2026');
    expect(en).toMatch(/<th scope="row"><time datetime="2026-01-04">4 January 2026<\/time><\/th><td>Sunday<\/td><td>New Year's Day<\/td><td>Make-up working day<\/td>/);
    expect(en).toContain('<th scope="col">Day of the week</th>');
    expect(en).toContain('<span aria-current="page">2026</span>');
    expect(en).toContain('href="/en/calendars?year=2027"');
    const hant = await get('/zh-hant/calendars?year=2026');
    expect(hant).toContain('內地日曆（2026年）');
    expect(hant).toContain('調休上班日');
    expect(hant).toContain('資料來源：');
    const hans = await get('/zh-hans/calendars?year=2026');
    expect(hans).toContain('内地日历（2026年）');
    expect(hans).toContain('<td>调休上班</td>');
  });

  it('flags a provisional year and says when a year has no list', async () => {
    const provisional = await get('/en/calendars?year=2027');
    expect(provisional).toContain('The list for 2027 is provisional.');
    const none = await get('/en/calendars?year=2031');
    expect(none).toContain('The platform has no list for 2031: only Saturdays and Sundays are treated as days off.');
    // Anything else than a year shows the default year.
    expect(await get('/en/calendars?year=next')).toContain('Hong Kong calendar, 2026');
  });

  it('works out when a time limit ends, as enquiries count it', async () => {
    const mainland = await get('/en/calendars?calendar=mainland&from=2026-09-30&days=3');
    expect(mainland).toContain('A time limit of 3 working days from 30 September 2026, on the Mainland calendar, ends on 10 October 2026 (Saturday).');
    const hk = await get('/zh-hant/calendars?calendar=hong-kong&from=2026-09-30&days=3');
    expect(hk).toContain('按香港日曆，由2026年9月30日起計3個工作日的時限於2026年10月6日（星期二）屆滿。');
    expect(await get('/en/calendars?calendar=hong-kong&from=2029-12-28&days=1')).toContain('The platform has no list of holidays for 2029: only Saturdays and Sundays were treated as days off.');
    expect(await get('/en/calendars?calendar=mainland&from=2026-12-30&days=5')).toContain('The list for 2027 is provisional: the answer may change');
    const wrong = await get('/en/calendars?calendar=moon&from=2026-02-30&days=three');
    expect(wrong).toContain('Choose one of the options');
    expect(wrong).toContain('Enter a real date, like 2026-03-31');
    expect(wrong).toContain('Enter a whole number of working days from 0 to 366');
    expect(wrong).toContain('value="2026-02-30"');
    expect(wrong).not.toContain('role="status"');
  });
});
