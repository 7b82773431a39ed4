import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { findEnquiryByReference } from './queries/cases.ts';
import { findNewestCode, insertTrackSession, sha256, spendAttempt, useCode } from './queries/tracking.ts';
import { codeHash } from './request-track-code.ts';

export const CODE_FORM = Fields({
  reference: Text(40),
  code: Text(12),
});

export type CodeFields = FieldsOf<typeof CODE_FORM>;

/** Wrong tries a code allows; then a new one must be asked for. */
const MAX_ATTEMPTS = 5;
/** How long the case stays open in the browser after the code: a short session for this one case. */
export const SESSION_MINUTES = 30;

/**
 * Checks a code for a case. Right: the code is spent and a session for this case alone begins (its
 * token goes in a cookie; only its hash is kept). Wrong, expired, used up, or no such case: the same
 * message, and each wrong try counts.
 */
export async function verifyTrackCode(options: {
  db: Kysely<Database>;
  form: FormResult<CodeFields>;
  now: Date;
}): Promise<{ ok: true; token: string; enquiryId: number } | { ok: false; errors: Partial<Record<CodeFields, FieldError>> }> {
  const errors: Partial<Record<CodeFields, FieldError>> = { ...options.form.errors };
  const code = options.form.values.code.replace(/\s/g, '');
  if (!errors.code && !/^\d{6}$/.test(code)) errors.code = 'invalid_code';
  if (hasErrors(errors)) return { ok: false, errors };
  const invalid = { ok: false as const, errors: { code: 'invalid_code' } };
  const enquiry = await findEnquiryByReference(options.db, options.form.values.reference.toUpperCase());
  const stored = enquiry && enquiry.purgedAt === null ? await findNewestCode(options.db, enquiry.id) : undefined;
  if (!enquiry || !stored || stored.usedAt !== null || stored.expiresAt.getTime() <= options.now.getTime()) return invalid;
  if (!(await spendAttempt(options.db, stored.id, MAX_ATTEMPTS))) return { ok: false, errors: { code: 'enq_code_used_up' } };
  const right = timingSafeEqual(Buffer.from(codeHash(stored.salt, code)), Buffer.from(stored.codeHash));
  if (!right) return invalid;
  const token = await options.db.transaction().execute(async (trx) => ((await useCode(trx, stored.id, options.now)) ? openTrackSession(trx, enquiry.id, options.now) : undefined));
  return token ? { ok: true, token, enquiryId: enquiry.id } : invalid;
}

/** Opens a /track session of one case: returns the token for the cookie (only its hash is kept). */
export async function openTrackSession(db: Kysely<Database>, enquiryId: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await insertTrackSession(db, { tokenHash: sha256(token), enquiryId, expiresAt: new Date(now.getTime() + SESSION_MINUTES * 60_000) });
  return token;
}
