import type { ColumnType } from 'kysely';
import type { CalendarDayKind, CalendarName } from '../../calendar/working-days.ts';
import type { LocalizedText } from '../../i18n/locales.ts';

/** Where a year's list of days comes from: the published arrangement. */
export interface CalendarSource {
  publisher: string;
  title: string;
  /** The date of publication, 'YYYY-MM-DD', when known. */
  date: string | null;
  url: string;
  note?: string;
}

export type CalendarYearStatus = 'official' | 'provisional';

/** Table types of working-day calendars (Hong Kong general holidays, Mainland holidays and make-up working days). */
interface CalendarYearsTable {
  calendar: CalendarName;
  year: number;
  /** official: taken from the published list (source); provisional: computed (basis says how), to be replaced. */
  status: CalendarYearStatus;
  source: ColumnType<CalendarSource | null, string | null, string | null>;
  basis: string | null;
  /** The data/calendars entry the year was loaded from; null once changed on the platform. */
  reference_sha256: string | null;
  /** Set by any change on the platform: the reference files never overwrite such a year. */
  edited_by_admin: ColumnType<boolean, boolean | undefined, boolean>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

interface CalendarDaysTable {
  calendar: CalendarName;
  /** 'YYYY-MM-DD'. */
  date: string;
  year: number;
  /** holiday: a day off (any day of the week); working-weekend: a Saturday or Sunday worked (调休). */
  kind: CalendarDayKind;
  name: ColumnType<LocalizedText, string, string>;
}

export interface CalendarTables {
  calendar_years: CalendarYearsTable;
  calendar_days: CalendarDaysTable;
}
