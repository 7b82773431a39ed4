import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { DATABASES } from '../../../test/databases.ts';
import type { EventRecord, EventValues } from './queries/events.ts';
import { type Occurrence, updateOccurrence } from './queries/occurrences.ts';
import { FEED_MAX_DATES } from './feeds.ts';
import { makeEvent } from './testing.ts';
import { findCommitments } from '../agreements/index.ts';

const NOW = new Date('2026-12-01T02:00:00Z');
const SECRET = 'https://meet.example.org/secret-room-4711';

const parse = (raw: string) => new ICAL.Component(ICAL.parse(raw));
const vevents = (raw: string) => parse(raw).getAllSubcomponents('vevent');
const uids = (raw: string) => vevents(raw).map((e) => String(e.getFirstPropertyValue('uid')));
const uid = (event: EventRecord, o: Occurrence) => `${event.reference}/${o.slot}`;
/** The text with its folded lines joined again (RFC 5545 §3.1). */
const unfold = (raw: string) => raw.replace(/\r\n[ \t]/g, '');

describe.each(DATABASES)('iCalendar feeds on %s', (kind) => {
  const t = testAppFor(kind, { now: () => NOW });
  const db = () => t.database.db.kysely;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const commitmentId = async (code: string) => {
    const c = (await findCommitments(db())).find((x) => `${x.areaNumber}-${x.number}` === code);
    if (!c) throw new Error(`no commitment ${code}`);
    return c.id;
  };
  const event = async (title: string, overrides: Partial<EventValues> = {}) => {
    const made = await makeEvent(db(), { title: { en: title, 'zh-Hant': `${title}（繁體）`, 'zh-Hans': `${title}（简体）` }, ...overrides });
    t.ctx.invalidate();
    return made;
  };

  /** Made once: a symposium series on 3-1 by the Department of Commerce, a forum on 9-2 by InvestHK in Hong Kong, a draft, an old, an online and a far event. */
  let fixtures: Promise<Record<'symposium' | 'forum' | 'draft' | 'old' | 'online' | 'far', Awaited<ReturnType<typeof makeEvent>>>> | undefined;
  const made = () => {
    fixtures ??= (async () => {
      const symposium = await event('Feed symposium', { onlineUrl: SECRET });
      await updateOccurrence(db(), (symposium.occurrences[2] as Occurrence).id, { status: 'cancelled', cancelReason: 'Venue closed for repairs', bump: true }, new Date());
      const forum = await event('Feed forum', {
        type: 'forum',
        city: 'hong-kong',
        venue: { en: 'Hong Kong Convention and Exhibition Centre', 'zh-Hant': '香港會議展覽中心' },
        timeZone: 'Asia/Hong_Kong',
        organisers: ['hk-investhk'],
        commitmentIds: [await commitmentId('9-2')],
        rrule: null,
        startsLocal: '2027-06-10T09:00',
      });
      const draft = await event('Feed draft', { status: 'draft', rrule: null, startsLocal: '2027-02-01T10:00' });
      // Two dates before now: 2026-07-05 (over 90 days ago) and 2026-10-05 (within them).
      const old = await event('Feed old', { rrule: 'FREQ=MONTHLY;INTERVAL=3;COUNT=2', startsLocal: '2026-07-05T10:00', type: 'training' });
      const online = await event('Feed webinar', { city: 'online', venue: {}, onlineUrl: SECRET, rrule: null, startsLocal: '2027-03-03T10:00', type: 'training' });
      // Two dates ahead: 2027-11-20 (within 365 days) and 2028-11-20 (further).
      const far = await event('Feed far', { rrule: 'FREQ=YEARLY;COUNT=2', startsLocal: '2027-11-20T10:00', type: 'exhibition' });
      t.ctx.invalidate();
      return { symposium, forum, draft, old, online, far };
    })();
    return fixtures;
  };

  it('serves all public events as a calendar that parses, cancelled dates marked, drafts and dates outside the window left out', async () => {
    const { symposium, forum, draft, old, online, far } = await made();
    const response = await get('/en/events/calendar.ics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('inline; filename="zjhk-events.ics"');
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    const calendar = parse(response.body);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(unfold(response.body)).toContain('X-WR-CALNAME:Zhejiang–Hong Kong cooperation events\r\n');
    const all = uids(response.body);
    expect(all).toEqual(
      expect.arrayContaining([
        ...symposium.occurrences.map((o) => uid(symposium.event, o)),
        uid(forum.event, forum.occurrences[0] as Occurrence),
        uid(online.event, online.occurrences[0] as Occurrence),
      ]),
    );
    expect(all.some((u) => u.startsWith(draft.event.reference))).toBe(false);
    // Within the window (90 days back, 365 days ahead): the October date and the first far one; outside it: the July date and the second far one.
    expect(all).toContain(uid(old.event, old.occurrences[1] as Occurrence));
    expect(all).not.toContain(uid(old.event, old.occurrences[0] as Occurrence));
    expect(all).toContain(uid(far.event, far.occurrences[0] as Occurrence));
    expect(all).not.toContain(uid(far.event, far.occurrences[1] as Occurrence));
    expect(unfold(response.body)).toContain(
      'X-WR-CALDESC:Events held under the Zhejiang–Hong Kong cooperation agreement: the dates from 90 days ago to 365 days ahead\\, at most 500 of them\\, coming dates first.\r\n',
    );
    const byUid = new Map(vevents(response.body).map((e) => [String(e.getFirstPropertyValue('uid')), e]));
    const cancelled = byUid.get(uid(symposium.event, symposium.occurrences[2] as Occurrence)) as ICAL.Component;
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.getFirstPropertyValue('sequence')).toBe(1);
    expect(String(cancelled.getFirstPropertyValue('description'))).toContain('CANCELLED: Venue closed for repairs');
    const first = byUid.get(uid(symposium.event, symposium.occurrences[0] as Occurrence)) as ICAL.Component;
    expect(first.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(first.getFirstPropertyValue('summary')).toBe('Feed symposium');
    expect((first.getFirstPropertyValue('dtstart') as ICAL.Time).zone.tzid).toBe('Asia/Shanghai');
    expect((first.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2027-01-15T06:30:00.000Z');
    expect(first.getFirstPropertyValue('location')).toBe('Zhejiang Department of Commerce, Hangzhou');
    expect(first.getFirstPropertyValue('url')).toBe(`http://localhost:3000/en/events/${symposium.event.reference}/2027-01-15`);
    expect(first.getFirstProperty('categories')?.getValues()).toEqual(['Symposium', '(3) Strengthening cooperation in economic affairs, trade and investment']);
    // The online link is for confirmed registrants: never in a feed.
    expect(response.body).not.toContain('secret-room');
    const webinar = byUid.get(uid(online.event, online.occurrences[0] as Occurrence)) as ICAL.Component;
    expect(webinar.getFirstPropertyValue('location')).toBeNull();
  });

  it('holds exactly the events of an area, a commitment, an organiser, a type or a city', async () => {
    const { symposium, forum, old, online } = await made();
    const only = async (query: string) => uids((await get(`/en/events/calendar.ics?${query}`)).body).filter((u) => [symposium, forum, old, online].some((m) => u.startsWith(m.event.reference)));
    const symposiumUids = symposium.occurrences.map((o) => uid(symposium.event, o));
    const forumUids = [uid(forum.event, forum.occurrences[0] as Occurrence)];
    const oldUids = [uid(old.event, old.occurrences[1] as Occurrence)];
    const onlineUids = [uid(online.event, online.occurrences[0] as Occurrence)];
    expect(await only('area=9')).toEqual(forumUids);
    expect((await only('area=3')).sort()).toEqual([...symposiumUids, ...oldUids, ...onlineUids].sort());
    expect(await only('commitment=9-2')).toEqual(forumUids);
    expect(await only('organiser=hk-investhk')).toEqual(forumUids);
    expect(await only('type=forum')).toEqual(forumUids);
    expect(await only('city=hong-kong')).toEqual(forumUids);
    expect(await only('type=training&city=online')).toEqual(onlineUids);
    expect(await only('type=training')).toEqual([...oldUids, ...onlineUids]);
    const area = await get('/en/events/calendar.ics?area=9');
    expect(area.headers['content-disposition']).toBe('inline; filename="zjhk-events-area-9.ics"');
    expect(unfold(area.body)).toContain('X-WR-CALNAME:Zhejiang–Hong Kong cooperation events: area (9) Strengthening cooperation in medical care');
  });

  it('writes titles in the language of its address', async () => {
    const { forum } = await made();
    const hant = await get('/zh-hant/events/calendar.ics?organiser=hk-investhk');
    const [entry] = vevents(hant.body);
    expect(entry?.getFirstPropertyValue('summary')).toBe('Feed forum（繁體）');
    expect(entry?.getFirstPropertyValue('location')).toBe('香港會議展覽中心');
    expect(entry?.getFirstPropertyValue('url')).toBe(`http://localhost:3000/zh-hant/events/${forum.event.reference}/2027-06-10`);
    expect(unfold(hant.body)).toContain('X-WR-CALNAME:浙港合作活動：投資推廣署\r\n');
    const hans = await get('/zh-hans/events/calendar.ics?organiser=hk-investhk');
    expect(vevents(hans.body)[0]?.getFirstPropertyValue('summary')).toBe('Feed forum（简体）');
    expect(vevents(hans.body)[0]?.getFirstProperty('categories')?.getValues()[0]).toBe('论坛');
  });

  it('refuses unknown filters with 400 and a message that says what to give', async () => {
    await made();
    const cases: [string, string][] = [
      ['area=99', 'Unknown area “99”'],
      ['area=three', 'Unknown area “three”'],
      ['commitment=3-99', 'Unknown commitment “3-99”. Give a commitment as area-number, e.g. 3-1.'],
      ['organiser=nobody', 'Unknown organiser “nobody”'],
      ['type=party', 'Unknown type of event “party”. Give one of: promotion, symposium'],
      ['city=atlantis', 'Unknown city “atlantis”. Give one of: hangzhou'],
    ];
    for (const [query, message] of cases) {
      const response = await get(`/en/events/calendar.ics?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.body).toContain(message);
    }
    const hant = await get('/zh-hant/events/calendar.ics?type=party&city=atlantis');
    expect(hant.statusCode).toBe(400);
    expect(hant.body).toContain('沒有「party」這種活動類型');
    expect(hant.body).toContain('沒有「atlantis」這個城市');
  });

  it('answers 304 to a client holding the current version, and changes its ETag when events change', async () => {
    const { symposium } = await made();
    const first = await get('/en/events/calendar.ics?commitment=3-1');
    const etag = first.headers.etag as string;
    const again = await get('/en/events/calendar.ics?commitment=3-1', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await updateOccurrence(db(), (symposium.occurrences[1] as Occurrence).id, { note: { en: 'Moved to room 301.' }, bump: true }, new Date());
    t.ctx.invalidate();
    const changed = await get('/en/events/calendar.ics?commitment=3-1', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body).toContain('Moved to room 301.');
    // Compressed once and kept: a second client asking for gzip gets the same bytes.
    const gzip1 = await get('/en/events/calendar.ics?commitment=3-1', { 'accept-encoding': 'gzip' });
    const gzip2 = await get('/en/events/calendar.ics?commitment=3-1', { 'accept-encoding': 'gzip' });
    expect(gzip1.headers['content-encoding']).toBe('gzip');
    expect(gzip1.rawPayload.equals(gzip2.rawPayload)).toBe(true);
  });

  it('serves one date as an .ics file, never a draft’s to the public', async () => {
    const { symposium, draft } = await made();
    const o = symposium.occurrences[0] as Occurrence;
    const response = await get(`/en/events/${symposium.event.reference}/${o.slot}/event.ics`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${symposium.event.reference}-${o.slot}.ics"`);
    expect(uids(response.body)).toEqual([uid(symposium.event, o)]);
    expect(response.body).not.toContain('secret-room');
    expect((await get(`/en/events/${symposium.event.reference}/2031-01-01/event.ics`)).statusCode).toBe(404);
    const draftUrl = `/en/events/${draft.event.reference}/${(draft.occurrences[0] as Occurrence).slot}/event.ics`;
    expect((await get(draftUrl)).statusCode).toBe(404);
    const { client } = await signedInClient(t, { email: 'agency-officer-ics@example.org', role: 'agency-officer', organisationId: 'zj-commerce' });
    expect((await client.get(draftUrl)).statusCode).toBe(200);
  });

  it('links the feeds of the current filters from the calendar page, with a webcal address', async () => {
    await made();
    const page = await get('/en/events?area=9');
    expect(page.body).toContain('href="webcal://localhost:3000/en/events/calendar.ics?area=9"');
    expect(page.body).toContain('href="http://localhost:3000/en/events/calendar.ics?area=9"');
    expect(page.body).toContain('href="webcal://localhost:3000/en/events/calendar.ics"');
    expect(page.body).toContain('from 90 days ago to 365 days ahead, at most 500 of them, coming dates first');
    const plain = await get('/en/events');
    expect(plain.body).not.toContain('calendar.ics?');
  });

  // Its dates crowd out the shared events from every feed they are in: this test has a database of its own.
  describe('with more dates than a feed holds', () => {
    const t = testAppFor(kind, { now: () => NOW });
    const db = () => t.database.db.kysely;
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    it(`holds at most ${FEED_MAX_DATES} dates: those not over yet first, then those over, latest first`, async () => {
      // Two events of the Trade Development Council, each with a date a day from 2026-11-01 to 2027-07-18 at 10:00 in Hangzhou: 30 over and 230 coming each.
      const ids: number[] = [];
      for (let k = 0; k < 2; k++) ids.push((await makeEvent(db(), { organisers: ['hk-hktdc'], rrule: null, startsLocal: '2029-01-01T10:00' })).event.id);
      const rows = ids.flatMap((eventId) =>
        Array.from({ length: 260 }, (_, i) => {
          const startsAt = new Date(Date.UTC(2026, 10, 1 + i, 2));
          return { event_id: eventId, slot: startsAt.toISOString().slice(0, 10), starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 2 * 3_600_000) };
        }),
      );
      await db().insertInto('event_occurrences').values(rows).execute();
      t.ctx.invalidate();
      const starts = vevents((await get('/en/events/calendar.ics?organiser=hk-hktdc')).body).map((e) => (e.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime());
      expect(starts).toHaveLength(FEED_MAX_DATES);
      const over = rows.filter((r) => r.ends_at <= NOW).map((r) => r.starts_at.getTime());
      const coming = rows.filter((r) => r.ends_at > NOW).map((r) => r.starts_at.getTime());
      // More dates than a feed holds, but fewer coming ones: the room left goes to those over.
      expect([coming.length < FEED_MAX_DATES, over.length + coming.length > FEED_MAX_DATES]).toEqual([true, true]);
      // Every coming date is there; of those over, the latest fill the room left.
      const byTime = (a: number, b: number) => a - b;
      expect(starts.filter((s) => s >= NOW.getTime()).sort(byTime)).toEqual(coming.sort(byTime));
      const room = FEED_MAX_DATES - coming.length;
      expect(starts.filter((s) => s < NOW.getTime()).sort(byTime)).toEqual(over.sort(byTime).slice(-room));
    });
  });
});
