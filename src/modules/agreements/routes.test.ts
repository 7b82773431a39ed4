import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import { recordRenewal } from './record-renewal.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';

let clock = new Date('2026-11-26T04:00:00Z');

describe.each(DATABASES)('agreement pages and API on %s', (kind) => {
  const t = testAppFor(kind, { now: () => clock });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('serves every commitment in every language, with previous and next', async () => {
    for (const [prefix, lang] of [
      ['zh-hant', 'zh-Hant-HK'],
      ['zh-hans', 'zh-Hans-CN'],
      ['en', 'en'],
    ] as const) {
      let url: string | undefined = `/${prefix}/agreements/zjhk-2023/commitments/1-1`;
      let pages = 0;
      let previous: string | undefined;
      while (url) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(200);
        expect(response.body).toContain(`<html lang="${lang}"`);
        expect(response.body).toMatch(/<blockquote class="clause"><p>[^<]{10,}<\/p>/);
        if (previous) expect(response.body).toContain(`rel="prev" href="${previous}"`);
        else expect(response.body).not.toContain('rel="prev"');
        previous = url;
        url = response.body.match(/rel="next" href="([^"]+)"/)?.[1];
        pages += 1;
      }
      expect(pages).toBe(42);
      expect(previous).toBe(`/${prefix}/agreements/zjhk-2023/commitments/12-3`);
    }
  });

  it('shows the agreement as expired today, with the day count, and as in force on a day within its term', async () => {
    const zh = await get('/zh-hant/agreements/zjhk-2023');
    expect(zh.body).toContain('已期滿：已過 153 天');
    expect(zh.body).toContain('政制及內地事務局');
    expect((await get('/en/agreements/zjhk-2023')).body).toContain('Expired 153 days ago');
    expect((await get('/zh-hans/agreements/zjhk-2023')).body).toContain('已期满：已过 153 天');
    clock = new Date('2026-03-01T04:00:00Z');
    expect((await get('/en/agreements/zjhk-2023')).body).toContain('Expiring: 117 days remaining');
    clock = new Date('2024-01-01T04:00:00Z');
    expect((await get('/en/agreements/zjhk-2023')).body).toContain('In force: 907 days remaining');
    clock = new Date('2026-11-26T04:00:00Z');
  });

  it('shows what the custodians record about renewal as soon as it is recorded', async () => {
    await recordRenewal({ db: t.database.db.kysely, now: t.ctx.now(), agreementId: 'zjhk-2023', status: 'negotiating', actor: SYSTEM });
    t.ctx.invalidate();
    const page = await get('/en/agreements/zjhk-2023');
    expect(page.body).toContain('Expired 153 days ago');
    expect(page.body).toContain('Renewal under negotiation');
    const api = (await get('/api/v1/agreements/zjhk-2023')).json();
    expect(api.lifecycle).toMatchObject({ phase: 'expired', days: 153, renewal: { status: 'negotiating', renewedBy: null } });
    await recordRenewal({ db: t.database.db.kysely, now: t.ctx.now(), agreementId: 'zjhk-2023', status: 'none', actor: SYSTEM });
    t.ctx.invalidate();
    expect((await get('/en/agreements/zjhk-2023')).body).not.toContain('Renewal under negotiation');
  });

  it('lists the areas with their commitment counts, and serves each area', async () => {
    const overview = await get('/en/agreements/zjhk-2023');
    expect(overview.body).toContain('12 areas of cooperation, 42 numbered commitments');
    expect(overview.body.match(/class="count">(\d+) commitments?</g)?.map((m) => Number(m.match(/\d+/)?.[0]))).toEqual([7, 3, 8, 3, 3, 3, 3, 3, 2, 2, 2, 3]);
    const area = await get('/zh-hant/agreements/zjhk-2023/areas/4');
    expect(area.statusCode).toBe(200);
    expect(area.body).toContain('（四）加強航空領域合作');
    expect((await get('/en/agreements/zjhk-2023/areas/13')).statusCode).toBe(404);
  });

  it('puts any two languages side by side, block by block', async () => {
    const response = await get('/en/agreements/zjhk-2023/compare?left=zh-Hans&right=en&area=3');
    expect(response.statusCode).toBe(200);
    const rows = response.body.match(/<tr id="c-3-\d+"/g) ?? [];
    expect(rows).toHaveLength(8);
    expect(response.body).toContain('<td lang="zh-Hans-CN">');
    expect(response.body).toContain('<td lang="en">');
    const whole = await get('/zh-hant/agreements/zjhk-2023/compare');
    expect(whole.body.match(/<tr id="c-/g)).toHaveLength(42);
    const bad = await get('/en/agreements/zjhk-2023/compare?left=fr');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.body).toContain('This address cannot be used');
    expect(bad.body).toContain('<code>left</code>');
  });

  it('prints the whole agreement in one language', async () => {
    const response = await get('/zh-hans/agreements/zjhk-2023/print');
    expect(response.body.match(/class="commitment-text"/g)).toHaveLength(42);
    expect(response.body).toContain('本协议经双方负责人或其授权代表签字并加盖公章后生效。');
    expect(response.body).not.toContain('class="site-nav"');
  });

  it('answers 404 in the visitor’s language', async () => {
    const zh = await get('/zh-hans/agreements/zjhk-2023/commitments/1-9');
    expect(zh.statusCode).toBe(404);
    expect(zh.body).toContain('找不到页面');
    expect(zh.body).toContain('<html lang="zh-Hans-CN"');
    const en = await get('/en/agreements/nope');
    expect(en.statusCode).toBe(404);
    expect(en.body).toContain('Page not found');
  });

  it('serves the agreement as JSON in all three languages', async () => {
    const list = await get('/api/v1/agreements');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, data: [{ id: 'zjhk-2023', areaCount: 12, commitmentCount: 42, lifecycle: { phase: 'expired' } }] });
    const one = (await get('/api/v1/agreements/zjhk-2023')).json();
    expect(one.areas).toHaveLength(12);
    expect(one.areas[0].commitments[6]).toMatchObject({ code: '1-7', url: '/zh-hant/agreements/zjhk-2023/commitments/1-7' });
    expect(Object.keys(one.areas[0].commitments[6].text).sort()).toEqual(['en', 'zh-Hans', 'zh-Hant']);
    expect(one.texts.en.authority).toBe('unofficial-translation');
    expect(one.texts['zh-Hant'].document.closing.clauses).toHaveLength(5);
  });

  it('answers API errors with one JSON shape and no stack trace', async () => {
    const missing = await get('/api/v1/agreements/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { status: 404, code: 'agreement_not_found', message: 'No agreement nope', requestId: expect.any(String) } });
    const invalid = await get('/api/v1/agreements/NOT_VALID!');
    expect(invalid.statusCode).toBe(400);
    const body = invalid.json();
    expect(body.error).toMatchObject({ status: 400, code: 'bad_request' });
    expect(body.error.details[0].field).toBe('params.id');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    const unknown = await get('/api/v1/nothing-here');
    expect(unknown.json().error).toMatchObject({ status: 404, code: 'not_found' });
  });
});
