import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFeed, invitation, vtimezone, type CalendarEntry } from './ical.ts';

const TITLE = '浙港合作研討會：創新, 科技; 及\n未來';
const DESCRIPTION = '第一行\n第二行, 有逗號; 和分號 \\ 反斜線。這是一段很長的中文描述，用來確認折行按照七十五個八位元組進行，而不會把多位元組字元切開。\r\nA line in English, too.';

function entry(overrides: Partial<CalendarEntry> = {}): CalendarEntry {
  return {
    uid: 'ZJHK-V-2027-000012/2027-03-15',
    title: TITLE,
    description: DESCRIPTION,
    startsAt: new Date('2027-03-15T01:30:00Z'),
    endsAt: new Date('2027-03-15T03:30:00Z'),
    timeZone: 'Asia/Shanghai',
    location: '杭州市上城區, 錢江路1號; 3樓',
    url: 'https://platform.example/zh-hant/events/ZJHK-V-2027-000012/2027-03-15',
    status: 'scheduled',
    sequence: 3,
    updatedAt: new Date('2027-01-02T03:04:05Z'),
    organiser: { name: 'Organiser, Hangzhou Office', email: 'organiser@platform.example' },
    categories: ['研討會', '科技, 創新'],
    ...overrides,
  };
}

const parse = (raw: string) => new ICAL.Component(ICAL.parse(raw));
const events = (raw: string) => parse(raw).getAllSubcomponents('vevent');
const only = (raw: string) => {
  const all = events(raw);
  expect(all).toHaveLength(1);
  return all[0]!;
};
const instant = (event: ICAL.Component, name: 'dtstart' | 'dtend') => (event.getFirstPropertyValue(name) as ICAL.Time).toJSDate().toISOString();

