// The one-stop service benchmark's data set at the scale: 5,000 knowledge articles (the seeded
// ones and generated ones made of their sentences, so the search meets real vocabulary) and 100,000
// enquiries with their timelines, generated in the database with set-based SQL. Deterministic: the same
// rows on PGlite and on PostgreSQL (enquiry dates relative to the day it runs).
import { type Kysely, sql } from 'kysely';
import { findArticle, findArticles, findCategories, insertArticle } from '../../src/modules/knowledge/queries.ts';
import { reindexArticles } from '../../src/modules/knowledge/index-articles.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import type { LocalizedText } from '../../src/platform/i18n/locales.ts';
import { convertScript } from '../../src/platform/i18n/script.ts';
import { markdownToText } from '../../src/platform/markdown.ts';
import { indexDocument } from '../../src/platform/search/index.ts';

export const SCALE = { articles: 5_000, enquiries: 100_000, recallDistractors: 2_000 } as const;

/** A small deterministic generator (mulberry32), so both databases get the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

/** Sentences of the seeded articles' plain text, per language (Chinese split after 。！？；, English after . ! ?). */
interface SentencePools {
  hant: string[];
  en: string[];
}

async function sentencePools(db: Kysely<Database>): Promise<SentencePools> {
  const pools: SentencePools = { hant: [], en: [] };
  for (const summary of await findArticles(db)) {
    const article = await findArticle(db, { id: summary.id });
    if (!article) continue;
    for (const line of markdownToText(article.body['zh-Hant'] ?? '').split(/(?<=[。！？；])|\n+/)) if (line.trim().length >= 8) pools.hant.push(line.trim());
    for (const line of markdownToText(article.body.en ?? '').split(/(?<=[.!?])\s+|\n+/)) if (line.trim().length >= 20) pools.en.push(line.trim());
  }
  if (pools.hant.length === 0 || pools.en.length === 0) throw new Error('the seeded knowledge base has no text to build the benchmark articles from');
  return pools;
}

/** An article of 6–14 sentences drawn from the pools, titled with a stretch of its first sentence. */
function generatedText(next: () => number, pools: SentencePools): { title: LocalizedText; body: LocalizedText } {
  const count = 6 + Math.floor(next() * 9);
  const hant = Array.from({ length: count }, () => pick(next, pools.hant));
  const en = Array.from({ length: count }, () => pick(next, pools.en));
  const first = hant[0] as string;
  const start = Math.floor(next() * Math.max(1, first.length - 12));
  const titleHant = first.slice(start, start + 8 + Math.floor(next() * 8)).replace(/[，。、；：！？（）「」]/g, '');
  const titleEn = (en[0] as string)
    .split(/\s+/)
    .slice(0, 6 + Math.floor(next() * 5))
    .join(' ');
  const bodyHant = hant.join('');
  return {
    title: { 'zh-Hant': titleHant, 'zh-Hans': convertScript(titleHant, 'zh-Hans'), en: titleEn },
    body: { 'zh-Hant': bodyHant, 'zh-Hans': convertScript(bodyHant, 'zh-Hans'), en: en.join(' ') },
  };
}

/** Adds generated public articles until the knowledge base holds `total`; then indexes them all. */
export async function loadArticles(db: Kysely<Database>, total: number, log: (line: string) => void): Promise<{ generated: number; seeded: number }> {
  const pools = await sentencePools(db);
  const seeded = (await findArticles(db)).length;
  const categories = (await findCategories(db)).map((c) => c.key);
  const agencies = (await db.selectFrom('organisations').select('id').where('side', 'in', ['hong-kong', 'zhejiang']).orderBy('id').execute()).map((o) => o.id);
  const next = random(20_231_126);
  const generated = Math.max(0, total - seeded);
  for (let done = 0; done < generated; done += 500) {
    await db.transaction().execute(async (trx) => {
      for (let i = done; i < Math.min(generated, done + 500); i += 1) {
        const text = generatedText(next, pools);
        await insertArticle(
          trx,
          {
            slug: `bench-${String(i + 1).padStart(5, '0')}`,
            categoryKey: pick(next, categories),
            status: 'public',
            title: text.title,
            body: text.body,
            responsibleAgency: pick(next, agencies),
            reviewOn: '2027-12-31',
            sources: [],
            commitmentIds: [],
            relatedIds: [],
          },
          { origin: 'platform', seedSha256: null, updatedBy: null },
        );
      }
    });
    log(`    articles ${Math.min(generated, done + 500) + seeded} of ${total}`);
  }
  await reindexArticles({ db });
  return { generated, seeded };
}

