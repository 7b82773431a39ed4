import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';

/** What the repositories of implementation run on: the database, or a transaction. */
export type Q = Kysely<Database> | Transaction<Database>;

/**
 * `column = any($1)`: a list as one array parameter. A list of `in` parameters stops at 65,535 values
 * (the protocol's limit), which an annual report's periods or an area's actions can pass.
 */
export function anyOf<T extends number | string>(values: readonly T[]) {
  return sql<T>`any(${values}::${sql.raw(typeof values[0] === 'string' ? 'text[]' : 'int[]')})`;
}

/** An uploaded file a record holds: an update's evidence, a project agreement's document. */
export interface FileRef {
  id: string;
  name: string;
  mediaType: string;
  size: number;
}
