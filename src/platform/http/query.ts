/**
 * Query-string values many routes share, bounded so that whatever is typed into an address stays
 * within what the database's columns and LIMIT/OFFSET take (an unbounded integer in a query string
 * ends as "integer out of range" there). Dates: see dates.ts.
 */
import { Type as T } from '@sinclair/typebox';

/** The largest id of a record kept in an `integer` (serial) column. */
const MAX_RECORD_ID = 2_147_483_647;
/** The furthest an API page may start: far beyond any list the platform keeps. */
const MAX_OFFSET = 1_000_000;

/** The id of a record in a query string (an action, a meeting …). */
export const RecordIdSchema = T.Integer({ minimum: 1, maximum: MAX_RECORD_ID });

/** limit and offset of the open-data API's lists. */
export const PagingQuery = {
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Items per page (at most 500)' })),
  offset: T.Optional(T.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0, description: `Items to skip (at most ${MAX_OFFSET})` })),
};