describe('calendar feed', () => {
  const entries = [
    entry(),
    entry({
      uid: 'ZJHK-V-2027-000013/2027-06-01',
      timeZone: 'Asia/Hong_Kong',
      startsAt: new Date('2027-06-01T06:00:00Z'),
      endsAt: new Date('2027-06-01T08:00:00Z'),
      status: 'cancelled',
      sequence: 5,
      location: null,
      organiser: null,
    }),
    entry({ uid: 'ZJHK-V-2027-000014/2027-07-01', timeZone: 'Europe/London', startsAt: new Date('2027-07-01T08:00:00Z'), endsAt: new Date('2027-07-01T09:00:00Z'), categories: [] }),
  ];
  const raw = calendarFeed({ name: 'Events, 浙港; all', description: 'Every event\non the platform', entries, url: 'https://platform.example/events.ics' });
  const cal = parse(raw);

  it('publishes a named calendar that subscribers refresh hourly', () => {
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//ZJHK Cooperation Platform//Events//EN');
    // ical.js keeps X- properties unparsed: the raw value shows the text escaping.
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Events\\, 浙港\\; all');
    expect(cal.getFirstPropertyValue('x-wr-caldesc')).toBe('Every event\\non the platform');
    expect(raw).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(raw).toContain('\r\nX-PUBLISHED-TTL:PT1H\r\n');
    expect(raw).toContain('\r\nURL:https://platform.example/events.ics\r\n');
  });

  it('has one VEVENT per occurrence, with its UID, SEQUENCE and status', () => {
    const all = cal.getAllSubcomponents('vevent');
    expect(all.map((e) => e.getFirstPropertyValue('uid'))).toEqual(entries.map((e) => e.uid));
    expect(all.map((e) => e.getFirstPropertyValue('sequence'))).toEqual([3, 5, 3]);
    expect(all.map((e) => e.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED']);
  });

  it('keeps Chinese text, commas, semicolons, backslashes and line breaks intact', () => {
    const first = cal.getAllSubcomponents('vevent')[0]!;
    expect(first.getFirstPropertyValue('summary')).toBe(TITLE);
    expect(first.getFirstPropertyValue('description')).toBe(DESCRIPTION.replace('\r\n', '\n'));
    expect(first.getFirstPropertyValue('location')).toBe('杭州市上城區, 錢江路1號; 3樓');
    expect(first.getFirstProperty('categories')!.getValues()).toEqual(['研討會', '科技, 創新']);
    expect(first.getFirstPropertyValue('url')).toBe(entries[0]!.url);
    expect(raw).toContain('SUMMARY:浙港合作研討會：創新\\, 科技\\; 及\\n未來\r\n');
  });

  it('writes start and end in the event zone, and they read back as the right instants', () => {
    expect(raw).toContain('\r\nDTSTART;TZID=Asia/Shanghai:20270315T093000\r\n');
    expect(raw).toContain('\r\nDTEND;TZID=Asia/Shanghai:20270315T113000\r\n');
    expect(raw).toContain('\r\nDTSTART;TZID=Asia/Hong_Kong:20270601T140000\r\n');
    expect(raw).toContain('\r\nDTSTART;TZID=Europe/London:20270701T090000\r\n');
    const all = cal.getAllSubcomponents('vevent');
    expect(all.map((e) => (e.getFirstPropertyValue('dtstart') as ICAL.Time).zone.tzid)).toEqual(['Asia/Shanghai', 'Asia/Hong_Kong', 'Europe/London']);
    expect(all.map((e) => instant(e, 'dtstart'))).toEqual(entries.map((e) => e.startsAt.toISOString()));
    expect(all.map((e) => instant(e, 'dtend'))).toEqual(entries.map((e) => e.endsAt.toISOString()));
  });

  it('stamps each event in UTC with the time it last changed', () => {
    const first = cal.getAllSubcomponents('vevent')[0]!;
    expect(raw).toContain('\r\nDTSTAMP:20270102T030405Z\r\n');
    expect((first.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate()).toEqual(entries[0]!.updatedAt);
    expect((first.getFirstPropertyValue('last-modified') as ICAL.Time).toJSDate()).toEqual(entries[0]!.updatedAt);
  });

  it('defines one VTIMEZONE for each zone in use', () => {
    const zones = cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    expect(zones).toEqual(['Asia/Shanghai', 'Asia/Hong_Kong', 'Europe/London']);
    const shanghai = cal.getAllSubcomponents('vtimezone')[0]!;
    const standard = shanghai.getAllSubcomponents('standard');
    expect(standard).toHaveLength(1);
    expect(shanghai.getAllSubcomponents('daylight')).toHaveLength(0);
    expect(standard[0]!.getFirstPropertyValue('tzoffsetto')!.toString()).toBe('+08:00');
  });

  it('names the organiser when there is an address to write to, and leaves out what is missing', () => {
    const [first, cancelled, third] = cal.getAllSubcomponents('vevent');
    const organizer = first!.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:organiser@platform.example');
    expect(organizer.getParameter('cn')).toBe('Organiser, Hangzhou Office');
    expect(cancelled!.getFirstProperty('organizer')).toBeNull();
    expect(cancelled!.getFirstProperty('location')).toBeNull();
    expect(third!.getFirstProperty('categories')).toBeNull();
    expect(only(calendarFeed({ name: 'x', entries: [entry({ organiser: { name: 'Organiser', email: null } })] })).getFirstProperty('organizer')).toBeNull();
  });

  it('folds lines at 75 octets without splitting a character, with CRLF line ends', () => {
    const lines = raw.split('\r\n');
    expect(raw.replaceAll('\r\n', '')).not.toContain('\n');
    expect(raw.endsWith('END:VCALENDAR')).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    // Each physical line is whole UTF-8 on its own.
    for (const line of lines) expect(Buffer.from(line, 'utf8').toString('utf8')).not.toContain('\uFFFD');
  });

  it('escapes a UID and percent-encodes URL characters that text escaping would break', () => {
    const e = only(calendarFeed({ name: 'x', entries: [entry({ uid: 'odd;uid,1', url: 'https://platform.example/a;b,c' })] }));
    expect(e.getFirstPropertyValue('uid')).toBe('odd;uid,1');
    expect(e.getFirstPropertyValue('url')).toBe('https://platform.example/a%3Bb%2Cc');
  });

  it('drops control characters that iCalendar text may not hold', () => {
    const e = only(calendarFeed({ name: 'x', entries: [entry({ title: 'A\u0007B\u0000C', description: '' })] }));
    expect(e.getFirstPropertyValue('summary')).toBe('ABC');
    expect(e.getFirstProperty('description')).toBeNull();
  });

  it('writes the same file whatever the server time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      const elsewhere = calendarFeed({ name: 'Events, 浙港; all', description: 'Every event\non the platform', entries, url: 'https://platform.example/events.ics' });
      expect(elsewhere).toBe(raw);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('refuses a zone that does not exist', () => {
    expect(() => calendarFeed({ name: 'x', entries: [entry({ timeZone: 'Asia/Nowhere' })] })).toThrow(/Asia\/Nowhere/);
  });

  it('is a valid empty calendar when there is nothing to show', () => {
    const empty = parse(calendarFeed({ name: 'Nothing', entries: [] }));
    expect(empty.getAllSubcomponents('vevent')).toHaveLength(0);
    expect(empty.getAllSubcomponents('vtimezone')).toHaveLength(0);
  });
});

describe('time zones with changes of offset', () => {
  it('follows daylight saving on both sides of the equator and across years', () => {
    const at = [
      // New York: winter, summer, the morning after the clocks go back, and the next year.
      { timeZone: 'America/New_York', startsAt: '2027-01-10T15:00:00Z', local: '20270110T100000' },
      { timeZone: 'America/New_York', startsAt: '2027-07-10T14:00:00Z', local: '20270710T100000' },
      { timeZone: 'America/New_York', startsAt: '2027-11-07T06:30:00Z', local: '20271107T013000' },
      { timeZone: 'America/New_York', startsAt: '2028-06-01T13:00:00Z', local: '20280601T090000' },
      // Sydney: daylight saving in January, standard time in July.
      { timeZone: 'Australia/Sydney', startsAt: '2027-01-10T23:00:00Z', local: '20270111T100000' },
      { timeZone: 'Australia/Sydney', startsAt: '2027-07-11T00:00:00Z', local: '20270711T100000' },
    ];
    const entries = at.map((a, i) => entry({ uid: `u${i}`, timeZone: a.timeZone, startsAt: new Date(a.startsAt), endsAt: new Date(new Date(a.startsAt).getTime() + 3_600_000) }));
    const raw = calendarFeed({ name: 'zones', entries });
    for (const a of at) expect(raw).toContain(`\r\nDTSTART;TZID=${a.timeZone}:${a.local}\r\n`);
    const all = events(raw);
    expect(all.map((e) => instant(e, 'dtstart'))).toEqual(at.map((a) => new Date(a.startsAt).toISOString()));
    expect(all.map((e) => instant(e, 'dtend'))).toEqual(entries.map((e) => e.endsAt.toISOString()));

    const zones = parse(raw).getAllSubcomponents('vtimezone');
    expect(zones.map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['America/New_York', 'Australia/Sydney']);
    const newYork = zones[0]!;
    // Through 2027 and 2028: standard time as 2027 begins, then each change of the two years.
    expect(newYork.getAllSubcomponents('daylight').map((o) => String(o.getFirstPropertyValue('dtstart')))).toEqual(['2027-03-14T02:00:00', '2028-03-12T02:00:00']);
    expect(newYork.getAllSubcomponents('standard').map((o) => String(o.getFirstPropertyValue('dtstart')))).toEqual(['2027-01-01T00:00:00', '2027-11-07T02:00:00', '2028-11-05T02:00:00']);
    const sydney = zones[1]!;
    expect(sydney.getAllSubcomponents('daylight').map((o) => String(o.getFirstPropertyValue('dtstart')))).toEqual(['2027-01-01T00:00:00', '2027-10-03T02:00:00']);
    expect(
      sydney
        .getAllSubcomponents('standard')
        .map((o) => [String(o.getFirstPropertyValue('dtstart')), o.getFirstPropertyValue('tzoffsetfrom')!.toString(), o.getFirstPropertyValue('tzoffsetto')!.toString()]),
    ).toEqual([['2027-04-04T03:00:00', '+11:00', '+10:00']]);
  });

  it('writes offsets with seconds when the zone had them', () => {
    // Before 1901 Shanghai kept local mean time, +8:05:43.
    expect(vtimezone('Asia/Shanghai', new Date('1899-06-01T00:00:00Z'), new Date('1899-06-02T00:00:00Z'))).toContain('TZOFFSETTO:+080543');
  });
});

describe('invitation', () => {
  const e = entry();
  const raw = invitation(e, { name: 'Resident, Kowloon', email: 'resident@platform.example' });

  it('is one published event with the same UID as in the feeds', () => {
    const cal = parse(raw);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    const event = only(raw);
    expect(event.getFirstPropertyValue('uid')).toBe(only(calendarFeed({ name: 'x', entries: [e] })).getFirstPropertyValue('uid'));
    expect(event.getFirstPropertyValue('uid')).toBe(e.uid);
    expect(event.getFirstPropertyValue('summary')).toBe(TITLE);
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    expect(instant(event, 'dtstart')).toBe(e.startsAt.toISOString());
    expect(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Asia/Shanghai']);
    expect(cal.getFirstProperty('x-wr-calname')).toBeNull();
  });

  it('names the registrant as an attendee who has accepted and owes no reply', () => {
    const attendee = only(raw).getFirstProperty('attendee')!;
    expect(String(attendee.getFirstValue()).toLowerCase()).toBe('mailto:resident@platform.example');
    expect(attendee.getParameter('cn')).toBe('Resident, Kowloon');
    expect(attendee.getParameter('partstat')).toBe('ACCEPTED');
    expect(attendee.getParameter('rsvp')).toBe('FALSE');
    expect(only(raw).getFirstProperty('organizer')!.getFirstValue()).toBe('mailto:organiser@platform.example');
  });

  it('says when the occurrence is cancelled', () => {
    const cancelled = only(invitation(entry({ status: 'cancelled', sequence: 4 }), { name: 'Resident', email: 'resident@platform.example' }));
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.getFirstPropertyValue('sequence')).toBe(4);
  });

  it('folds its lines at 75 octets', () => {
    for (const line of raw.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});
