import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** The tables whose rows carry a reference number made from their own id. */
type NumberedTable = { [T in keyof Database]: Database[T] extends { id: unknown; reference: string } ? T : never }[keyof Database];

/** A reference number as people quote it: `ZJHK-U-2026-000123` for ('ZJHK-U', 2026, 123, 6). */
export function referenceNumber(prefix: string, year: number | string, id: number, digits: number): string {
  return `${prefix}-${year}-${String(id).padStart(digits, '0')}`;
}

/**
 * Inserts a row numbered from its own id. `insert` puts the row in under a placeholder reference
 * (unique, never shown) and returns its id; the row then gets its number, in the same transaction or
 * connection as the insert.
 */
export async function insertNumbered(
  db: Kysely<Database> | Transaction<Database>,
  table: NumberedTable,
  insert: (placeholder: string) => Promise<{ id: number }>,
  number: (id: number) => string,
): Promise<{ id: number; reference: string }> {
  const { id } = await insert(`pending-${crypto.randomUUID()}`);
  const reference = number(id);
  await sql`update ${sql.table(table)} set reference = ${reference} where id = ${id}`.execute(db);
  return { id, reference };
}
