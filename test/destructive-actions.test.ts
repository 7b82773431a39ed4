import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertRole, insertUser } from '../src/modules/accounts/queries.ts';
import { findPendingInvitations } from '../src/modules/accounts/invitations.ts';
import { clearRateLimits, ENQUIRY_FIELDS, sendEnquiry } from '../src/modules/enquiries/testing.ts';
import { registerForEvent } from '../src/modules/events/register-for-event.ts';
import { makeEvent, mailSettings } from '../src/modules/events/testing.ts';
import { SYSTEM } from '../src/platform/audit/audit.ts';
import { signedInClient, testAppFor, type TestApp } from './app.ts';
import { TestClient } from './client.ts';
import { DATABASES } from './databases.ts';

/**
 * Every action that takes something away or cannot be taken back asks first, and works without
 * JavaScript: its form, posted as the page sends it, changes nothing and is answered with a page that
 * says what will happen and carries the same form with `confirm=yes`; posting that form does it.
 */
interface Destructive {
  /** The person who may do it, signed in; the URL the form posts to; the page it is on; its fields; what it changes. */
  setup(t: TestApp, n: number): Promise<{ client: TestClient; url: string; from: string; fields: Record<string, string>; state: () => Promise<unknown> }>;
}

const routePattern = (url: string): string => `POST ${url.replace(/^\/(zh-hant|zh-hans|en)(?=\/|$)/, '/{lang}')}`;

