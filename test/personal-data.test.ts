import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db/schema.ts';
import { insertSuggestion, moveSuggestion } from '../src/modules/suggestions/queries.ts';
import { modules } from '../src/modules/index.ts';
import { sendEnquiry } from '../src/modules/enquiries/testing.ts';
import { databaseTables, platformRetention, type RetentionEntry, renderRetentionTable, retentionJobs } from '../src/platform/retention.ts';
import { signedInClient, testAppFor } from './app.ts';
import { TestClient } from './client.ts';
import { DATABASES } from './databases.ts';

/** The whole account of personal data: the platform's tables and every module's. */
const account: RetentionEntry[] = [...platformRetention, ...modules.flatMap((m) => m.retention ?? [])];

const DAY = 86_400_000;
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const ahead = (now: Date, ms: number) => new Date(now.getTime() + ms);
const id = () => randomBytes(9).toString('base64url');

type Db = Kysely<Database>;

/** A row past its period and one within it, and how to tell whether a row's personal data is gone. */
interface Fixture {
  setup(db: Db, now: Date, app: { client: () => TestClient }): Promise<{ old: string; recent: string }>;
  gone(db: Db, key: string): Promise<boolean>;
}

async function user(db: Db, fields: Partial<{ created_at: Date; email_verified_at: Date | null; password_hash: string | null; last_login_at: Date | null }> = {}): Promise<string> {
  const userId = `u-${id()}`;
  await db
    .insertInto('users')
    .values({ id: userId, email: `${userId.toLowerCase()}@example.org`, display_name: '陳大文', locale: 'zh-Hant', email_verified_at: new Date(), password_hash: 'argon2id-hash', ...fields })
    .execute();
  return userId;
}

const missing =
  (table: 'jobs' | 'sessions' | 'user_tokens' | 'users', column = 'id') =>
  async (db: Db, key: string) =>
    (await sql`select 1 from ${sql.table(table)} where ${sql.ref(column)} = ${key}`.execute(db)).rows.length === 0;

