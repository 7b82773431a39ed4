import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, Text } from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { assignedEmail, publishedEmail, submitterOf } from './emails.ts';
import { findAgencyOfficers, moveSuggestion, type Suggestion } from './queries.ts';

export const PUBLISH_FORM = Fields({
  agency: Text(64),
  publicTitle: Text(200),
  publicBody: Text(5000),
});

export type PublishFields = FieldsOf<typeof PUBLISH_FORM>;

/**
 * A coordinator publishes a received suggestion: its public copy (the original, or edited to take out
 * personal data; the original is kept privately) and the agency that must respond. The submitter and
 * the agency's officers are told.
 */
export async function publishSuggestion(options: {
  db: Kysely<Database>;
  suggestion: Suggestion;
  form: FormResult<PublishFields>;
  /** The agencies that may be named (Hong Kong and Zhejiang organisations), with their names. */
  agencies: ReadonlyMap<string, { name: LocalizedText }>;
  moderatorId: string;
  now: Date;
  publicUrl: string;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<PublishFields, FieldError>> }> {
  const { suggestion: s, form } = options;
  const v = form.values;
  const errors: Partial<Record<PublishFields, FieldError>> = { ...form.errors };
  const agency = options.agencies.get(v.agency);
  if (v.agency && !agency) errors.agency = 'invalid_choice';
  if (hasErrors(errors) || !agency) return { ok: false, errors };

  const done = await options.db.transaction().execute(async (trx) => {
    const moved = await moveSuggestion(trx, s.id, ['received'], {
      state: 'published',
      public_title: v.publicTitle,
      public_body: v.publicBody,
      responsible_agency: v.agency,
      moderated_at: options.now,
      moderated_by: options.moderatorId,
    });
    if (!moved) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'suggestion.published',
      entity: { type: 'suggestion', id: s.reference },
      changes: {
        state: { before: 'received', after: 'published' },
        responsibleAgency: { before: null, after: v.agency },
        publicCopyEdited: { before: null, after: v.publicTitle !== s.title || v.publicBody !== s.body },
      },
      request: options.request,
    });
    const submitter = submitterOf(s);
    if (submitter) await queueMail(trx, publishedEmail(submitter, { reference: s.reference, agency: agency.name, publicUrl: options.publicUrl }), { about: { type: 'suggestion', id: s.reference } });
    for (const officer of await findAgencyOfficers(trx, v.agency)) {
      await queueMail(trx, assignedEmail({ to: officer.email, name: officer.name, locale: officer.locale }, { reference: s.reference, title: v.publicTitle, publicUrl: options.publicUrl }));
    }
    return true;
  });
  return done ? { ok: true } : { ok: false, errors: { agency: 'suggestion_already_moderated' } };
}