/** A person to act on, with a role in an organisation. */
async function person(t: TestApp, n: number, role: 'agency-officer' | 'resident' = 'agency-officer') {
  const db = t.database.db.kysely;
  const id = randomUUID();
  await insertUser(db, { id, email: `target-${n}@example.org`, displayName: `Target ${n}`, locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
  await insertRole(db, { userId: id, role, organisationId: role === 'agency-officer' ? 'hk-fstb' : null, grantedBy: null });
  return id;
}

const admin = (t: TestApp, n: number) => signedInClient(t, { email: `admin-${n}@example.org`, role: 'administrator' });
const coordinator = (t: TestApp, n: number) => signedInClient(t, { email: `coordinator-${n}@example.org`, role: 'custodian-coordinator', organisationId: 'hk-cmab' });

/** A received suggestion, and optionally a published one it repeats; their references. */
async function suggestions(t: TestApp, moderator: TestClient, n: number, published: boolean) {
  const send = async (title: string) => {
    const sent = await new TestClient(t.app, { ip: `10.0.${n}.1` }).post('/en/suggestions/new', {
      subject: 'commitment:11-2',
      locale: 'en',
      submitterType: 'resident',
      consent: 'yes',
      title,
      body: `${title}, please.`,
      email: `sender-${n}@example.org`,
    });
    expect(sent.statusCode, sent.body.slice(0, 300)).toBe(303);
    return /reference=(.+)$/.exec(String(sent.headers.location))?.[1] as string;
  };
  const received = await send(`A counter for Hong Kong people ${n}`);
  if (!published) return { received, target: '' };
  const target = await send(`A Hong Kong desk ${n}`);
  const page = `/en/workspace/suggestions/${target}`;
  expect((await moderator.post(`${page}/publish`, { agency: 'hk-fstb', publicTitle: 'A Hong Kong desk', publicBody: 'A desk for Hong Kong people.' }, { from: page })).statusCode).toBe(303);
  return { received, target };
}

const suggestionState = (t: TestApp, reference: string) => async () =>
  (await t.database.db.kysely.selectFrom('suggestions').select('state').where('reference', '=', reference).executeTakeFirstOrThrow()).state;

const DESTRUCTIVE: Record<string, Destructive> = {
  'POST /{lang}/admin/users/:id/roles/remove': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      const target = await person(t, n);
      const grant = await db.selectFrom('user_roles').select('id').where('user_id', '=', target).executeTakeFirstOrThrow();
      const from = `/en/admin/users/${target}`;
      return {
        client: (await admin(t, n)).client,
        url: `${from}/roles/remove`,
        from,
        fields: { grant: String(grant.id) },
        state: async () => (await db.selectFrom('user_roles').select('role').where('user_id', '=', target).execute()).length,
      };
    },
  },
  'POST /{lang}/admin/users/:id/disable': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      const target = await person(t, n, 'resident');
      const from = `/en/admin/users/${target}`;
      return {
        client: (await admin(t, n)).client,
        url: `${from}/disable`,
        from,
        fields: {},
        state: async () => (await db.selectFrom('users').select('disabled_at').where('id', '=', target).executeTakeFirstOrThrow()).disabled_at,
      };
    },
  },
  'POST /{lang}/admin/invitations/withdraw': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      const { client } = await admin(t, n);
      const invited = await client.post('/en/admin/invitations', { email: `invited-${n}@example.org`, displayName: `Invited ${n}`, role: 'agency-officer', organisationId: 'hk-fstb', locale: 'en' });
      expect(invited.statusCode, invited.body.slice(0, 300)).toBeLessThan(400);
      const invitation = (await findPendingInvitations(db, t.ctx.now())).find((i) => i.email === `invited-${n}@example.org`);
      if (!invitation) throw new Error('the invitation was not made');
      const id = invitation.id;
      return {
        client,
        url: '/en/admin/invitations/withdraw',
        from: '/en/admin/invitations',
        fields: { id },
        state: async () => (await findPendingInvitations(db, t.ctx.now())).some((i) => i.id === id),
      };
    },
  },
  'POST /{lang}/admin/calendars/:calendar/:year/days/:date/remove': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      const day = await db
        .selectFrom('calendar_days')
        .select(['calendar', 'date'])
        .where('calendar', '=', 'hong-kong')
        .where('date', '>=', '2026-01-01')
        .where('date', '<=', '2026-12-31')
        .orderBy('date')
        .executeTakeFirstOrThrow();
      const date = String(day.date).slice(0, 10);
      const from = '/en/admin/calendars/hong-kong/2026';
      return {
        client: (await admin(t, n)).client,
        url: `${from}/days/${date}/remove`,
        from,
        fields: {},
        state: async () => (await db.selectFrom('calendar_days').select('date').where('calendar', '=', 'hong-kong').where('date', '=', date).execute()).length,
      };
    },
  },
  'POST /{lang}/events/registrations/:reference/cancel': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      const { event, occurrences } = await makeEvent(db);
      const email = `registrant-${n}@example.org`;
      const { client, userId } = await signedInClient(t, { email, role: 'resident' });
      const registered = await registerForEvent({
        db,
        event,
        occurrence: occurrences[0] as (typeof occurrences)[number],
        user: { id: userId, name: 'Registrant', email },
        locale: 'en',
        answers: {},
        actor: SYSTEM,
        now: new Date(),
        year: 2026,
        mail: await mailSettings(db),
      });
      if (!registered.ok) throw new Error(registered.error);
      const from = `/en/events/registrations/${registered.reference}`;
      return {
        client,
        url: `${from}/cancel`,
        from,
        fields: {},
        state: async () => (await db.selectFrom('event_registrations').select('state').where('reference', '=', registered.reference).executeTakeFirstOrThrow()).state,
      };
    },
  },
  'POST /{lang}/workspace/events/:reference/:slot/cancel': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      const { event, occurrences } = await makeEvent(db);
      const occurrence = occurrences[0] as (typeof occurrences)[number];
      const from = `/en/workspace/events/${event.reference}/${occurrence.slot}`;
      return {
        client: (await coordinator(t, n)).client,
        url: `${from}/cancel`,
        from,
        fields: { reason: 'The venue is closed for repairs.' },
        state: async () => (await db.selectFrom('event_occurrences').select('status').where('id', '=', occurrence.id).executeTakeFirstOrThrow()).status,
      };
    },
  },
  'POST /{lang}/workspace/suggestions/:reference/reject': {
    async setup(t, n) {
      const { client } = await coordinator(t, n);
      const { received } = await suggestions(t, client, n, false);
      const from = `/en/workspace/suggestions/${received}`;
      return { client, url: `${from}/reject`, from, fields: { reason: 'Advertising is not a suggestion.' }, state: suggestionState(t, received) };
    },
  },
  'POST /{lang}/workspace/suggestions/:reference/merge': {
    async setup(t, n) {
      const { client } = await coordinator(t, n);
      const { received, target } = await suggestions(t, client, n, true);
      const from = `/en/workspace/suggestions/${received}`;
      return { client, url: `${from}/merge`, from, fields: { target }, state: suggestionState(t, received) };
    },
  },
  'POST /{lang}/workspace/events/:reference/:slot/registrations/:registration/decide': {
    // Rejecting a registration (approving one needs no question).
    async setup(t, n) {
      const db = t.database.db.kysely;
      const { event, occurrences } = await makeEvent(db, { requiresApproval: true });
      const occurrence = occurrences[0] as (typeof occurrences)[number];
      const registered = await registerForEvent({
        db,
        event,
        occurrence,
        user: { id: await person(t, n, 'resident'), name: 'Registrant', email: `target-${n}@example.org` },
        locale: 'en',
        answers: {},
        actor: SYSTEM,
        now: new Date(),
        year: 2026,
        mail: await mailSettings(db),
      });
      if (!registered.ok) throw new Error(registered.error);
      const from = `/en/workspace/events/${event.reference}/${occurrence.slot}/registrations`;
      return {
        client: (await coordinator(t, n)).client,
        url: `${from}/${registered.reference}/decide`,
        from,
        fields: { decision: 'reject', reason: 'This date is for enterprises only.' },
        state: async () => (await db.selectFrom('event_registrations').select('state').where('reference', '=', registered.reference).executeTakeFirstOrThrow()).state,
      };
    },
  },
  'POST /{lang}/admin/representation-requests/:id': {
    // Rejecting a request to represent an enterprise (approving one needs no question).
    async setup(t, n) {
      const db = t.database.db.kysely;
      const { client: resident } = await signedInClient(t, { email: `representative-${n}@example.org`, role: 'resident' });
      const sent = await resident.post('/en/account/represent', { organisationId: '', organisationName: `Example Trading ${n} Limited`, position: 'Director' }, { from: '/en/account' });
      expect(sent.statusCode).toBe(200);
      const request = await db.selectFrom('representation_requests').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      const from = '/en/admin/representation-requests';
      return {
        client: (await admin(t, n)).client,
        url: `${from}/${request.id}`,
        from,
        fields: { decision: 'reject', reason: 'We could not confirm the company.' },
        state: async () => await db.selectFrom('representation_requests').selectAll().where('id', '=', request.id).executeTakeFirst(),
      };
    },
  },
  'POST /{lang}/workspace/enquiries/:id/close': {
    async setup(t, n) {
      const db = t.database.db.kysely;
      await clearRateLimits(db);
      const enquiry = await sendEnquiry(new TestClient(t.app, { ip: `10.1.${n}.1` }), db, { email: `citizen-${n}@example.org`, subject: `${ENQUIRY_FIELDS.subject} ${n}` });
      const { client } = await signedInClient(t, { email: `officer-${n}@example.org`, role: 'agency-officer', organisationId: enquiry.agency_id as string });
      const from = `/en/workspace/enquiries/${enquiry.id}`;
      const version = /name="version" value="(\d+)"/.exec((await client.get(from)).body)?.[1] ?? '';
      return {
        client,
        url: `${from}/close`,
        from,
        fields: { version, outcome: 'answered', body: 'Bring your permit to the service centre.' },
        state: async () => (await db.selectFrom('enquiries').select('state').where('id', '=', enquiry.id).executeTakeFirstOrThrow()).state,
      };
    },
  },
};