/**
 * Distractor sentences for the recall corpora: the agreement's commitments, which share the articles'
 * general vocabulary (香港, 浙江, 支持, 企業 …) but answer none of the questions.
 */
async function agreementPools(db: Kysely<Database>): Promise<SentencePools> {
  const pools: SentencePools = { hant: [], en: [] };
  for (const c of await db.selectFrom('commitments').select('text').execute()) {
    for (const line of (c.text['zh-Hant'] ?? '').split(/(?<=[。！？；])/)) if (line.trim().length >= 8) pools.hant.push(line.trim());
    for (const line of (c.text.en ?? '').split(/(?<=[.!?])\s+/)) if (line.trim().length >= 20) pools.en.push(line.trim());
  }
  return pools;
}

/**
 * The recall corpora: every seeded article indexed in ONE script only (kinds recall-hant and
 * recall-hans), among distractors of the same script made of the agreement's sentences.
 */
export async function loadRecallCorpora(db: Kysely<Database>, distractors: number): Promise<void> {
  const pools = await agreementPools(db);
  const next = random(7);
  await db.transaction().execute(async (trx) => {
    for (const summary of await findArticles(trx, { statuses: ['public'] })) {
      if (summary.slug.startsWith('bench-')) continue;
      const article = await findArticle(trx, { id: summary.id });
      if (!article) continue;
      for (const [kind, locale] of [
        ['recall-hant', 'zh-Hant'],
        ['recall-hans', 'zh-Hans'],
      ] as const) {
        const title = article.title[locale];
        const body = article.body[locale];
        if (!title || !body) throw new Error(`article ${article.slug} has no ${locale} text`);
        await indexDocument(trx, { kind, key: article.slug, title: { [locale]: title }, body: { [locale]: markdownToText(body) }, visibility: 'public' });
      }
    }
    for (let i = 0; i < distractors; i += 1) {
      const text = generatedText(next, pools);
      const key = `distractor-${i + 1}`;
      await indexDocument(trx, { kind: 'recall-hant', key, title: { 'zh-Hant': text.title['zh-Hant'] }, body: { 'zh-Hant': text.body['zh-Hant'] }, visibility: 'public' });
      await indexDocument(trx, { kind: 'recall-hans', key, title: { 'zh-Hans': text.title['zh-Hans'] }, body: { 'zh-Hans': text.body['zh-Hans'] }, visibility: 'public' });
    }
  });
}

export async function dropRecallCorpora(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('search_documents').where('kind', 'in', ['recall-hant', 'recall-hans']).execute();
}

/**
 * 100,000 enquiries received from 2023-07-01 to today, routed by topic (one in five handled by a Hong Kong
 * bureau after a transfer); cases of the last 40 days mostly still open, a few old ones overdue, the
 * rest closed with an outcome, working days and satisfaction; each with its "received" event (and
 * "closed" when closed). Illustrative only.
 */
