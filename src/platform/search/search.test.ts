import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabase, freshDatabaseEach } from '../../../test/databases.ts';
import type { Database } from '../db/schema.ts';
import { indexDocument, removeDocument, search, type SearchableDocument, type SearchOptions } from './index.ts';
import { MIN_DOCUMENTS } from './frequency.ts';
import { RANKED_CANDIDATES } from './queries.ts';

const CORPUS: SearchableDocument[] = [
  {
    kind: 'article',
    key: 'residence-permit',
    title: { 'zh-Hant': '港澳台居民居住證的申領', en: 'Applying for the residence permit' },
    body: {
      'zh-Hant': '港澳居民前往內地居住半年以上，可以申請領取居住證。申請人向居住地公安機關提交申請。',
      en: 'Hong Kong residents who have lived in the Mainland for six months may apply for a residence permit.',
    },
    visibility: 'public',
    tags: ['category:residence-permit', 'agency:zj-hkmao'],
  },
  {
    kind: 'article',
    key: 'social-insurance',
    title: { 'zh-Hans': '在浙江工作的香港居民参加社会保险' },
    body: { 'zh-Hans': '用人单位招用的香港居民，应当依法参加职工基本养老保险和基本医疗保险。持居住证的可以在居住地参保。' },
    visibility: 'public',
    tags: ['category:social-insurance', 'agency:zj-hrss'],
  },
  {
    kind: 'article',
    key: 'mpf',
    title: { 'zh-Hant': '強積金（MPF）的提取', en: 'Withdrawing MPF benefits' },
    body: { 'zh-Hant': '強積金計劃成員如永久離開香港，可以提取強積金權益。', en: 'Members who leave Hong Kong permanently may withdraw their MPF benefits.' },
    visibility: 'public',
    tags: ['category:banking-and-finance', 'agency:hk-fstb'],
  },
  {
    kind: 'article',
    key: 'housing-fund-draft-answer',
    title: { 'zh-Hans': '住房公积金的提取（内部答问）' },
    body: { 'zh-Hans': '离开内地的香港居民可以申请提取住房公积金。' },
    visibility: 'internal',
    tags: ['category:housing-provident-fund', 'agency:zj-housing'],
  },
  {
    kind: 'event',
    key: 'finance-seminar',
    title: { 'zh-Hant': '跨境理財通研討會', en: 'Cross-boundary wealth management seminar' },
    body: { 'zh-Hant': '介紹強積金與跨境理財通的最新安排。' },
    visibility: 'public',
    tags: ['agency:hk-fstb'],
  },
];

const keys = (result: { hits: { key: string }[] }) => result.hits.map((hit) => hit.key);

async function indexAll(db: Kysely<Database>, docs: SearchableDocument[] = CORPUS): Promise<void> {
  for (const doc of docs) await indexDocument(db, doc);
}

/** A database stand-in that fails on any use: a search that must not reach the database gets it. */
const unreachable = new Proxy(
  {},
  {
    get: () => {
      throw new Error('the database was used');
    },
  },
) as Kysely<Database>;

const HOSTILE = ["' & | ! :*", '', '   ', '!!!', '：*', "''", '\\', '()', '<->', '\u0000', '\u200b'];

describe('search without the database', () => {
  it('returns nothing for a query without tokens, no visibility or no kind, without asking the database', async () => {
    for (const query of HOSTILE) expect(await search(unreachable, { query, visibility: ['public'] })).toEqual({ total: 0, hits: [] });
    expect(await search(unreachable, { query: '香港', visibility: [] })).toEqual({ total: 0, hits: [] });
    expect(await search(unreachable, { query: '香港', visibility: ['public'], kinds: [] })).toEqual({ total: 0, hits: [] });
  });

  it('refuses a document without a proper kind, key or visibility', async () => {
    const doc = CORPUS[0] as SearchableDocument;
    await expect(indexDocument(unreachable, { ...doc, kind: 'Article' })).rejects.toThrow(/invalid kind/);
    await expect(indexDocument(unreachable, { ...doc, key: '' })).rejects.toThrow(/needs a key/);
    await expect(indexDocument(unreachable, { ...doc, visibility: 'secret' as 'public' })).rejects.toThrow(/invalid visibility/);
  });
});

