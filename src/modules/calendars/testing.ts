// For tests of other modules and of the platform: what they may use of the calendars module.

/** The holiday calendars as the data files give them, for tests of working-day arithmetic without a database. */
export { readCalendarFiles } from './load-calendars.ts';
