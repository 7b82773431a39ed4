import { randomUUID } from 'node:crypto';
import type { KyselyPlugin, OperationNode, RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { insertRole, insertUser } from './queries.ts';
import { requestPasswordReset } from './request-password-reset.ts';

const PASSWORD = 'qiantang river tide bore';

/** Every statement a piece of work sends, as its kind and the tables it names, in order. */
function recorder(): { plugin: KyselyPlugin; statements: string[] } {
  const statements: string[] = [];
  const tables = (node: unknown, found: string[] = []): string[] => {
    if (!node || typeof node !== 'object') return found;
    const n = node as OperationNode & { table?: { identifier?: { name?: string } } };
    if (n.kind === 'TableNode' && n.table?.identifier?.name) found.push(n.table.identifier.name);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const item of value) tables(item, found);
      else if (value && typeof value === 'object') tables(value, found);
    }
    return found;
  };
  return {
    statements,
    plugin: {
      transformQuery: ({ node }: { node: RootOperationNode }) => {
        statements.push(`${node.kind} ${[...new Set(tables(node))].join(',')}`);
        return node;
      },
      transformResult: async ({ result }) => result,
    },
  };
}

describe.each(DATABASES)('nothing tells which addresses have accounts, on %s', (kind) => {
  const t = testAppFor(kind);

  const owner = async (locale: 'en' | 'zh-Hant' = 'en') => {
    const email = `owner.${randomUUID().slice(0, 8)}@example.org`;
    const id = randomUUID();
    const hash = await hashPassword(PASSWORD);
    await insertUser(t.database.db.kysely, { id, email, displayName: 'Chan Tai Man', locale, passwordHash: hash, emailVerifiedAt: new Date() });
    await insertRole(t.database.db.kysely, { userId: id, role: 'resident', organisationId: null, grantedBy: null });
    return { id, email, hash };
  };
  const mailTo = (to: string) => t.database.db.kysely.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('id').execute();
  const count = async (table: 'user_tokens' | 'mail_outbox' | 'audit_events' | 'users') =>
    Number(
      (
        await t.database.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers registration the same for an existing and a new address, and emails the existing owner instead', async () => {
    const existing = await owner('zh-Hant');
    const fresh = `new.${randomUUID().slice(0, 8)}@example.org`;
    const register = async (email: string) => {
      const client = new TestClient(t.app, { ip: '198.51.100.1' });
      const response = await client.post('/en/register', { displayName: 'Someone Else', email, password: 'another long passphrase', confirmPassword: 'another long passphrase', locale: 'en' });
      const body = response.body.replaceAll(email, '<address>').replace(/name="_csrf" value="[^"]+"/g, '');
      return { status: response.statusCode, body, cookies: response.cookies.map((c) => c.name).sort(), location: response.headers.location, signedIn: client.cookies.has('zjhk_session') };
    };
    const before = await count('users');
    const forExisting = await register(existing.email.toUpperCase());
    const forNew = await register(fresh);
    expect(forExisting).toEqual(forNew);
    expect(forNew.status).toBe(200);
    expect(forNew.signedIn).toBe(false);
    expect(forNew.body).toContain('We have sent a message to <address> with the next step');

    // The owner is told, in their language, and their account is untouched.
    const told = await mailTo(existing.email);
    expect(told.map((m) => m.subject)).toEqual(['你已有帳戶']);
    expect(told[0]?.text_body).toContain('/zh-hant/login');
    expect(told[0]?.text_body).toContain('/zh-hant/forgot-password');
    const row = await t.database.db.kysely.selectFrom('users').select(['password_hash', 'display_name']).where('id', '=', existing.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ password_hash: existing.hash, display_name: 'Chan Tai Man' });
    // The new address gets its confirmation link; one account was made in all.
    expect((await mailTo(fresh)).map((m) => m.subject)).toEqual(['Confirm your email address']);
    expect(await count('users')).toBe(before + 1);
  });

  it('does the same work for a password reset whether or not the address has an account', async () => {
    const existing = await owner();
    const unknown = `nobody.${randomUUID().slice(0, 8)}@example.org`;
    const reset = async (email: string) => {
      const { plugin, statements } = recorder();
      const counts = { tokens: await count('user_tokens'), mail: await count('mail_outbox'), audit: await count('audit_events') };
      await requestPasswordReset({
        db: t.database.db.kysely.withPlugin(plugin),
        email,
        publicUrl: 'http://localhost:3000',
        locale: 'en',
        request: { requestId: 'r1', ip: '198.51.100.1' },
        now: t.ctx.now(),
      });
      const added = { tokens: (await count('user_tokens')) - counts.tokens, mail: (await count('mail_outbox')) - counts.mail, audit: (await count('audit_events')) - counts.audit };
      return { statements, added };
    };
    const forAccount = await reset(existing.email);
    const forNobody = await reset(unknown);
    // The same statements, on the same tables, in the same order and transaction: a token, a message, an audit entry.
    expect(forNobody.statements).toEqual(forAccount.statements);
    expect(forAccount.statements.filter((s) => s.startsWith('InsertQueryNode')).length).toBeGreaterThanOrEqual(3);
    expect(forNobody.added).toEqual({ tokens: 1, mail: 1, audit: 1 });
    expect(forAccount.added).toEqual({ tokens: 1, mail: 1, audit: 1 });

    expect((await mailTo(existing.email)).map((m) => m.subject)).toEqual(['Reset your password']);
    const [nobody] = await mailTo(unknown);
    expect(nobody?.subject).toBe('Password reset: no account uses this address');
    expect(nobody?.text_body).toContain('/en/register');
    expect(nobody?.text_body).not.toContain('reset-password?token=');
    // The token written for an address without an account opens nothing.
    const token = await t.database.db.kysely.selectFrom('user_tokens').select(['user_id']).where('email', '=', unknown).executeTakeFirstOrThrow();
    expect(token.user_id).toBeNull();
  });

  it('sends at most three reset messages an hour to an address, with or without an account', async () => {
    const existing = await owner();
    const unknown = `nobody.${randomUUID().slice(0, 8)}@example.org`;
    for (let i = 0; i < 5; i += 1) {
      for (const email of [existing.email, unknown]) {
        await requestPasswordReset({ db: t.database.db.kysely, email, publicUrl: 'http://localhost:3000', locale: 'en', request: {}, now: t.ctx.now() });
      }
    }
    expect(await mailTo(existing.email)).toHaveLength(3);
    expect(await mailTo(unknown)).toHaveLength(3);
  });
});