describe.each(DATABASES)('search on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });
  const db = () => t.db.kysely;
  const find = (query: string, options: Partial<SearchOptions> = {}) => search(db(), { query, visibility: ['public'], ...options });

  it('finds a Traditional document with a Simplified query and the other way round', async () => {
    await indexAll(db());
    expect(keys(await find('居住证'))).toEqual(['residence-permit', 'social-insurance']);
    expect(keys(await find('居住證'))).toEqual(['residence-permit', 'social-insurance']);
    expect(keys(await find('社會保險'))).toEqual(['social-insurance']);
    expect(keys(await find('强积金'))).toEqual(['mpf', 'finance-seminar']);
  });

  it('returns the title, body and tags of each hit, with a score', async () => {
    await indexAll(db());
    // The seminar holds 強積金, which is what MPF stands for.
    const { total, hits } = await find('MPF 強積金');
    expect(total).toBe(2);
    expect(hits.map((hit) => hit.key)).toEqual(['mpf', 'finance-seminar']);
    expect(hits[0]).toMatchObject({ kind: 'article', key: 'mpf', title: CORPUS[2]?.title, body: CORPUS[2]?.body, tags: ['agency:hk-fstb', 'category:banking-and-finance'] });
    expect(hits[0]?.score).toBeGreaterThan(4);
  });

  it('finds while typing: the last word is a prefix, a single Chinese character finds every document holding it', async () => {
    await indexAll(db());
    expect(keys(await find('resid'))).toEqual(['residence-permit']);
    expect(keys(await find('residence perm'))).toEqual(['residence-permit']);
    expect(keys(await find('withdraw'))).toEqual(['mpf']);
    expect(keys(await find('理'))).toEqual(['finance-seminar']);
    // 港 starts a bigram in two titles, and only ends a run in the third document ("離開香港，").
    expect(keys(await find('港', { kinds: ['article'] }))).toEqual(['social-insurance', 'residence-permit', 'mpf']);
  });

  it('ranks a title match before a body match, and breaks ties by kind and key', async () => {
    await indexAll(db(), [
      { kind: 'article', key: 'b-body', title: { en: 'Other things' }, body: { en: 'The visa, the visa, the visa.' }, visibility: 'public' },
      { kind: 'article', key: 'a-title', title: { en: 'Visa' }, body: { en: 'Nothing more.' }, visibility: 'public' },
      { kind: 'article', key: 'd-same', title: { en: 'Same visa' }, body: { en: 'Same.' }, visibility: 'public' },
      { kind: 'article', key: 'c-same', title: { en: 'Same visa' }, body: { en: 'Same.' }, visibility: 'public' },
    ]);
    const { hits } = await find('visa');
    expect(hits.map((h) => h.key)).toEqual(['a-title', 'c-same', 'd-same', 'b-body']);
    expect(hits[1]?.score).toBe(hits[2]?.score);
  });

  it('answers a natural question by the share of it a document covers', async () => {
    await indexAll(db());
    // All 9 characters of the question (question words aside) in the first; 5 of them (居民, 居住证) in the second.
    const question = await find('港澳居民居住证怎么申请');
    expect(keys(question)).toEqual(['residence-permit', 'social-insurance']);
    expect(question.hits.map((hit) => Math.floor(hit.score))).toEqual([9, 5]);
    expect(keys(await find('香港人在浙江工作要参加社保和养老保险吗'))).toEqual(['social-insurance']);
    expect(keys(await find('MPF 可以带回香港吗'))).toEqual(['mpf']);
    expect(keys(await find('How can I apply for a residence permit?'))).toEqual(['residence-permit']);
  });

  it('finds a word written another way: an abbreviation, or MPF for 強積金', async () => {
    await indexAll(db());
    expect(keys(await find('社保'))).toEqual(['social-insurance']);
    expect(keys(await find('在浙江工作要交社保吗'))).toEqual(['social-insurance']);
    expect(keys(await find('mpf', { kinds: ['event'] }))).toEqual(['finance-seminar']);
  });

  it('filters by visibility, kind and tags (all of them)', async () => {
    await indexAll(db());
    expect(keys(await find('提取'))).toEqual(['mpf']);
    expect(keys(await find('提取', { visibility: ['public', 'internal'] }))).toEqual(['housing-fund-draft-answer', 'mpf']);
    expect(keys(await find('提取', { visibility: ['internal'] }))).toEqual(['housing-fund-draft-answer']);
    expect(keys(await find('強積金', { kinds: ['event'] }))).toEqual(['finance-seminar']);
    expect(keys(await find('強積金', { kinds: ['article', 'event'] }))).toEqual(['mpf', 'finance-seminar']);
    expect(keys(await find('強積金', { tags: ['agency:hk-fstb'] }))).toEqual(['mpf', 'finance-seminar']);
    expect(keys(await find('強積金', { tags: ['agency:hk-fstb', 'category:banking-and-finance'] }))).toEqual(['mpf']);
    expect(keys(await find('強積金', { tags: ['agency:hk-fstb', 'category:none'] }))).toEqual([]);
  });

  it('replaces a document when it is indexed again, and forgets it when removed', async () => {
    await indexAll(db());
    await indexDocument(db(), { ...(CORPUS[2] as SearchableDocument), title: { en: 'Mandatory Provident Fund' }, body: { en: 'Leaving Hong Kong for good.' }, tags: ['agency:hk-mpfa'] });
    expect(keys(await find('強積金', { kinds: ['article'] }))).toEqual([]);
    const { hits } = await find('provident', { kinds: ['article'] });
    expect(hits).toEqual([expect.objectContaining({ key: 'mpf', title: { en: 'Mandatory Provident Fund' }, tags: ['agency:hk-mpfa'] })]);
    expect(await db().selectFrom('search_documents').select('key').where('kind', '=', 'article').execute()).toHaveLength(4);
    await removeDocument(db(), 'article', 'mpf');
    await removeDocument(db(), 'article', 'mpf');
    expect(keys(await find('provident'))).toEqual([]);
    expect(keys(await find('強積金'))).toEqual(['finance-seminar']);
  });

  it('indexes inside the caller’s transaction: a rollback leaves nothing behind', async () => {
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await indexDocument(trx, CORPUS[0] as SearchableDocument);
          throw new Error('the record could not be saved');
        }),
    ).rejects.toThrow('the record could not be saved');
    expect(keys(await find('居住證'))).toEqual([]);
  });

  it('survives hostile and huge queries and stores any lexeme safely', async () => {
    await indexAll(db(), [
      {
        kind: 'article',
        key: "o'neil\\x",
        title: { en: "O'Neil's guide: a \\ b | c & d !e :*f" },
        body: { en: "It's \"quoted\" – and 'apostrophes'" },
        visibility: 'public',
        tags: ["tag:it's", 'tag:{}', 'tag:"x"'],
      },
      ...CORPUS,
    ]);
    for (const query of [...HOSTILE, 'a:b', "o'neil", 'guide:*', '香港 | 浙江', '!香港', '(居住證', 'x'.repeat(10_000), '港澳'.repeat(5_000), '香港 '.repeat(3_000)]) {
      await expect(find(query)).resolves.toMatchObject({ total: expect.any(Number) });
    }
    expect(keys(await find("O'Neil"))).toEqual(["o'neil\\x"]);
    expect(keys(await find('guide', { tags: ["tag:it's", 'tag:{}', 'tag:"x"'] }))).toEqual(["o'neil\\x"]);
    expect(keys(await find('apostrophes'))).toEqual(["o'neil\\x"]);
  });

  it('counts every match and pages through them in one stable order, also past the candidates it ranks', async () => {
    const count = RANKED_CANDIDATES + 15;
    const docs = Array.from(
      { length: count },
      (_, i): SearchableDocument => ({
        kind: 'article',
        key: `doc-${String(i).padStart(3, '0')}`,
        title: { en: i % 7 === 0 ? 'Hangzhou office' : `Notice ${i}` },
        body: { en: `The Hangzhou office ${'opens '.repeat(i % 5)}daily.` },
        visibility: 'public',
      }),
    );
    await indexAll(db(), docs);
    const seen: string[] = [];
    for (let offset = 0; offset < count; offset += 40) {
      const page = await find('hangzhou', { limit: 40, offset });
      expect(page.total).toBe(count);
      seen.push(...keys(page));
    }
    expect(new Set(seen).size).toBe(count);
    expect(seen.slice(0, 17).every((key) => Number(key.slice(4)) % 7 === 0)).toBe(true);
    const all = await find('hangzhou', { limit: 100 });
    expect(keys(all)).toEqual(seen.slice(0, 100));
    expect(await find('hangzhou', { offset: 500 })).toEqual({ total: count, hits: [] });
    expect((await find('hangzhou', { limit: 1_000 })).hits).toHaveLength(100);
  });

  it('finds a question’s answer through its telling words when a common word is in most documents', async () => {
    // 香港 is in every notice; only the guide speaks of opening a bank account, without saying 香港.
    const notices = Array.from(
      { length: MIN_DOCUMENTS + 20 },
      (_, i): SearchableDocument => ({
        kind: 'notice',
        key: `notice-${i}`,
        title: { 'zh-Hant': `香港通告 ${i}` },
        body: { 'zh-Hant': i % 2 ? '香港居民在浙江的服務安排。' : '香港與浙江的合作會議。' },
        visibility: 'public',
      }),
    );
    const guide: SearchableDocument = { kind: 'notice', key: 'bank-guide', title: { 'zh-Hans': '开立银行账户指南' }, body: { 'zh-Hans': '持回乡证可以在银行开立个人账户。' }, visibility: 'public' };
    await indexAll(db(), [...notices, guide]);
    // Of 香港人开银行 the guide holds only 银行: 2 of 6 characters, too little on its own. 香 and 港 count
    // as covered in every notice, so the guide covers 4.
    const found = await find('香港人开银行', { kinds: ['notice'] });
    expect(found.hits[0]?.key).toBe('bank-guide');
    expect(Math.floor(found.hits[0]?.score ?? 0)).toBe(4);
    // A notice that holds only the common word is not an answer.
    expect(found.total).toBe(1);
    // With the common word alone, it is looked up as asked.
    expect((await find('香港', { kinds: ['notice'], limit: 1 })).total).toBe(MIN_DOCUMENTS + 20);
  });
});

