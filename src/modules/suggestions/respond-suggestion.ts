import type { Kysely } from 'kysely';
import { type Actor, audit, type RequestInfo } from '../../platform/audit/audit.ts';
import { json } from '../../platform/db/index.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue } from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { queueMail } from '../../platform/mail/outbox.ts';
import { respondedEmail } from './emails.ts';
import { findSubmittersOf, moveSuggestion, type Suggestion } from './queries.ts';

export const RESPOND_FORM = Fields({ ...localizedFields('response', 10_000) });

export type RespondFields = FieldsOf<typeof RESPOND_FORM>;

/**
 * The responsible agency (or a coordinator) gives the official response, in one or more languages.
 * The suggestion is closed as responded; its submitter and the submitters of every duplicate merged
 * into it are emailed, each in their language.
 */
export async function respondSuggestion(options: {
  db: Kysely<Database>;
  suggestion: Suggestion;
  form: FormResult<RespondFields>;
  agencyName: LocalizedText;
  responderId: string;
  now: Date;
  publicUrl: string;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<RespondFields, FieldError>> }> {
  const { suggestion: s, form } = options;
  const response = localizedValue(form.values, 'response');
  const errors: Partial<Record<RespondFields, FieldError>> = { ...form.errors };
  if (Object.keys(response).length === 0) errors.responseHant = 'one_language_required';
  if (hasErrors(errors)) return { ok: false, errors };

  const done = await options.db.transaction().execute(async (trx) => {
    const moved = await moveSuggestion(trx, s.id, ['published'], {
      state: 'responded',
      response: json(response),
      responded_at: options.now,
      responded_by: options.responderId,
      closed_at: options.now,
    });
    if (!moved) return false;
    await audit(trx, {
      actor: options.actor,
      action: 'suggestion.responded',
      entity: { type: 'suggestion', id: s.reference },
      changes: { state: { before: 'published', after: 'responded' }, response: { before: null, after: response } },
      request: options.request,
    });
    for (const submitter of await findSubmittersOf(trx, s.id)) {
      await queueMail(
        trx,
        respondedEmail(
          { to: submitter.email, name: submitter.name, locale: submitter.language },
          { reference: s.reference, own: submitter.reference, agency: options.agencyName, response, publicUrl: options.publicUrl },
        ),
        { about: { type: 'suggestion', id: submitter.reference } },
      );
    }
    return true;
  });
  return done ? { ok: true } : { ok: false, errors: { responseHant: 'suggestion_not_awaiting_response' } };
}
