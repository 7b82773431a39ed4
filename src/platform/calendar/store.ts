import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ReadModelCache } from '../read-model.ts';
import { CALENDAR_NAMES, type CalendarName, WorkingCalendar } from './working-days.ts';

export type WorkingCalendars = Record<CalendarName, WorkingCalendar>;

/** A Kysely instance (or transaction), or the platform's Db that holds one. */
export type CalendarDb = Kysely<Database> | { kysely: Kysely<Database> };

function kyselyOf(db: CalendarDb): Kysely<Database> {
  return 'kysely' in db ? db.kysely : db;
}

/** Both calendars as the database holds them now. */
export async function loadWorkingCalendars(db: CalendarDb): Promise<WorkingCalendars> {
  const q = kyselyOf(db);
  const [years, days] = await Promise.all([q.selectFrom('calendar_years').select(['calendar', 'year']).execute(), q.selectFrom('calendar_days').select(['calendar', 'date', 'kind']).execute()]);
  const build = (name: CalendarName) =>
    new WorkingCalendar(
      name,
      days.filter((d) => d.calendar === name),
      years.filter((y) => y.calendar === name).map((y) => y.year),
    );
  return Object.fromEntries(CALENDAR_NAMES.map((name) => [name, build(name)])) as WorkingCalendars;
}

/**
 * The calendars, loaded once and kept until an administrator changes them (invalidate), or at most
 * maxAgeMs, so that a change made by another process (a second server on the same PostgreSQL, a
 * command) is seen too.
 */
export class CalendarStore {
  private readonly cache: ReadModelCache;

  constructor(
    private readonly db: CalendarDb,
    maxAgeMs = 60_000,
    clock: () => number = Date.now,
  ) {
    this.cache = new ReadModelCache({ name: 'calendars', ttlMs: maxAgeMs, now: clock });
  }

  get(): Promise<WorkingCalendars> {
    return this.cache.memo('calendars', () => loadWorkingCalendars(this.db));
  }

  invalidate(): void {
    this.cache.invalidate();
  }
}

const stores = new WeakMap<Kysely<Database>, CalendarStore>();

/**
 * The one store of a database, shared by every module that counts working days and by the admin
 * pages that invalidate it after a change.
 */
export function calendarStore(db: CalendarDb): CalendarStore {
  const q = kyselyOf(db);
  let store = stores.get(q);
  if (!store) {
    store = new CalendarStore(q);
    stores.set(q, store);
  }
  return store;
}
