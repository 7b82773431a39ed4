import { type Kysely, sql } from 'kysely';

/**
 * The knowledge base (政策解答): a tree of categories, articles in up to three languages with their
 * status, responsible agency, review date and sources, and the commitments and other articles each
 * one links to. Articles come from data/knowledge/ (origin 'seed') or are written on the platform.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table knowledge_categories (
      key text primary key check (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      parent_key text references knowledge_categories (key),
      position integer not null,
      name jsonb not null,
      commitments jsonb not null default '[]',
      check (parent_key is null or parent_key <> key)
    )`.execute(db);
  await sql`create index knowledge_categories_parent on knowledge_categories (parent_key, position)`.execute(db);

  await sql`
    create table knowledge_articles (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 100),
      category_key text not null references knowledge_categories (key),
      status text not null check (status in ('draft', 'internal', 'public')),
      title jsonb not null,
      body jsonb not null default '{}',
      responsible_agency text not null references organisations (id),
      review_on date not null,
      sources jsonb not null default '[]',
      origin text not null check (origin in ('seed', 'platform')),
      seed_sha256 text,
      edited_on_platform boolean not null default false,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text references users (id),
      check ((origin = 'seed') = (seed_sha256 is not null))
    )`.execute(db);
  await sql`create index knowledge_articles_category on knowledge_articles (category_key, status)`.execute(db);
  await sql`create index knowledge_articles_recent on knowledge_articles (updated_at desc) where status = 'public'`.execute(db);
  await sql`create index knowledge_articles_agency on knowledge_articles (responsible_agency)`.execute(db);
  await sql`create index knowledge_articles_review on knowledge_articles (review_on) where status <> 'draft'`.execute(db);

  await sql`
    create table knowledge_article_commitments (
      article_id integer not null references knowledge_articles (id) on delete cascade,
      commitment_id integer not null references commitments (id),
      primary key (article_id, commitment_id)
    )`.execute(db);
  await sql`create index knowledge_article_commitments_commitment on knowledge_article_commitments (commitment_id)`.execute(db);

  await sql`
    create table knowledge_related_articles (
      article_id integer not null references knowledge_articles (id) on delete cascade,
      related_id integer not null references knowledge_articles (id) on delete cascade,
      position integer not null,
      primary key (article_id, related_id),
      check (article_id <> related_id)
    )`.execute(db);
  await sql`create index knowledge_related_articles_related on knowledge_related_articles (related_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists knowledge_related_articles`.execute(db);
  await sql`drop table if exists knowledge_article_commitments`.execute(db);
  await sql`drop table if exists knowledge_articles`.execute(db);
  await sql`drop table if exists knowledge_categories`.execute(db);
}
