import { type Kysely, sql } from 'kysely';

/** Sign-in attempts through OpenID Connect, between leaving for the provider and coming back. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oidc_attempts (
      id text primary key,
      state text not null,
      nonce text not null,
      code_verifier text not null,
      locale text not null check (locale in ('zh-Hant', 'zh-Hans', 'en')),
      next_path text,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table oidc_attempts`.execute(db);
}
