import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { pageContext } from '../../platform/html/context.ts';
import { findOrganisations } from '../organisations/index.ts';
import { eventsCommitmentSection } from './commitment-section.tsx';
import { toCalendarEntry } from './entries.ts';
import type { EventValues } from './queries/events.ts';
import { updateOccurrence } from './queries/occurrences.ts';
import { EventsReadModel } from './read-model.ts';
import { makeEvent } from './testing.ts';
import { findAreas, findCommitments } from '../agreements/index.ts';

const NOW = new Date('2026-12-01T02:00:00Z');
const SECRET = 'https://meet.example.org/secret-room-4711';

/** The titles listed on a page (inside the list or the month's cells), in order. */
const titles = (body: string): string[] => [...body.matchAll(/<a href="\/[a-z-]+\/events\/ZJHK-V-\d{4}-\d{6}\/\d{4}-\d{2}-\d{2}">([^<]+)<\/a>/g)].map((m) => m[1] as string);

/** The HTML of the month's cell for a date. */
function cell(body: string, date: string): string {
  const start = body.indexOf(`<time datetime="${date}" class="day-number">`);
  if (start < 0) return '';
  const end = body.indexOf('</td>', start);
  return body.slice(start, end);
}

describe.each(DATABASES)('the public calendar and event pages on %s', (kind) => {
  const t = testAppFor(kind, { now: () => NOW });
  const db = () => t.database.db.kysely;
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const commitmentId = async (code: string) => {
    const c = (await findCommitments(db())).find((x) => `${x.areaNumber}-${x.number}` === code);
    if (!c) throw new Error(`no commitment ${code}`);
    return c.id;
  };
  /** An event written straight to the database; the app is told, as a write through the app would. */
  const event = async (title: string, overrides: Partial<EventValues> = {}) => {
    const made = await makeEvent(db(), { title: { en: title, 'zh-Hant': `${title}（繁）`, 'zh-Hans': `${title}（简）` }, ...overrides });
    t.ctx.invalidate();
    return made;
  };

  it('lists coming dates by month with type, city, organisers and registration status, and the filters narrow the list', async () => {
    const other = await commitmentId('1-1');
    await event('Filter symposium', { rrule: null, startsLocal: '2027-02-10T10:00' });
    await event('Filter forum', {
      type: 'forum',
      city: 'hong-kong',
      venue: { en: 'Hong Kong Convention and Exhibition Centre' },
      timeZone: 'Asia/Hong_Kong',
      organisers: ['hk-investhk'],
      commitmentIds: [other],
      rrule: null,
      startsLocal: '2027-02-11T10:00',
      registration: 'external',
      externalUrl: 'https://example.org/forum',
      capacity: null,
    });
    const all = await get('/en/events');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<h1>Events</h1>');
    expect(all.body).toContain('<h2 id="month-2027-02">February 2027</h2>');
    expect(titles(all.body)).toEqual(expect.arrayContaining(['Filter symposium', 'Filter forum']));
    expect(all.body).toContain('Organised by Department of Commerce of Zhejiang Province');
    expect(all.body).toContain('Registration open');
    expect(all.body).toContain('Registration with the organiser');
    // The filter form works without script: a GET form with the five filters.
    expect(all.body).toMatch(/<form method="get" action="\/en\/events" class="filters" role="search"/);
    for (const name of ['area', 'commitment', 'type', 'city', 'organiser']) expect(all.body).toContain(`name="${name}"`);

    const only = async (query: string) => titles((await get(`/en/events?${query}`)).body).filter((x) => x.startsWith('Filter '));
    expect(await only('type=forum')).toEqual(['Filter forum']);
    expect(await only('city=hangzhou')).toEqual(['Filter symposium']);
    expect(await only('organiser=hk-investhk')).toEqual(['Filter forum']);
    expect(await only('organiser=zj-commerce')).toEqual(['Filter symposium']);
    expect(await only('area=3')).toEqual(['Filter symposium']);
    expect(await only('area=1')).toEqual(['Filter forum']);
    expect(await only('commitment=3-1')).toEqual(['Filter symposium']);
    expect(await only('commitment=1-1&type=forum')).toEqual(['Filter forum']);
    expect(await only('commitment=3-1&type=forum')).toEqual([]);

    // The same in Chinese.
    const hant = await get('/zh-hant/events?type=forum');
    expect(hant.body).toContain('<h1>活動</h1>');
    expect(titles(hant.body)).toContain('Filter forum（繁）');
    expect(hant.body).toContain('向主辦單位報名');
    const hans = await get('/zh-hans/events?city=hangzhou');
    expect(titles(hans.body)).toContain('Filter symposium（简）');
    expect(hans.body).toContain('接受报名');
  });

  it('says which filter it does not know, in the visitor’s language, and lists nothing then', async () => {
    const bad = await get('/en/events?area=99&commitment=42-42');
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('class="error-summary"');
    expect(bad.body).toContain('Area of cooperation: Choose one of the options');
    expect(bad.body).toContain('Commitment: Choose one of the options');
    expect(bad.body).toContain('aria-invalid="true"');
    expect(titles(bad.body)).toEqual([]);
    const hant = await get('/zh-hant/events?type=party');
    expect(hant.body).toContain('class="error-summary"');
    expect(hant.body).toContain('類型: 請從選項中選擇');
  });

  it('shows past dates on their own switch, and pages through many dates', async () => {
    await event('Past seminar', { rrule: null, startsLocal: '2026-10-05T09:00', type: 'training' });
    const upcoming = await get('/en/events?type=training');
    expect(titles(upcoming.body)).not.toContain('Past seminar');
    const past = await get('/en/events?type=training&when=past');
    expect(titles(past.body)).toContain('Past seminar');
    expect(past.body).toContain('aria-current="page"><strong>Past events</strong>');

    await event('Weekly class', { type: 'exhibition', rrule: 'FREQ=WEEKLY;COUNT=25', startsLocal: '2027-05-03T09:00' });
    const first = await get('/en/events?type=exhibition');
    expect(titles(first.body)).toHaveLength(20);
    expect(first.body).toContain('href="/en/events?type=exhibition&amp;page=2"');
    const second = await get('/en/events?type=exhibition&page=2');
    expect(titles(second.body)).toHaveLength(5);
    expect(second.body).toContain('rel="prev" href="/en/events?type=exhibition"');
    expect(second.body).not.toContain('rel="next"');
  });

  it('places a date on its day in the event’s time zone in the month view, Monday first', async () => {
    // 00:30 on 1 March in Hong Kong is still 28 February in UTC; 22:00 on 31 March in New York is 1 April in UTC.
    await event('Early bird breakfast', { rrule: null, timeZone: 'Asia/Hong_Kong', startsLocal: '2027-03-01T00:30', city: 'hong-kong', type: 'study-tour' });
    await event('Late night forum', { rrule: null, timeZone: 'America/New_York', startsLocal: '2027-03-31T22:00', city: 'elsewhere', type: 'study-tour' });
    const march = await get('/en/events?view=month&month=2027-03&type=study-tour');
    expect(march.statusCode).toBe(200);
    expect(march.body).toContain('<h2 id="month-title">March 2027</h2>');
    expect(march.body).toMatch(/<thead><tr><th scope="col"><abbr title="Monday">Mon<\/abbr><\/th>/);
    expect(cell(march.body, '2027-03-01')).toContain('Early bird breakfast');
    expect(cell(march.body, '2027-03-01')).toContain('>00:30</time>');
    expect(cell(march.body, '2027-03-31')).toContain('Late night forum');
    expect(cell(march.body, '2027-03-31')).toContain('>22:00</time>');
    // 1 March 2027 is a Monday: the first cell of the first week.
    expect(march.body).toMatch(/<tbody><tr><td[^>]*><time datetime="2027-03-01"/);
    expect(march.body).toContain('href="/en/events?type=study-tour&amp;view=month&amp;month=2027-02"');
    expect(march.body).toContain('href="/en/events?type=study-tour&amp;view=month&amp;month=2027-04"');
    const february = await get('/en/events?view=month&month=2027-02&type=study-tour');
    expect(titles(february.body)).not.toContain('Early bird breakfast');
    const april = await get('/en/events?view=month&month=2027-04&type=study-tour');
    expect(titles(april.body)).not.toContain('Late night forum');
    // A month that is no month shows this month.
    const wrong = await get('/en/events?view=month&month=2027-13');
    expect(wrong.body).toContain('<h2 id="month-title">December 2026</h2>');
  });

  it('hides drafts from the public everywhere, but shows them to their organisers', async () => {
    const { event: draft } = await event('Secret draft', { status: 'draft', rrule: null, startsLocal: '2027-02-20T10:00' });
    expect(titles((await get('/en/events')).body)).not.toContain('Secret draft');
    expect(titles((await get('/en/events?view=month&month=2027-02')).body)).not.toContain('Secret draft');
    expect((await get(`/en/events/${draft.reference}`)).statusCode).toBe(404);
    expect((await get(`/en/events/${draft.reference}/2027-02-20`)).statusCode).toBe(404);
    const { client } = await signedInClient(t, { email: 'agency-officer-drafts@example.org', role: 'agency-officer', organisationId: 'zj-commerce' });
    const seen = await client.get(`/en/events/${draft.reference}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toContain('Draft: this event is not public yet.');
    expect(seen.body).toContain(`href="/en/workspace/events/${draft.reference}"`);
    const { client: otherOfficer } = await signedInClient(t, { email: 'agency-officer-other@example.org', role: 'agency-officer', organisationId: 'hk-investhk' });
    expect((await otherOfficer.get(`/en/events/${draft.reference}`)).statusCode).toBe(404);
    // A signed-in resident sees what the public sees.
    const resident = await signedInClient(t, { email: 'resident-drafts@example.org', role: 'resident' });
    expect((await resident.client.get(`/en/events/${draft.reference}/2027-02-20`)).statusCode).toBe(404);
  });

  it('marks a cancelled date as cancelled in words, with its reason', async () => {
    const { event: series, occurrences } = await event('Cancelled series', { type: 'other' });
    const second = occurrences[1] as (typeof occurrences)[number];
    await updateOccurrence(db(), second.id, { status: 'cancelled', cancelReason: 'Typhoon signal No. 8', bump: true }, new Date());
    t.ctx.invalidate();
    const list = await get('/en/events?type=other');
    expect(list.body).toContain(`<s><a href="/en/events/${series.reference}/${second.slot}">Cancelled series</a></s> <span class="badge status-discontinued">Cancelled</span>`);
    const month = await get(`/en/events?type=other&view=month&month=${second.slot.slice(0, 7)}`);
    expect(cell(month.body, second.slot)).toContain('<span class="badge status-discontinued">Cancelled</span>');
    const page = await get(`/en/events/${series.reference}/${second.slot}`);
    expect(page.body).toContain('This date is cancelled. Reason: Typhoon signal No. 8');
    // Nothing to add to a calendar, and no registration.
    expect(page.body).not.toContain('calendar.google.com');
    const hans = await get(`/zh-hans/events/${series.reference}`);
    expect(hans.body).toContain('<span class="badge status-discontinued">已取消</span>');
  });

  it('shows an event with its organisers, commitments, repetition in words and dates', async () => {
    const { event: series, occurrences } = await event('Quarterly symposium');
    const page = await get(`/en/events/${series.reference}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<dd>Every 3 months, 4 times</dd>');
    expect(page.body).toContain('href="/en/events?organiser=zj-commerce">Department of Commerce of Zhejiang Province</a>');
    expect(page.body).toContain('href="/en/agreements/zjhk-2023/commitments/3-1"');
    for (const o of occurrences) expect(page.body).toContain(`href="/en/events/${series.reference}/${o.slot}"`);
    expect(page.body).toContain('15 January 2027, 14:30–16:30 (GMT+8)');
    const hant = await get(`/zh-hant/events/${series.reference}`);
    expect(hant.body).toContain('<dd>每 3 個月，共 4 次</dd>');
  });

  it('shows a date: when, where, registration, calendar links; after it, attendance, report and the feedback form', async () => {
    const { event: series, occurrences } = await event('Symposium with evidence', { onlineUrl: SECRET, startsLocal: '2026-11-20T14:30', rrule: 'FREQ=MONTHLY;INTERVAL=3;COUNT=2' });
    const [held, coming] = occurrences as [(typeof occurrences)[number], (typeof occurrences)[number]];
    const page = await get(`/en/events/${series.reference}/${coming.slot}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('20 February 2027, 14:30–16:30 (GMT+8)');
    expect(page.body).toContain('Zhejiang Department of Commerce, Hangzhou');
    expect(page.body).toContain('Online <span class="muted">(The link to join is sent to confirmed registrants only.)</span>');
    expect(page.body).toContain('10 of 10 places left.');
    expect(page.body).toContain('href="https://calendar.google.com/calendar/render?action=TEMPLATE');
    expect(page.body).toContain('href="https://outlook.live.com/calendar/0/deeplink/compose?');
    expect(page.body).toContain('href="https://outlook.office.com/calendar/0/deeplink/compose?');
    expect(page.body).toContain(`href="/en/events/${series.reference}/${coming.slot}/event.ics"`);
    expect(page.body).toContain(`All 2 dates of this event`);
    expect(page.body).not.toContain('secret-room');

    await updateOccurrence(db(), held.id, { attendance: 37, report: { en: 'Thirty enterprises raised questions on cross-boundary data.' }, reportedAt: NOW }, new Date());
    t.ctx.invalidate();
    const after = await get(`/en/events/${series.reference}/${held.slot}`);
    expect(after.body).toContain('37 people attended.');
    expect(after.body).toContain('Thirty enterprises raised questions on cross-boundary data.');
    expect(after.body).toContain(`href="/en/events/${series.reference}/${held.slot}/feedback"`);
    expect(after.body).not.toContain('10 of 10 places left.');
    expect(after.body).not.toContain('calendar.google.com');
    expect(after.body).not.toContain('secret-room');
  });

  it('never shows the online link on public pages, to anyone signed in or not', async () => {
    const { event: online } = await event('Online only webinar', { city: 'online', venue: {}, onlineUrl: SECRET, rrule: null, startsLocal: '2027-02-25T10:00', type: 'training' });
    const resident = await signedInClient(t, { email: 'resident-online@example.org', role: 'resident' });
    for (const client of [new TestClient(t.app), resident.client]) {
      for (const url of [
        '/en/events',
        '/en/events?type=training',
        `/en/events?view=month&month=2027-02`,
        `/en/events/${online.reference}`,
        `/en/events/${online.reference}/2027-02-25`,
        '/zh-hant/events',
      ]) {
        const page = await client.get(url);
        expect(page.statusCode).toBe(200);
        expect(page.body).not.toContain('secret-room');
      }
    }
    const page = await get(`/en/events/${online.reference}/2027-02-25`);
    expect(page.body).toContain('Online <span class="muted">');
  });

  it('serves anonymous visitors from the cache until something changes', async () => {
    const { event: e, occurrences } = await event('Cached symposium', { rrule: null, startsLocal: '2027-03-10T10:00', type: 'promotion' });
    const url = `/en/events/${e.reference}/${(occurrences[0] as (typeof occurrences)[number]).slot}`;
    expect((await get(url)).body).not.toContain('Moved to the third floor');
    await updateOccurrence(db(), (occurrences[0] as (typeof occurrences)[number]).id, { note: { en: 'Moved to the third floor.' } }, new Date());
    // Not told: the cached page stays (PGlite keeps it until a change; PostgreSQL for a few seconds at most).
    if (kind === 'pglite') expect((await get(url)).body).not.toContain('Moved to the third floor');
    t.ctx.invalidate();
    expect((await get(url)).body).toContain('Moved to the third floor.');
  });

  it('shows signed-in visitors the calendar the public sees, in their own layout, kept until something changes', async () => {
    const url = '/en/events?view=month&month=2027-05';
    await event('Shared calendar forum', { rrule: null, startsLocal: '2027-05-20T10:00', type: 'forum' });
    const { client } = await signedInClient(t, { email: 'resident-calendar@example.org', role: 'resident' });
    const main = (body: string) => body.slice(body.indexOf('<main'), body.indexOf('</main>'));
    const anonymous = await get(url);
    const signedIn = await client.get(url);
    expect(signedIn.statusCode).toBe(200);
    expect(titles(signedIn.body)).toContain('Shared calendar forum');
    expect(main(signedIn.body)).toBe(main(anonymous.body));
    expect(signedIn.body).toContain('>resident-calendar</a>');
    expect(anonymous.body).not.toContain('resident-calendar');
    // Written without telling the app: the kept body stays (PGlite keeps it until a change; PostgreSQL for a few seconds at most).
    await makeEvent(db(), { title: { en: 'Later calendar forum' }, rrule: null, startsLocal: '2027-05-21T10:00', type: 'forum' });
    if (kind === 'pglite') expect(titles((await client.get(url)).body)).not.toContain('Later calendar forum');
    t.ctx.invalidate();
    expect(titles((await client.get(url)).body)).toContain('Later calendar forum');
  });

  it('adds an "Events" section to a commitment’s page: coming dates, and those held with attendance and report', async () => {
    const area9 = await commitmentId('9-2');
    const { event: forum, occurrences } = await event('Section forum', { commitmentIds: [area9], type: 'forum', startsLocal: '2026-09-01T09:30', rrule: 'FREQ=MONTHLY;INTERVAL=6;COUNT=3' });
    const [held] = occurrences as [(typeof occurrences)[number]];
    await updateOccurrence(db(), held.id, { attendance: 120, report: { en: 'Signed three memoranda.' }, reportedAt: NOW }, new Date());
    t.ctx.invalidate();
    const model = new EventsReadModel(t.database.db, () => t.ctx.today());
    const section = eventsCommitmentSection(t.ctx, model);
    const page = pageContext('en', '/agreements/zjhk-2023/commitments/9-2', t.ctx.assets);
    const loaded = await section.load({ agreementId: 'zjhk-2023', areaNumber: 9, number: 2 }, page);
    const html = renderToString(loaded.render() as preact.VNode);
    expect(html).toContain('<h2 id="events">Events</h2>');
    expect(html).toContain(`href="/en/events/${forum.reference}/2027-03-01"`);
    expect(html).toContain('120 people attended.');
    expect(html).toContain('Signed three memoranda.');
    expect(html).toContain('href="/en/events?commitment=9-2"');
    expect(html).toContain('webcal://');
    expect(html).toContain('/en/events/calendar.ics?commitment=9-2');
    // Read once per stamp: loading again queries nothing new and gives the same stamp.
    expect((await section.load({ agreementId: 'zjhk-2023', areaNumber: 9, number: 2 }, page)).stamp).toBe(loaded.stamp);
    // A commitment no event serves has no section.
    const none = await section.load({ agreementId: 'zjhk-2023', areaNumber: 10, number: 1 }, page);
    expect(none.render()).toBeNull();
  });

  it('writes a date as a calendar entry without the online link, in the reader’s language', async () => {
    const { event: e, occurrences } = await event('Entry symposium', { onlineUrl: SECRET, contactEmail: 'events@example.org' });
    const [organisations, areas, commitments] = await Promise.all([findOrganisations(db()), findAreas(db()), findCommitments(db())]);
    const byId = new Map(organisations.map((o) => [o.id, o]));
    const first = occurrences[0] as (typeof occurrences)[number];
    const entry = toCalendarEntry({ event: e, occurrence: first, locale: 'zh-Hant', publicUrl: 'https://zjhk.example.org/', organisations: byId, areas, commitments });
    expect(entry.uid).toBe(`${e.reference}/${first.slot}`);
    expect(entry.title).toBe('Entry symposium（繁）');
    expect(entry.url).toBe(`https://zjhk.example.org/zh-hant/events/${e.reference}/${first.slot}`);
    expect(entry.location).toContain('Zhejiang Department of Commerce, Hangzhou');
    expect(entry.categories[0]).toBe('座談會');
    expect(entry.categories.length).toBeGreaterThan(1);
    expect(entry.organiser).toEqual({ name: '浙江省商務廳', email: 'events@example.org' });
    expect(JSON.stringify(entry)).not.toContain('secret-room');
    const online = await event('Entry webinar', { city: 'online', venue: {}, onlineUrl: SECRET, rrule: null });
    const webinar = toCalendarEntry({
      event: online.event,
      occurrence: online.occurrences[0] as (typeof occurrences)[number],
      locale: 'en',
      publicUrl: 'https://zjhk.example.org',
      organisations: byId,
      areas,
      commitments,
    });
    expect(webinar.location).toBeNull();
    expect(JSON.stringify(webinar)).not.toContain('secret-room');
  });
});
