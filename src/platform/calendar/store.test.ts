import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { CalendarStore, calendarStore, loadWorkingCalendars } from './store.ts';

describe.each(DATABASES)('working calendars from the database on %s', (kind) => {
  const t = freshDatabaseEach(kind);

  it('loads both calendars as seeded, with the years 2023 to 2027', async () => {
    const { 'hong-kong': hk, mainland } = await loadWorkingCalendars(t.db);
    expect(hk.coveredYears()).toEqual([2023, 2024, 2025, 2026, 2027]);
    expect(mainland.coveredYears()).toEqual([2023, 2024, 2025, 2026, 2027]);
    expect(hk.isWorkingDay('2025-10-01')).toBe(false);
    expect(mainland.isWorkingDay('2026-01-04')).toBe(true);
    expect(mainland.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    // The same from a transaction, and from the Kysely instance itself.
    await t.db.kysely.transaction().execute(async (trx) => expect((await loadWorkingCalendars(trx)).mainland.isWorkingDay('2026-02-16')).toBe(false));
    expect((await loadWorkingCalendars(t.db.kysely))['hong-kong'].covers('2028-01-03')).toBe(false);
  });

  it('keeps the calendars until invalidated or too old, and shares one store per database', async () => {
    let now = 0;
    const store = new CalendarStore(t.db, 60_000, () => now);
    const first = await store.get();
    expect(await store.get()).toBe(first);
    // A change written behind the store's back is not seen until the store is told, or the copy is a minute old.
    await t.db.kysely.insertInto('calendar_days').values({ calendar: 'hong-kong', date: '2026-06-02', year: 2026, kind: 'holiday', name: '{}' }).execute();
    expect((await store.get())['hong-kong'].isWorkingDay('2026-06-02')).toBe(true);
    store.invalidate();
    const second = await store.get();
    expect(second).not.toBe(first);
    expect(second['hong-kong'].isWorkingDay('2026-06-02')).toBe(false);
    await t.db.kysely.deleteFrom('calendar_days').where('date', '=', '2026-06-02').execute();
    now = 60_001;
    expect((await store.get())['hong-kong'].isWorkingDay('2026-06-02')).toBe(true);

    expect(calendarStore(t.db)).toBe(calendarStore(t.db.kysely));
  });
});