async function mail(db: Db, fields: Record<string, unknown>): Promise<string> {
  const row = await db
    .insertInto('mail_outbox')
    .values({ to_address: 'resident@example.org', locale: 'zh-Hant', subject: '您的諮詢', text_body: '陳大文您好', attachments: '[]', ...fields })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

async function file(db: Db): Promise<string> {
  const fileId = `f-${id()}`;
  await db
    .insertInto('files')
    .values({ id: fileId, name: '身份證明.pdf', media_type: 'application/pdf', size: 3, sha256: 'x'.repeat(64), storage: 'database', content: Buffer.from('pdf') })
    .execute();
  return fileId;
}

/** An enquiry sent through the form, closed `closedDaysAgo` days before now, with a reply and an attachment. */
async function closedEnquiry(db: Db, now: Date, client: TestClient, email: string, closedDaysAgo: number): Promise<number> {
  const row = await sendEnquiry(client, db, { email, locale: 'en' });
  const closedAt = ago(now, closedDaysAgo * DAY);
  await db
    .updateTable('enquiries')
    .set({ state: 'closed', closed_at: closedAt, closed_on: closedAt.toISOString().slice(0, 10), outcome: 'answered', on_time: true, working_days_taken: 2 })
    .where('id', '=', row.id)
    .execute();
  const event = await db
    .insertInto('enquiry_events')
    .values({
      enquiry_id: row.id,
      kind: 'reply',
      actor: 'officer',
      user_id: null,
      organisation_id: null,
      to_organisation_id: null,
      body: `${email}：您好，答覆如下。`,
      days: null,
      outcome: null,
      visible_to_citizen: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('enquiry_attachments')
    .values({ enquiry_id: row.id, event_id: event.id, file_id: await file(db) })
    .execute();
  return row.id;
}

const enquiryPair = async (db: Db, now: Date, app: { client: () => TestClient }) => ({
  old: String(await closedEnquiry(db, now, app.client(), `old.${id().toLowerCase()}@example.org`, 3 * 365)),
  recent: String(await closedEnquiry(db, now, app.client(), `recent.${id().toLowerCase()}@example.org`, 30)),
});

async function trackedEnquiry(db: Db, app: { client: () => TestClient }): Promise<number> {
  return (await sendEnquiry(app.client(), db, { email: `t.${id().toLowerCase()}@example.org`, locale: 'en' })).id;
}

async function suggestion(db: Db, now: Date, closedMonthsAgo: number): Promise<string> {
  const email = `s.${id().toLowerCase()}@example.org`;
  const s = await insertSuggestion(db, {
    topic: 'health',
    commitmentId: null,
    language: 'zh-Hant',
    title: '原文標題',
    body: `原文內容，聯絡人 ${email}`,
    submitterType: 'resident',
    submitterName: '陳大文',
    submitterOrganisation: null,
    submitterEmail: email,
    userId: null,
    source: 'form',
    sourceRef: null,
    year: now.getUTCFullYear() - 3,
  });
  const closedAt = new Date(now.getTime());
  closedAt.setUTCMonth(closedAt.getUTCMonth() - closedMonthsAgo);
  await moveSuggestion(db, s.id, ['received'], { state: 'rejected', reject_reason: '與協議無關', moderated_at: closedAt, closed_at: closedAt });
  return String(s.id);
}

async function registration(db: Db, now: Date, endedDaysAgo: number): Promise<string> {
  const reference = `ZJHK-EV-${id()}`;
  const event = await db
    .insertInto('events')
    .values({ reference, type: 'symposium', title: JSON.stringify({ 'zh-Hant': '座談會' }), city: 'hangzhou', time_zone: 'Asia/Shanghai', starts_local: '2025-01-01T09:00', duration_minutes: 60 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ends = ago(now, endedDaysAgo * DAY);
  const occurrence = await db
    .insertInto('event_occurrences')
    .values({ event_id: event.id, slot: ends.toISOString().slice(0, 10), starts_at: ago(ends, 3_600_000), ends_at: ends })
    .returning('id')
    .executeTakeFirstOrThrow();
  const code = Array.from(randomBytes(8), (b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 32]).join('');
  const row = await db
    .insertInto('event_registrations')
    .values({
      reference: `ZJHK-R-${id()}`,
      occurrence_id: occurrence.id,
      user_id: await user(db),
      state: 'rejected',
      reject_reason: '並非在浙港人',
      locale: 'zh-Hant',
      answers: JSON.stringify({ q1: '陳大文，13800000000' }),
      check_in_code: code,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * For every table whose entry names a purge: a row past its period and one within. A new entry with
 * a purge needs its fixture here (the test says so).
 */
const FIXTURES: Record<string, Fixture> = {
  mail_outbox: {
    async setup(db, now) {
      const sent = (days: number) => ({ state: 'sent', accepted_at: ago(now, days * DAY), sent_at: ago(now, days * DAY) });
      return { old: await mail(db, sent(31)), recent: await mail(db, sent(29)) };
    },
    gone: async (db, key) => (await db.selectFrom('mail_outbox').select(['to_address', 'text_body', 'purged_at']).where('id', '=', key).executeTakeFirstOrThrow()).to_address === '',
  },
  jobs: {
    async setup(db, now) {
      const job = async (state: 'done' | 'failed', days: number) =>
        String(
          (
            await db
              .insertInto('jobs')
              .values({ kind: 'mail.deliver', payload: '{}', state, finished_at: ago(now, days * DAY), last_error: 'the SMTP server refused the recipient' })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
      // A failed job is kept longer than a done one: the old failed one and a done one as old are gone, a failed one of 89 days stays.
      const old = await job('failed', 91);
      await job('done', 31);
      return { old, recent: await job('failed', 89) };
    },
    gone: missing('jobs'),
  },
  sessions: {
    async setup(db, now) {
      const session = async (expires: Date, lastSeen: Date) => {
        const sessionId = id();
        await db
          .insertInto('sessions')
          .values({ id: sessionId, user_id: await user(db), expires_at: expires, last_seen_at: lastSeen, ip: '203.0.113.7', user_agent: 'Firefox' })
          .execute();
        return sessionId;
      };
      return { old: await session(ahead(now, 3_600_000), ago(now, 31 * 60_000)), recent: await session(ahead(now, 3_600_000), ago(now, 29 * 60_000)) };
    },
    gone: missing('sessions'),
  },
  rate_limits: {
    async setup(db, now) {
      const key = (ip: string) => `POST /en/enquiries/new|${ip}`;
      await db
        .insertInto('rate_limits')
        .values({ key: key('203.0.113.1'), window_start: ago(now, 2 * DAY), hits: 3 })
        .execute();
      await db
        .insertInto('rate_limits')
        .values({ key: key('203.0.113.2'), window_start: ago(now, 60_000), hits: 3 })
        .execute();
      return { old: key('203.0.113.1'), recent: key('203.0.113.2') };
    },
    gone: async (db, key) => (await db.selectFrom('rate_limits').select('key').where('key', '=', key).executeTakeFirst()) === undefined,
  },
  upload_slots: {
    async setup(db, now) {
      const slot = async (expires: Date) => {
        const slotId = id();
        await db.insertInto('upload_slots').values({ id: slotId, holder: 'ip:203.0.113.9', expires_at: expires }).execute();
        return slotId;
      };
      return { old: await slot(ago(now, 60_000)), recent: await slot(ahead(now, 10 * 60_000)) };
    },
    gone: async (db, key) => (await db.selectFrom('upload_slots').select('id').where('id', '=', key).executeTakeFirst()) === undefined,
  },
  pending_uploads: {
    async setup(db, now) {
      const pending = async (created: Date) => {
        const fileId = await file(db);
        await db.insertInto('pending_uploads').values({ file_id: fileId, owner: 'browser:abc', field: 'evidence', created_at: created }).execute();
        return fileId;
      };
      return { old: await pending(ago(now, 25 * 3_600_000)), recent: await pending(ago(now, 3_600_000)) };
    },
    gone: async (db, key) => (await db.selectFrom('files').select('id').where('id', '=', key).executeTakeFirst()) === undefined,
  },
  sign_in_throttles: {
    async setup(db, now) {
      await db
        .insertInto('sign_in_throttles')
        .values({ key: 'ip:old', failures: 3, last_failed_at: ago(now, 25 * 3_600_000) })
        .execute();
      await db
        .insertInto('sign_in_throttles')
        .values({ key: 'ip:recent', failures: 3, last_failed_at: ago(now, 3_600_000) })
        .execute();
      return { old: 'ip:old', recent: 'ip:recent' };
    },
    gone: async (db, key) => (await db.selectFrom('sign_in_throttles').select('key').where('key', '=', key).executeTakeFirst()) === undefined,
  },
  users: {
    async setup(db, now) {
      const unconfirmed = (days: number) => user(db, { created_at: ago(now, days * DAY), email_verified_at: null, last_login_at: null });
      // An unconfirmed account something refers to stays, however old.
      const referred = await unconfirmed(40);
      await db
        .insertInto('files')
        .values({ id: `f-${id()}`, name: 'a.pdf', media_type: 'application/pdf', size: 1, sha256: 'y'.repeat(64), storage: 'database', content: Buffer.from('a'), uploaded_by: referred })
        .execute();
      // A confirmed one stays.
      await user(db, { created_at: ago(now, 400 * DAY) });
      const old = await unconfirmed(31);
      const recent = await unconfirmed(29);
      expect(await missing('users')(db, referred)).toBe(false);
      return { old, recent };
    },
    gone: missing('users'),
  },
  user_tokens: {
    async setup(db, now) {
      const token = async (expires: Date) => {
        const tokenId = id();
        await db
          .insertInto('user_tokens')
          .values({ id: tokenId, purpose: 'invitation', user_id: null, email: 'invitee@example.org', payload: JSON.stringify({ displayName: '陳大文' }), expires_at: expires })
          .execute();
        return tokenId;
      };
      return { old: await token(ago(now, 60_000)), recent: await token(ahead(now, 3_600_000)) };
    },
    gone: missing('user_tokens'),
  },
  representation_requests: {
    async setup(db, now) {
      const request = async (monthsAgo: number) => {
        const decided = new Date(now.getTime());
        decided.setUTCMonth(decided.getUTCMonth() - monthsAgo);
        const row = await db
          .insertInto('representation_requests')
          .values({ user_id: await user(db), organisation_name: '大文貿易有限公司', position: '董事' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.updateTable('representation_requests').set({ state: 'rejected', reason: '無法核實', decided_at: decided }).where('id', '=', row.id).execute();
        return String(row.id);
      };
      return { old: await request(13), recent: await request(11) };
    },
    gone: async (db, key) => (await db.selectFrom('representation_requests').select('id').where('id', '=', Number(key)).executeTakeFirst()) === undefined,
  },
  enquiries: {
    setup: enquiryPair,
    gone: async (db, key) => {
      const row = await db.selectFrom('enquiries').selectAll().where('id', '=', Number(key)).executeTakeFirstOrThrow();
      return [row.name, row.email, row.phone, row.subject, row.description].every((v) => v === null) && row.purged_at !== null;
    },
  },
  enquiry_events: {
    setup: enquiryPair,
    gone: async (db, key) => (await db.selectFrom('enquiry_events').select('id').where('enquiry_id', '=', Number(key)).where('body', 'is not', null).execute()).length === 0,
  },
  enquiry_attachments: {
    setup: enquiryPair,
    gone: async (db, key) => (await db.selectFrom('enquiry_attachments').select('file_id').where('enquiry_id', '=', Number(key)).execute()).length === 0,
  },
  enquiry_track_codes: {
    async setup(db, now, app) {
      const code = async (expires: Date) =>
        String(
          (
            await db
              .insertInto('enquiry_track_codes')
              .values({ enquiry_id: await trackedEnquiry(db, app), code_hash: 'h', salt: 's', expires_at: expires })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
      return { old: await code(ago(now, 25 * 3_600_000)), recent: await code(ago(now, 23 * 3_600_000)) };
    },
    gone: async (db, key) => (await db.selectFrom('enquiry_track_codes').select('id').where('id', '=', Number(key)).executeTakeFirst()) === undefined,
  },
  enquiry_track_sessions: {
    async setup(db, now, app) {
      const session = async (expires: Date) => {
        const hash = id();
        await db
          .insertInto('enquiry_track_sessions')
          .values({ token_hash: hash, enquiry_id: await trackedEnquiry(db, app), expires_at: expires })
          .execute();
        return hash;
      };
      return { old: await session(ago(now, 60_000)), recent: await session(ahead(now, 60_000)) };
    },
    gone: async (db, key) => (await db.selectFrom('enquiry_track_sessions').select('token_hash').where('token_hash', '=', key).executeTakeFirst()) === undefined,
  },
  suggestions: {
    setup: async (db, now) => ({ old: await suggestion(db, now, 25), recent: await suggestion(db, now, 23) }),
    gone: async (db, key) => {
      const row = await db.selectFrom('suggestions').selectAll().where('id', '=', Number(key)).executeTakeFirstOrThrow();
      return [row.title, row.body, row.submitter_name, row.submitter_email].every((v) => v === null);
    },
  },
  enquiry_digests: {
    async setup(db, now) {
      const officer = await user(db);
      const day = (days: number) =>
        ago(now, days * DAY)
          .toISOString()
          .slice(0, 10);
      await db
        .insertInto('enquiry_digests')
        .values([
          { user_id: officer, sent_on: day(31) },
          { user_id: officer, sent_on: day(29) },
        ])
        .execute();
      return { old: `${officer}|${day(31)}`, recent: `${officer}|${day(29)}` };
    },
    gone: async (db, key) => {
      const [userId = '', day = ''] = key.split('|');
      return (await db.selectFrom('enquiry_digests').select('user_id').where('user_id', '=', userId).where('sent_on', '=', day).executeTakeFirst()) === undefined;
    },
  },
  milestone_digests: {
    async setup(db, now) {
      const officer = await user(db);
      const day = (days: number) =>
        ago(now, days * DAY)
          .toISOString()
          .slice(0, 10);
      await db
        .insertInto('milestone_digests')
        .values([
          { user_id: officer, sent_on: day(31) },
          { user_id: officer, sent_on: day(29) },
        ])
        .execute();
      return { old: `${officer}|${day(31)}`, recent: `${officer}|${day(29)}` };
    },
    gone: async (db, key) => {
      const [userId = '', day = ''] = key.split('|');
      return (await db.selectFrom('milestone_digests').select('user_id').where('user_id', '=', userId).where(sql`sent_on::text`, '=', day).executeTakeFirst()) === undefined;
    },
  },
  event_registrations: {
    setup: async (db, now) => ({ old: await registration(db, now, 370), recent: await registration(db, now, 360) }),
    gone: async (db, key) => {
      const row = await db.selectFrom('event_registrations').select(['answers', 'reject_reason']).where('id', '=', Number(key)).executeTakeFirstOrThrow();
      return JSON.stringify(row.answers) === '{}' && row.reject_reason === '';
    },
  },
};

/** Column names that suggest a person: their name, address, number, or words they wrote. */
const PERSONAL = /(^|_)(email|name|ip|address|phone|body|text|comment|reason|answers|user_agent|narrative|holder|owner|position|content|subject|to|by)($|_)/;

describe('the account of personal data', () => {
  it('names each table once, and says when its personal data goes and how', () => {
    const tables = account.map((e) => e.table);
    expect(tables.filter((t, i) => tables.indexOf(t) !== i)).toEqual([]);
    for (const entry of account) {
      expect(entry.goes.trim(), entry.table).not.toBe('');
      if (entry.personalData !== null) expect(entry.how.trim(), entry.table).not.toBe('');
      if (entry.purge) expect(entry.job, `${entry.table}: a purge needs the daily job that runs it`).toMatch(/^[a-z][a-z0-9.-]+$/);
    }
  });

  it('has a fixture for every purge', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(
      account
        .filter((e) => e.purge)
        .map((e) => e.table)
        .sort(),
    );
  });

  it('runs every purge daily, through its module’s job or the platform’s', () => {
    const config = { timeZone: 'Asia/Hong_Kong' } as Parameters<typeof retentionJobs>[0];
    const moduleJobs = modules.flatMap((m) => (m.jobs ? [m.jobs(config)] : []));
    const housekeeping = retentionJobs(config, account, moduleJobs);
    const scheduled = new Set([...moduleJobs, housekeeping].flatMap((j) => (j.recurring ?? []).map((r) => r.kind)));
    const handled = new Set([...moduleJobs, housekeeping].flatMap((j) => Object.keys(j.handlers)));
    for (const entry of account.filter((e) => e.purge)) {
      expect(scheduled.has(entry.job as string), `${entry.table}: ${entry.job} is scheduled`).toBe(true);
      expect(handled.has(entry.job as string), `${entry.table}: ${entry.job} has a handler`).toBe(true);
    }
  });

  it('is the README’s table of personal data', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const between = /<!-- personal-data:start -->\n([\s\S]*?)\n<!-- personal-data:end -->/.exec(readme)?.[1];
    expect(between, 'README.md has the table between <!-- personal-data:start --> and <!-- personal-data:end -->').toBeDefined();
    expect(between).toBe(renderRetentionTable(account));
  });
});

describe.each(DATABASES)('personal data per table on %s', (kind) => {
  const t = testAppFor(kind, { env: { MAIL_RETENTION_DAYS: '30' } });
  const db = () => t.database.db.kysely;

  it('accounts for every table of the database, and every table with a column that looks personal', async () => {
    const tables = await databaseTables(db());
    expect(tables.filter((table) => !account.some((e) => e.table === table))).toEqual([]);
    expect(account.map((e) => e.table).filter((table) => !tables.includes(table))).toEqual([]);
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(db());
    const personal = [...new Set(rows.filter((r) => PERSONAL.test(r.column_name)).map((r) => r.table_name))];
    expect(personal.length).toBeGreaterThan(10);
    expect(personal.filter((table) => !account.some((e) => e.table === table))).toEqual([]);
  });

  it('gives mail carrying a link or a code the expiry of its token, and links mail about a case to the case', async () => {
    const client = new TestClient(t.app);
    const userId = await user(db());
    const { email } = await db().selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
    await db().deleteFrom('rate_limits').execute();
    expect((await client.post('/en/forgot-password', { email })).statusCode).toBe(200);
    const token = await db().selectFrom('user_tokens').select('expires_at').where('email', '=', email).where('purpose', '=', 'reset-password').executeTakeFirstOrThrow();
    const reset = await db().selectFrom('mail_outbox').select(['purge_after', 'text_body']).where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(reset.text_body).toContain('token=');
    expect(Math.abs((reset.purge_after?.getTime() ?? 0) - token.expires_at.getTime())).toBeLessThan(5_000);

    const enquiry = await sendEnquiry(client, db(), { email: 'track.me@example.org', locale: 'en' });
    await db().deleteFrom('rate_limits').execute();
    await client.post('/en/track', { reference: enquiry.reference, email: 'track.me@example.org' }, { from: '/en/track' });
    const code = await db().selectFrom('enquiry_track_codes').select('expires_at').where('enquiry_id', '=', enquiry.id).executeTakeFirstOrThrow();
    const mail = await db().selectFrom('mail_outbox').select(['purge_after', 'about_type', 'about_id']).where('to_address', '=', 'track.me@example.org').orderBy('id').execute();
    // The acknowledgement and the code, both about the case; the code's mail goes with the code.
    expect(mail.map((m) => [m.about_type, m.about_id])).toEqual([
      ['enquiry', enquiry.reference],
      ['enquiry', enquiry.reference],
    ]);
    expect(mail[0]?.purge_after).toBeNull();
    expect(Math.abs((mail[1]?.purge_after?.getTime() ?? 0) - code.expires_at.getTime())).toBeLessThan(5_000);
  });

  it('shows administrators which messages were cleared, in their language', async () => {
    const now = new Date();
    const old = await mail(db(), { to_address: 'cleared.reader@example.org', state: 'sent', accepted_at: ago(now, 40 * DAY), sent_at: ago(now, 40 * DAY) });
    await mail(db(), { to_address: 'kept.reader@example.org', state: 'sent', accepted_at: ago(now, DAY), sent_at: ago(now, DAY) });
    const purge = account.find((e) => e.table === 'mail_outbox')?.purge;
    await purge?.(db(), { now, config: t.ctx.config });
    const { client } = await signedInClient(t, { email: 'mail.admin@example.org', role: 'administrator' });
    const en = (await client.get('/en/admin/mailbox')).body;
    expect(en).not.toContain('cleared.reader@example.org');
    expect(en).toContain('kept.reader@example.org');
    const article = (html: string) => new RegExp(`<article class="mail" id="mail-${old}">([\\s\\S]*?)</article>`).exec(html)?.[1] ?? '';
    expect(article(en)).toContain('its recipient, subject, text and attachments were removed once it had served its purpose');
    expect(article((await client.get('/zh-hant/admin/mailbox')).body)).toContain('郵件完成用途後，其收件人、主旨、內文及附件均已刪除');
    expect(article((await client.get('/zh-hans/admin/mailbox')).body)).toContain('邮件完成用途后，其收件人、主题、正文及附件均已删除');
  });

  it.each(account.filter((e) => e.purge).map((e) => [e.table, e] as const))('%s: the purge removes exactly what is past its period', async (table, entry) => {
    const fixture = FIXTURES[table];
    if (!fixture || !entry.purge) throw new Error(`no fixture for ${table}`);
    const now = new Date();
    const { old, recent } = await fixture.setup(db(), now, { client: () => new TestClient(t.app) });
    expect(await fixture.gone(db(), old), `${table}: the old row before the purge`).toBe(false);
    expect(await fixture.gone(db(), recent), `${table}: the recent row before the purge`).toBe(false);
    await entry.purge(db(), { now, config: t.ctx.config });
    expect(await fixture.gone(db(), old), `${table}: the row past its period`).toBe(true);
    expect(await fixture.gone(db(), recent), `${table}: the row within its period`).toBe(false);
  });
});
