import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Email, type FieldError, Fields, type FormResult, hasErrors, Optional, Text } from '../../platform/http/forms.ts';
import { findOrganisation, type Organisation, saveOrganisation, setOrganisationParent } from './queries.ts';
import { ORGANISATION_TYPES, SIDES } from './schemas.ts';

export type OrganisationFields = 'id' | 'type' | 'side' | 'parentId' | 'nameHant' | 'nameHans' | 'nameEn' | 'abbreviation' | 'website' | 'email' | 'phone';

export const ORGANISATION_FORM = Fields({
  id: Optional(Text(64)),
  type: Choice(ORGANISATION_TYPES),
  side: Choice(SIDES),
  parentId: Optional(Text(64)),
  nameHant: Optional(Text(200)),
  nameHans: Optional(Text(200)),
  nameEn: Optional(Text(300)),
  abbreviation: Optional(Text(30)),
  website: Optional(Text(300)),
  email: Optional(Email()),
  phone: Optional(Text(40)),
});

/**
 * Adds an organisation (`existingId` absent) or changes one, from the admin form. A name typed in by
 * an administrator counts as verified in its language.
 */
export async function saveOrganisationForm(options: {
  db: Kysely<Database>;
  existingId?: string;
  form: FormResult<OrganisationFields>;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; id: string } | { ok: false; errors: Partial<Record<OrganisationFields, FieldError>> }> {
  const { db, form } = options;
  const v = form.values;
  const errors = { ...form.errors };
  const id = options.existingId ?? v.id;
  const before = options.existingId ? await findOrganisation(db, options.existingId) : undefined;
  if (!options.existingId) {
    if (!v.id) errors.id = 'required';
    else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(v.id)) errors.id = 'invalid_id';
    else if (await findOrganisation(db, v.id)) errors.id = 'id_taken';
  }
  if (!v.nameHant && !v.nameHans && !v.nameEn) errors.nameHant = 'required';
  if (v.website && !/^https:\/\/[^\s]+$/.test(v.website)) errors.website = 'invalid_url';
  if (v.parentId) {
    // Walk up from the chosen parent: meeting this organisation would make it part of itself.
    let cursor: string | null = v.parentId;
    for (let depth = 0; cursor && depth < 50; depth += 1) {
      if (cursor === id) {
        errors.parentId = 'parent_cycle';
        break;
      }
      const parent: Organisation | undefined = await findOrganisation(db, cursor);
      if (!parent) {
        errors.parentId = 'unknown_organisation';
        break;
      }
      cursor = parent.parentId;
    }
  }
  if (hasErrors(errors)) return { ok: false, errors };

  const name = { ...(v.nameHant ? { 'zh-Hant': v.nameHant } : {}), ...(v.nameHans ? { 'zh-Hans': v.nameHans } : {}), ...(v.nameEn ? { en: v.nameEn } : {}) };
  const verified = { ...(before?.verified ?? {}) };
  for (const [locale, text] of Object.entries(name)) if (before?.name[locale as keyof typeof name] !== text) verified[locale] = true;
  const after: Organisation = {
    id,
    type: v.type,
    side: v.side as Organisation['side'],
    parentId: v.parentId || null,
    name,
    abbreviation: v.abbreviation || null,
    website: v.website || null,
    email: v.email || null,
    phone: v.phone || null,
    verified,
    note: before?.note ?? null,
  };
  await db.transaction().execute(async (trx) => {
    await saveOrganisation(trx, after, null, options.now);
    await setOrganisationParent(trx, id, after.parentId);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'organisation.updated' : 'organisation.created',
      entity: { type: 'organisation', id },
      changes: diff(before ? { ...before } : null, { ...after }),
      request: options.request,
    });
  });
  return { ok: true, id };
}
