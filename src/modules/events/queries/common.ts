import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.ts';

// What every query of the events module takes and uses.

export type Q = Kysely<Database> | Transaction<Database>;

/** `column = any($1)`: a list as one array parameter. */
export function anyOf<T extends number | string>(values: readonly T[]) {
  return sql<T>`any(${values}::${sql.raw(typeof values[0] === 'string' ? 'text[]' : 'int[]')})`;
}