describe.runIf(DATABASES.length === 2)('the same corpus on PGlite and PostgreSQL', () => {
  it('gives the same hits, in the same order, with the same scores', async () => {
    const pglite = await freshDatabase('pglite', { empty: true });
    const postgres = await freshDatabase('postgres', { empty: true });
    try {
      const docs = [
        ...CORPUS,
        ...Array.from(
          { length: 40 },
          (_, i): SearchableDocument => ({
            kind: 'article',
            key: `extra-${i}`,
            title: { 'zh-Hant': i % 3 ? `香港居民第${i}問` : '居住證與社會保險' },
            body: { 'zh-Hans': `${'香港居民在浙江'.repeat(1 + (i % 4))}办理居住证和社会保险的问题。`, en: `Question ${i} about the residence permit.` },
            visibility: i % 5 ? 'public' : 'internal',
          }),
        ),
      ];
      await indexAll(pglite.db.kysely, docs);
      await indexAll(postgres.db.kysely, docs);
      for (const query of ['香港', '居住证', '香港居民在浙江办居住证要什么材料', 'residence permit', 'q', '港', 'MPF 強積金']) {
        const options: SearchOptions = { query, visibility: ['public', 'internal'], limit: 100 };
        const [a, b] = [await search(pglite.db.kysely, options), await search(postgres.db.kysely, options)];
        expect(a.total).toBeGreaterThan(0);
        expect(b).toEqual(a);
      }
    } finally {
      await pglite.drop();
      await postgres.drop();
    }
  });
});