/** What a route's path says it does: take something away, or end something for good. */
const SOUNDS_DESTRUCTIVE = /\/(cancel|remove|delete|discard|withdraw|disable|reject|merge|close|revoke)(\/|$)/;

/** The hidden fields of the form on the page that asks, as a browser would send them. */
function askedForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<div class="confirm">[\s\S]*?<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form on the page that asks: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const input of (form[2] as string).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[input[1] as string] = (input[2] as string)
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  return { action: (form[1] as string).replace(/&amp;/g, '&'), fields };
}

describe.each(DATABASES)('destructive actions ask first on %s', (kind) => {
  const t = testAppFor(kind);

  it('covers every route whose path says it takes something away', () => {
    const routes = [...new Set(t.routes.filter((r) => r.method === 'POST').map((r) => routePattern(r.url)))];
    expect(routes.filter((r) => SOUNDS_DESTRUCTIVE.test(r) && !DESTRUCTIVE[r]).sort()).toEqual([]);
    expect(Object.keys(DESTRUCTIVE).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it.each(Object.keys(DESTRUCTIVE).map((route, n) => [route, n] as const))('%s changes nothing until it is confirmed', async (route, n) => {
    const { client, url, from, fields, state } = await (DESTRUCTIVE[route] as Destructive).setup(t, n + 1);
    const before = await state();
    const asked = await client.post(url, fields, { from });
    expect(asked.statusCode, asked.body.slice(0, 500)).toBe(200);
    expect(asked.headers['cache-control']).toBe('no-store');
    expect(await state(), 'changed before it was confirmed').toEqual(before);
    // The page that asks: what will happen, a way back, and the same form with a yes.
    const form = askedForm(asked.body);
    expect(form.action).toBe(url);
    expect(form.fields).toMatchObject({ ...fields, confirm: 'yes' });
    expect(asked.body).toContain(`href="${from}"`);
    // Said yes to, it is done.
    const done = await client.post(form.action, form.fields, { csrf: false });
    expect(done.statusCode, done.body.slice(0, 500)).toBeLessThan(400);
    expect(await state(), 'not changed once confirmed').not.toEqual(before);
  });
});