export async function loadEnquiries(db: Kysely<Database>, count: number, today: string): Promise<number> {
  const hongKong = ['hk-sheto-zhejiang', 'hk-lwb', 'hk-edb', 'hk-hyab', 'hk-cmab'];
  await db.transaction().execute(async (trx) => {
    await sql`
      with topics as (select array_agg(key order by position) as keys, array_agg(agency_id order by position) as agencies from enquiry_topics),
      g as (
        select i,
          (date '2023-07-01' + ((i::bigint * (${today}::date - date '2023-07-01')) / ${count}::int)::int) as received_on,
          (i * 7) % cardinality(topics.keys) + 1 as t,
          case when i % 5 = 0 then (${hongKong}::text[])[(i / 5) % ${hongKong.length} + 1] else topics.agencies[(i * 7) % cardinality(topics.keys) + 1] end as agency,
          topics.keys
        from generate_series(1, ${count}::int) as i, topics
      ),
      s as (
        select g.*, o.side,
          case
            when g.received_on > ${today}::date - 40 then (array['open','open','open','open','open','open','awaiting-citizen','with-coordinators','closed','closed'])[i % 10 + 1]
            when i % 50 = 0 then 'open'
            else 'closed'
          end as state
        from g join organisations o on o.id = g.agency
      )
      insert into enquiries (reference, type, topic_key, subject, description, locale, name, email, agency_id, side, state, received_on, time_limit,
                             paused_since, due_on, closed_on, closed_at, outcome, working_days_taken, on_time, satisfaction, rated_at, created_at, updated_at)
      select
        'ZJHK-E-' || extract(year from received_on)::int || '-' || lpad(i::text, 6, '0'),
        (array['enquiry','enquiry','enquiry','help','complaint'])[i % 5 + 1],
        keys[t],
        '示例諮詢 ' || i,
        '這是基準測試用的示例諮詢內容。',
        (array['zh-Hant','zh-Hans','en'])[i % 3 + 1],
        'Bench ' || i,
        'bench' || i || '@example.org',
        case when state = 'with-coordinators' then null else agency end,
        side,
        state,
        received_on,
        (array[3,3,3,5,7])[i % 5 + 1],
        case when state = 'awaiting-citizen' then received_on + 2 end,
        received_on + (array[4,4,4,7,9])[i % 5 + 1],
        case when state = 'closed' then received_on + (i % 9) end,
        case when state = 'closed' then (received_on + (i % 9))::timestamptz end,
        case when state = 'closed' then (array['answered','resolved','referred','not-substantiated','withdrawn'])[i % 5 + 1] end,
        case when state = 'closed' then (i % 9) * 5 / 7 end,
        case when state = 'closed' then (i % 9) <= 5 end,
        case when state = 'closed' and i % 3 = 0 then i % 5 + 1 end,
        case when state = 'closed' and i % 3 = 0 then (received_on + (i % 9) + 1)::timestamptz end,
        received_on::timestamptz,
        received_on::timestamptz
      from s
      order by i`.execute(trx);
    await sql`
      insert into enquiry_events (enquiry_id, kind, actor, organisation_id, visible_to_citizen, created_at)
      select id, 'received', 'citizen', null, true, created_at from enquiries
      union all
      select id, 'closed', 'officer', agency_id, true, closed_at from enquiries where state = 'closed'`.execute(trx);
  });
  await sql`analyze`.execute(db);
  return count;
}

/** The agency with the most open cases (the heaviest queue) and a coordinator organisation of its side. */
export async function busiestAgency(db: Kysely<Database>): Promise<{ agency: string; side: string; open: number }> {
  const row = await db
    .selectFrom('enquiries')
    .innerJoin('organisations', 'organisations.id', 'enquiries.agency_id')
    .select(['enquiries.agency_id as agency', 'organisations.side as side', sql<number>`count(*)::int`.as('open')])
    .where('enquiries.state', '=', 'open')
    .groupBy(['enquiries.agency_id', 'organisations.side'])
    .orderBy('open', 'desc')
    .executeTakeFirstOrThrow();
  return { agency: row.agency as string, side: row.side, open: row.open };
}
