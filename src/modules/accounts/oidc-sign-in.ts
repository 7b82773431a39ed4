import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit, personalChange, type RequestInfo } from '../../platform/audit/audit.ts';
import { type OidcConfig, OidcClient, OidcError } from '../../platform/auth/oidc.ts';
import { createSession, newSecret, secretId, type SessionSettings } from '../../platform/auth/sessions.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { findUserByEmail, insertRole, insertUser } from './queries.ts';

/** How long a person may take at the provider before the attempt lapses. */
const OIDC_ATTEMPT_MINUTES = 10;

/** The provider's client, made on first use (discovery needs the provider up) and then kept. */
export class OidcSignIn {
  private client: Promise<OidcClient> | undefined;
  constructor(readonly config: OidcConfig) {}

  private getClient(): Promise<OidcClient> {
    this.client ??= OidcClient.create(this.config).catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }

  /** Starts an attempt: returns where to send the browser, and the secret for its cookie. */
  async start(db: Kysely<Database>, options: { locale: Locale; next: string | null; now: Date }): Promise<{ url: string; cookieSecret: string }> {
    const { now } = options;
    const client = await this.getClient();
    const attempt = await client.start({ locale: options.locale });
    const cookieSecret = newSecret();
    await db.deleteFrom('oidc_attempts').where('expires_at', '<', now).execute();
    await db
      .insertInto('oidc_attempts')
      .values({
        id: secretId(cookieSecret),
        state: attempt.state,
        nonce: attempt.nonce,
        code_verifier: attempt.codeVerifier,
        locale: options.locale,
        next_path: options.next,
        expires_at: new Date(now.getTime() + OIDC_ATTEMPT_MINUTES * 60_000),
      })
      .execute();
    return { url: attempt.url, cookieSecret };
  }

  /**
   * Finishes an attempt and signs the person in: the account linked to this provider's subject, or
   * a new resident's account when the provider vouches for an address no account uses. An address
   * that already has an account is not taken over: its owner keeps signing in as before.
   */
  async finish(
    db: Kysely<Database>,
    options: { cookieSecret: string | undefined; callbackUrl: URL; session: SessionSettings; request: RequestInfo & { userAgent?: string | undefined }; now: Date },
  ): Promise<{ ok: true; sessionSecret: string; userId: string; locale: Locale; next: string | null } | { ok: false; reason: 'expired' | 'failed' | 'email_taken' | 'no_email'; locale: Locale }> {
    const { now } = options;
    const id = options.cookieSecret ? secretId(options.cookieSecret) : '';
    const attempt = await db.deleteFrom('oidc_attempts').where('id', '=', id).where('expires_at', '>', now).returningAll().executeTakeFirst();
    if (!attempt) return { ok: false, reason: 'expired', locale: 'zh-Hant' };
    const locale = attempt.locale;
    let identity: Awaited<ReturnType<Awaited<ReturnType<typeof this.getClient>>['finish']>>;
    try {
      const client = await this.getClient();
      identity = await client.finish(options.callbackUrl, { state: attempt.state, nonce: attempt.nonce, codeVerifier: attempt.code_verifier });
    } catch (error) {
      if (error instanceof OidcError) return { ok: false, reason: 'failed', locale };
      throw error;
    }
    const linked = await db.selectFrom('users').select(['id', 'email', 'disabled_at']).where('oidc_issuer', '=', identity.issuer).where('oidc_subject', '=', identity.subject).executeTakeFirst();
    if (linked?.disabled_at) return { ok: false, reason: 'failed', locale };
    let userId = linked?.id;
    if (!userId) {
      if (!identity.email || identity.emailVerified !== true) return { ok: false, reason: 'no_email', locale };
      if (await findUserByEmail(db, identity.email)) return { ok: false, reason: 'email_taken', locale };
    }
    const sessionSecret = await db.transaction().execute(async (trx) => {
      if (!userId) {
        userId = randomUUID();
        const email = identity.email as string;
        await insertUser(trx, { id: userId, email, displayName: identity.name || email, locale, passwordHash: null, emailVerifiedAt: now });
        await trx.updateTable('users').set({ oidc_issuer: identity.issuer, oidc_subject: identity.subject }).where('id', '=', userId).execute();
        await insertRole(trx, { userId, role: 'resident', organisationId: null, grantedBy: null });
        await audit(trx, {
          actor: { type: 'user', id: userId },
          action: 'user.registered',
          entity: { type: 'user', id: userId },
          changes: { email: personalChange(null, email), oidc_issuer: { before: null, after: identity.issuer }, role: { before: null, after: 'resident' } },
          request: options.request,
        });
      }
      await audit(trx, {
        actor: { type: 'user', id: userId },
        action: 'user.signed_in',
        entity: { type: 'user', id: userId },
        changes: { method: { before: null, after: `oidc ${identity.issuer}` } },
        request: options.request,
      });
      return await createSession(trx, { userId, settings: options.session, secondFactor: false, ip: options.request.ip, userAgent: options.request.userAgent });
    });
    return { ok: true, sessionSecret, userId: userId as string, locale, next: attempt.next_path };
  }
}
