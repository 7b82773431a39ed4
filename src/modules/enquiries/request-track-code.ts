import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { Email, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { trackCodeEmail } from './emails.ts';
import { findEnquiryByReference } from './queries/cases.ts';
import { countRecentCodes, insertTrackCode, sha256 } from './queries/tracking.ts';

export const TRACK_FORM = Fields({
  reference: Text(40),
  email: Email(),
});

export type TrackFields = FieldsOf<typeof TRACK_FORM>;

/** How long a code may be used, and how many a case may be sent in that time. */
export const CODE_MINUTES = 15;
const CODES_PER_WINDOW = 3;

const REFERENCE = /^ZJHK-E-\d{4}-\d{6,}$/i;

/** The hash a code is kept as (with a salt of its own): the code itself is never stored. */
export const codeHash = (salt: string, code: string): string => sha256(`${salt}:${code}`);

/**
 * Someone asks to follow a case with its reference and the email it was sent with. When the two
 * belong together a six-digit code goes to that email (at most three in 15 minutes); the answer is
 * the same either way, so nobody can find out which references or addresses exist.
 */
export async function requestTrackCode(options: {
  db: Kysely<Database>;
  form: FormResult<TrackFields>;
  now: Date;
}): Promise<{ ok: true; reference: string } | { ok: false; errors: Partial<Record<TrackFields, FieldError>> }> {
  const errors: Partial<Record<TrackFields, FieldError>> = { ...options.form.errors };
  const reference = options.form.values.reference.toUpperCase();
  if (!errors.reference && !REFERENCE.test(reference)) errors.reference = 'enq_invalid_reference';
  if (hasErrors(errors)) return { ok: false, errors };
  const enquiry = await findEnquiryByReference(options.db, reference);
  const matches = enquiry?.email && enquiry.purgedAt === null && enquiry.email.toLowerCase() === options.form.values.email.toLowerCase();
  if (!enquiry || !matches) return { ok: true, reference };
  const windowStart = new Date(options.now.getTime() - CODE_MINUTES * 60_000);
  if ((await countRecentCodes(options.db, enquiry.id, windowStart)) >= CODES_PER_WINDOW) return { ok: true, reference };
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  await options.db.transaction().execute(async (trx) => {
    await insertTrackCode(trx, { enquiryId: enquiry.id, codeHash: codeHash(salt, code), salt, expiresAt: new Date(options.now.getTime() + CODE_MINUTES * 60_000) });
    await queueMail(trx, trackCodeEmail({ to: enquiry.email as string, locale: enquiry.locale, reference, code, minutes: CODE_MINUTES }), {
      about: { type: 'enquiry', id: enquiry.reference },
      purgeAfter: new Date(options.now.getTime() + CODE_MINUTES * 60_000),
    });
  });
  return { ok: true, reference };
}
