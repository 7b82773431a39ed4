import { describe, expect, it } from 'vitest';
import { calendarLinks } from './calendar-links.ts';
import type { CalendarEntry } from './ical.ts';

const TITLE = '浙港合作研討會 & 創新 + 科技 #1, 第二場; 50%';

function entry(overrides: Partial<CalendarEntry> = {}): CalendarEntry {
  return {
    uid: 'ZJHK-V-2027-000012/2027-07-15',
    title: TITLE,
    description: '第一行\n第二行, 有逗號',
    // 09:30 to 11:30 in London summer time: 08:30 to 10:30 UTC.
    startsAt: new Date('2027-07-15T08:30:00Z'),
    endsAt: new Date('2027-07-15T10:30:00Z'),
    timeZone: 'Europe/London',
    location: '杭州市上城區 錢江路1號',
    url: 'https://platform.example/zh-hans/events/ZJHK-V-2027-000012/2027-07-15',
    status: 'scheduled',
    sequence: 0,
    updatedAt: new Date('2027-01-02T03:04:05Z'),
    organiser: null,
    categories: [],
    ...overrides,
  };
}

describe('add-to-calendar links', () => {
  const links = calendarLinks(entry());

  it('fills in a Google Calendar event with UTC times', () => {
    const url = new URL(links.google);
    expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
    expect(url.searchParams.get('text')).toBe(TITLE);
    expect(url.searchParams.get('dates')).toBe('20270715T083000Z/20270715T103000Z');
    expect(url.searchParams.get('details')).toBe('第一行\n第二行, 有逗號\n\nhttps://platform.example/zh-hans/events/ZJHK-V-2027-000012/2027-07-15');
    expect(url.searchParams.get('location')).toBe('杭州市上城區 錢江路1號');
    expect(url.searchParams.get('ctz')).toBe('Europe/London');
    expect(links.google).toContain('&dates=20270715T083000Z/20270715T103000Z&');
  });

  it('fills in an Outlook.com and an Office 365 event with UTC times', () => {
    for (const [link, host] of [
      [links.outlook, 'outlook.live.com'],
      [links.office365, 'outlook.office.com'],
    ] as const) {
      const url = new URL(link);
      expect(url.origin + url.pathname).toBe(`https://${host}/calendar/0/deeplink/compose`);
      expect(url.searchParams.get('path')).toBe('/calendar/action/compose');
      expect(url.searchParams.get('rru')).toBe('addevent');
      expect(url.searchParams.get('subject')).toBe(TITLE);
      expect(url.searchParams.get('startdt')).toBe('2027-07-15T08:30:00Z');
      expect(url.searchParams.get('enddt')).toBe('2027-07-15T10:30:00Z');
      expect(url.searchParams.get('body')).toBe('第一行\n第二行, 有逗號\n\nhttps://platform.example/zh-hans/events/ZJHK-V-2027-000012/2027-07-15');
      expect(url.searchParams.get('location')).toBe('杭州市上城區 錢江路1號');
    }
  });

  it('percent-encodes text so that no character is read as another', () => {
    for (const link of Object.values(links)) {
      const search = link.slice(link.indexOf('?') + 1);
      // Spaces as %20 (a '+' would be read as a space), '+', '&', '#', '%' and ',' encoded, Chinese as UTF-8.
      expect(search).not.toMatch(/[ #\n]/);
      expect(search).toContain('%E6%B5%99%E6%B8%AF');
      expect(search).toContain('%20%26%20');
      expect(search).toContain('%20%2B%20');
      expect(search).toContain('%231%2C');
      expect(search).toContain('50%25');
      expect(search).toContain('%0A');
    }
  });

  it('gives the instants, not the wall-clock time, of an event in any zone', () => {
    const shanghai = calendarLinks(entry({ timeZone: 'Asia/Shanghai', startsAt: new Date('2027-03-15T01:30:00Z'), endsAt: new Date('2027-03-15T03:00:00Z') }));
    expect(new URL(shanghai.google).searchParams.get('dates')).toBe('20270315T013000Z/20270315T030000Z');
    expect(new URL(shanghai.outlook).searchParams.get('startdt')).toBe('2027-03-15T01:30:00Z');
    expect(new URL(shanghai.office365).searchParams.get('enddt')).toBe('2027-03-15T03:00:00Z');
  });

  it('leaves out the place of an online event and keeps the page link without a description', () => {
    const online = calendarLinks(entry({ location: null, description: '' }));
    for (const link of [online.google, online.outlook, online.office365]) {
      expect(new URL(link).searchParams.has('location')).toBe(false);
    }
    expect(new URL(online.google).searchParams.get('details')).toBe('https://platform.example/zh-hans/events/ZJHK-V-2027-000012/2027-07-15');
    expect(new URL(online.outlook).searchParams.get('body')).toBe('https://platform.example/zh-hans/events/ZJHK-V-2027-000012/2027-07-15');
  });

  it('does not repeat the page link when the description carries it', () => {
    const url = 'https://platform.example/zh-hans/events/ZJHK-V-2027-000012/2027-07-15';
    const carried = calendarLinks(entry({ description: `活动介绍\n\n链接：${url}` }));
    expect(new URL(carried.google).searchParams.get('details')).toBe(`活动介绍\n\n链接：${url}`);
    expect(new URL(carried.office365).searchParams.get('body')).toBe(`活动介绍\n\n链接：${url}`);
  });

  it('shortens a long description so the links stay usable', () => {
    const long = calendarLinks(entry({ description: '長'.repeat(5000) }));
    const details = new URL(long.google).searchParams.get('details')!;
    expect([...details.split('\n\n')[0]!]).toHaveLength(500);
    expect(details.split('\n\n')[0]!.endsWith('…')).toBe(true);
    expect(details.endsWith('/2027-07-15')).toBe(true);
    for (const link of Object.values(long)) expect(link.length).toBeLessThan(6_000);
  });
});
