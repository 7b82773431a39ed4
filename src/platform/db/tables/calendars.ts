/** Table types of working-day calendars (Hong Kong general holidays, Mainland holidays and make-up working days). */
export interface CalendarTables {}
