import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { SYSTEM, verifyAuditTrail } from '../../platform/audit/audit.ts';
import { calendarStore } from '../../platform/calendar/store.ts';
import { readForm } from '../../platform/http/forms.ts';
import { addCalendarDay, DAY_FORM } from './add-calendar-day.ts';
import { CALENDAR_FILES, type CalendarYearEntry, loadCalendars, readCalendarFile, readCalendarFiles } from './load-calendars.ts';
import { findCalendarDays, findCalendarYear, findCalendarYears } from './queries.ts';

const entries = readCalendarFiles();
const entry = (calendar: string, year: number) => entries.find((e) => e.calendar === calendar && e.year === year) as CalendarYearEntry;

describe('the calendar reference files', () => {
  it('cover 2023 to 2027 on both sides, 2027 provisional, every official year with its source', () => {
    expect(entries.map((e) => `${e.calendar} ${e.year} ${e.fields.status}`)).toEqual([
      'hong-kong 2023 official',
      'hong-kong 2024 official',
      'hong-kong 2025 official',
      'hong-kong 2026 official',
      'hong-kong 2027 provisional',
      'mainland 2023 official',
      'mainland 2024 official',
      'mainland 2025 official',
      'mainland 2026 official',
      'mainland 2027 provisional',
    ]);
    for (const e of entries) {
      if (e.fields.status === 'official') expect(e.fields.source?.url, `${e.calendar} ${e.year}`).toMatch(/^https?:\/\//);
      else expect(e.fields.basis, `${e.calendar} ${e.year}`).toBeTruthy();
      for (const d of e.days) for (const l of ['zh-Hant', 'zh-Hans', 'en'] as const) expect(d.name[l], `${d.date} ${l}`).toBeTruthy();
    }
    // Hong Kong has 17 general holidays a year and no make-up days; the Mainland's make-up days follow each year's notice.
    for (const year of [2023, 2024, 2025, 2026, 2027]) expect(entry('hong-kong', year).days.map((d) => d.kind)).toEqual(Array(17).fill('holiday'));
    expect([2023, 2024, 2025, 2026, 2027].map((y) => entry('mainland', y).days.filter((d) => d.kind === 'working-weekend').length)).toEqual([7, 8, 5, 6, 0]);
  });

  describe('refusing a file with a mistake', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendars-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const withYear = (calendar: 'hong-kong' | 'mainland', change: (year: Record<string, unknown>) => void) => {
      const data = JSON.parse(fs.readFileSync(CALENDAR_FILES[calendar], 'utf8'));
      change(data.years['2026']);
      const file = path.join(dir, `${calendar}-${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(file, JSON.stringify(data));
      return () => readCalendarFile(file, calendar);
    };
    const day = (date: string) => ({ date, name: { 'zh-Hant': '測試', 'zh-Hans': '测试', en: 'Test' } });

    it('names the mistake', () => {
      expect(withYear('mainland', (y) => (y.workingWeekends as unknown[]).push(day('2026-03-04')))).toThrow('2026-03-04 (working-weekend): calendar_not_weekend');
      expect(withYear('hong-kong', (y) => (y.workingWeekends as unknown[]).push(day('2026-03-07')))).toThrow('calendar_no_make_up_days');
      expect(withYear('mainland', (y) => (y.holidays as unknown[]).push(day('2025-12-31')))).toThrow('calendar_date_outside_year');
      expect(withYear('mainland', (y) => (y.workingWeekends as unknown[]).push(day('2026-02-15')))).toThrow('2026-02-15 is listed twice');
      expect(withYear('mainland', (y) => (y.holidays as unknown[]).push(day('2026-02-30')))).toThrow('2026-02-30 is not a date');
      expect(
        withYear('mainland', (y) => {
          y.source = null;
        }),
      ).toThrow('calendar_official_needs_source');
      expect(
        withYear('mainland', (y) => {
          y.extra = 1;
        }),
      ).toThrow(/\/years\/2026/);
      expect(() => readCalendarFile(CALENDAR_FILES.mainland, 'hong-kong')).toThrow('expected hong-kong');
    });
  });
});

describe.each(DATABASES)('loading the calendars on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  it('adds every year once, audits each, and says what it did', async () => {
    const lines: string[] = [];
    expect(await loadCalendars({ db: t.db.kysely, actor: SYSTEM, now: new Date(), progress: (l) => lines.push(l) })).toEqual({ created: 10, updated: 0, keptEdited: 0, unchanged: 0 });
    expect(await loadCalendars({ db: t.db.kysely, actor: SYSTEM, now: new Date(), progress: (l) => lines.push(l) })).toEqual({ created: 0, updated: 0, keptEdited: 0, unchanged: 10 });
    expect(lines).toEqual([
      '  calendars: 10 years added, 0 updated from the file, 0 kept as edited by an administrator, 0 unchanged',
      '  calendars: 0 years added, 0 updated from the file, 0 kept as edited by an administrator, 10 unchanged',
    ]);
    const years = await findCalendarYears(t.db.kysely);
    expect(years.map((y) => [y.calendar, y.year, y.status, y.holidays, y.workingWeekends, y.editedByAdmin])).toContainEqual(['mainland', 2026, 'official', 33, 6, false]);
    expect((await findCalendarDays(t.db.kysely, 'mainland', [2026]))[0]).toEqual({
      calendar: 'mainland',
      date: '2026-01-01',
      kind: 'holiday',
      name: { 'zh-Hant': '元旦', 'zh-Hans': '元旦', en: "New Year's Day" },
    });
    const trail = await t.db.kysely.selectFrom('audit_events').select(['action', 'entity_id', 'changes']).where('entity_type', '=', 'calendar-year').orderBy('id').execute();
    expect(trail).toHaveLength(10);
    expect(trail[0]).toMatchObject({ action: 'calendar-year.loaded', entity_id: 'hong-kong/2023', changes: { status: { before: null, after: 'official' } } });
    expect((trail[0]?.changes as Record<string, { after: string[] }>).holidays?.after).toHaveLength(17);
  });

  it('refreshes a year whose entry changed, unless an administrator has changed that year', async () => {
    await loadCalendars({ db: t.db.kysely, actor: SYSTEM, now: new Date() });
    const before = await calendarStore(t.db).get();
    expect(before.mainland.isWorkingDay('2027-02-09')).toBe(true);

    // A new release of the file with the official 2027 arrangement: a day off is added, a weekend worked.
    const mainland2027 = entry('mainland', 2027);
    const extra = { calendar: 'mainland' as const, date: '2027-02-09', kind: 'holiday' as const, name: { en: 'Spring Festival' } };
    const worked = { calendar: 'mainland' as const, date: '2027-02-20', kind: 'working-weekend' as const, name: { en: 'Spring Festival' } };
    const release = entries.map((e) => (e === mainland2027 ? { ...e, days: [...e.days, extra, worked], sha256: 'new-release' } : e));
    expect(await loadCalendars({ db: t.db.kysely, actor: SYSTEM, now: new Date(), entries: release })).toEqual({ created: 0, updated: 1, keptEdited: 0, unchanged: 9 });
    const after = await calendarStore(t.db).get();
    expect(after.mainland.isWorkingDay('2027-02-09')).toBe(false);
    expect(after.mainland.isWorkingDay('2027-02-20')).toBe(true);
    const reloaded = await t.db.kysely.selectFrom('audit_events').select('changes').where('action', '=', 'calendar-year.reloaded').executeTakeFirstOrThrow();
    expect(Object.keys(reloaded.changes)).toEqual(['holidays', 'workingWeekends']);
    expect(reloaded.changes.workingWeekends).toEqual({ before: [], after: ['2027-02-20'] });

    // An administrator adds a day to Hong Kong 2027: that year is the platform's from now on.
    const added = await addCalendarDay({
      db: t.db.kysely,
      calendar: 'hong-kong',
      year: 2027,
      form: readForm({ date: '2027-12-24', kind: 'holiday', nameHant: '測試假期', nameHans: '测试假期', nameEn: 'Test holiday' }, DAY_FORM),
      actor: { type: 'command', label: 'test' },
      now: new Date(),
    });
    expect(added).toEqual({ ok: true });
    const hk2027 = entry('hong-kong', 2027);
    const hkRelease = release.map((e) =>
      e === hk2027
        ? {
            ...e,
            fields: { ...e.fields, status: 'official' as const, source: { publisher: 'GovHK', title: 'General holidays for 2027', date: null, url: 'https://www.gov.hk/' } },
            sha256: 'hk-release',
          }
        : e,
    );
    const lines: string[] = [];
    expect(await loadCalendars({ db: t.db.kysely, actor: SYSTEM, now: new Date(), entries: hkRelease, progress: (l) => lines.push(l) })).toEqual({
      created: 0,
      updated: 0,
      keptEdited: 1,
      unchanged: 9,
    });
    expect(lines[0]).toContain('1 kept as edited by an administrator (hong-kong/2027)');
    expect(await findCalendarYear(t.db.kysely, 'hong-kong', 2027)).toMatchObject({ status: 'provisional', editedByAdmin: true, holidays: 18 });
    expect((await verifyAuditTrail(t.db.kysely)).broken).toBeUndefined();
  });
});
