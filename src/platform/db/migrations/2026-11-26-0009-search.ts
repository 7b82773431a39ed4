import { type Kysely, sql } from 'kysely';

/**
 * Search: the search table every module keeps its searchable text in. The lexemes are made by the
 * application (Chinese folded to one script and cut into bigrams, words stemmed) and stored as a
 * tsvector literal, so that PGlite and PostgreSQL hold and match exactly the same lexemes. The primary
 * key (kind, key) also serves lookups by kind.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table search_documents (
      kind text not null check (kind ~ '^[a-z][a-z0-9-]*$'),
      key text not null check (key <> ''),
      title jsonb not null,
      body jsonb not null default '{}',
      visibility text not null check (visibility in ('public', 'internal')),
      tags text[] not null default '{}',
      lexemes tsvector not null,
      title_lexemes tsvector not null default '',
      token_count integer not null default 0 check (token_count >= 0),
      updated_at timestamptz not null default now(),
      primary key (kind, key)
    )`.execute(db);
  // Without fastupdate: a pending list (flushed only by vacuum, which PGlite never runs on its own, or
  // when it reaches 4 MB) would be read in full by every search.
  await sql`create index search_documents_lexemes on search_documents using gin (lexemes) with (fastupdate = off)`.execute(db);
  // No statistics on the lexemes: the planner then always expects a term to be rare and reads it from the
  // index. With statistics it scans the table for a common term, reading every document's tsvector.
  await sql`alter table search_documents alter column lexemes set statistics 0`.execute(db);
  await sql`create index search_documents_tags on search_documents using gin (tags)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists search_documents`.execute(db);
}
