import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

/** What the helpers below need of a test client: a page fetched, and a form sent from a page (test/client.ts's TestClient is one). */
interface FormClient<R extends { statusCode: number; body: string }> {
  get(url: string): Promise<{ body: string }>;
  post(url: string, fields: Record<string, string>, options?: { from?: string }): Promise<R>;
}
type Answer = { statusCode: number; body: string };

/** For tests: what a person types on the first step of the enquiry form. */
export const ENQUIRY_FIELDS = {
  type: 'enquiry',
  topic: 'residence-permit',
  subject: '港澳居民居住证怎么申请',
  description: '我在杭州工作，想申请港澳台居民居住证，需要准备什么材料？',
  locale: 'zh-Hans',
  name: '陈大文',
  email: 'citizen@example.org',
  phone: '',
} as const;

/** The cookie of a /track session (one case, for half an hour), for tests that check how it is set. */
export { TRACK_COOKIE } from './routes.tsx';

/** Forgets the rate-limit counters, so a test can send more forms from one address than a person would. */
export async function clearRateLimits(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('rate_limits').execute();
}

/** For tests: sends an enquiry through both steps of the form, as a browser would; returns the new case. */
export async function sendEnquiry(client: FormClient<Answer>, db: Kysely<Database>, fields: Partial<Record<keyof typeof ENQUIRY_FIELDS, string>> = {}, prefix = 'zh-hans') {
  await clearRateLimits(db);
  const values = { ...ENQUIRY_FIELDS, ...fields };
  const sent = await client.post(`/${prefix}/enquiries/new`, { ...values, intent: 'submit', consent: 'yes' }, { from: `/${prefix}/enquiries/new` });
  if (sent.statusCode !== 303) throw new Error(`the enquiry was not sent (${sent.statusCode}): ${sent.body.slice(0, 500)}`);
  return db.selectFrom('enquiries').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

/** The newest message to an address. */
export async function lastMail(db: Kysely<Database>, to: string) {
  return db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** For tests: acts on a case as an officer would, from its page, with the version of the case shown there (and yes where it asks first). */
export async function actOnCase<R extends Answer>(client: FormClient<R>, id: number, action: string, fields: Record<string, string>, prefix = 'en') {
  const from = `/${prefix}/workspace/enquiries/${id}`;
  const page = await client.get(from);
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? 'none';
  return client.post(`${from}/${action}`, { version, confirm: 'yes', ...fields }, { from });
}
