import { type Static, Type as T } from '@sinclair/typebox';
import { DateSchema } from '../../platform/http/dates.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { Nullable } from '../../platform/schemas.ts';

export const CALENDAR_STATUSES = ['official', 'provisional'] as const;
export const DAY_KINDS = ['holiday', 'working-weekend'] as const;
/** The years a calendar may hold (the database checks the same bounds). */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

const DateString = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CalendarName = T.Union([T.Literal('hong-kong'), T.Literal('mainland')]);

const NamedDay = T.Object({ date: DateString, name: LocalizedTextSchema }, { additionalProperties: false });

const CalendarSourceSchema = T.Object(
  {
    publisher: T.String({ minLength: 1 }),
    title: T.String({ minLength: 1 }),
    date: Nullable(DateString),
    url: T.String({ pattern: '^https?://' }),
    note: T.Optional(T.String()),
  },
  { additionalProperties: false },
);

/** One year of a file in data/calendars/. */
const CalendarFileYearSchema = T.Object(
  {
    status: T.Union(CALENDAR_STATUSES.map((s) => T.Literal(s))),
    source: Nullable(CalendarSourceSchema),
    basis: T.Optional(T.String({ minLength: 1 })),
    holidays: T.Array(NamedDay),
    workingWeekends: T.Array(NamedDay),
  },
  { additionalProperties: false },
);

/** data/calendars/hong-kong.json and mainland.json. */
export const CalendarFileSchema = T.Object(
  {
    calendar: CalendarName,
    rules: T.String(),
    years: T.Record(T.String({ pattern: '^\\d{4}$' }), CalendarFileYearSchema),
  },
  { additionalProperties: false },
);
export type CalendarFile = Static<typeof CalendarFileSchema>;

export const CalendarParams = T.Object({ calendar: CalendarName, year: T.String({ pattern: '^\\d{4}$' }) });
export const DayParams = T.Object({ calendar: CalendarName, year: T.String({ pattern: '^\\d{4}$' }), date: DateSchema });
export const FormBody = T.Record(T.String(), T.Unknown());
export const SavedQuery = T.Object({ saved: T.Optional(T.String({ maxLength: 20 })) });
/** The public page: a year to show and the deadline calculator's fields, checked by the page itself. */
export const PublicQuery = T.Object({
  year: T.Optional(T.String({ maxLength: 10 })),
  calendar: T.Optional(T.String({ maxLength: 20 })),
  from: T.Optional(T.String({ maxLength: 20 })),
  days: T.Optional(T.String({ maxLength: 10 })),
});
