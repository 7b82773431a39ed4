import type { Kysely } from 'kysely';

/** Search: the search table every module keeps its searchable text in. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
