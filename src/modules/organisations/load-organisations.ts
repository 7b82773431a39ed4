import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import { type Actor, audit, diff } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { findOrganisations, type Organisation, saveOrganisation, setOrganisationParent } from './queries.ts';
import { type OrganisationFileEntry, OrganisationFileSchema } from './schemas.ts';

export const ORGANISATIONS_FILE = fileURLToPath(new URL('../../../data/organisations/organisations.json', import.meta.url));

export function readOrganisationsFile(file = ORGANISATIONS_FILE): OrganisationFileEntry[] {
  const entries: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const first = Value.Errors(OrganisationFileSchema, entries).First();
  if (first) throw new Error(`${file}: ${first.path} ${first.message}`);
  const list = entries as OrganisationFileEntry[];
  const keys = new Set(list.map((e) => e.key));
  for (const e of list) {
    if (e.parent && !keys.has(e.parent)) throw new Error(`${file}: ${e.key} names an unknown parent ${e.parent}`);
  }
  return list;
}

function fromEntry(e: OrganisationFileEntry, current: Organisation | undefined): Organisation {
  return {
    id: e.key,
    type: e.type,
    side: e.side,
    parentId: e.parent,
    name: e.name,
    abbreviation: e.abbreviation?.en ?? null,
    website: e.website ?? null,
    // Contact details are kept up to date by people on the platform, not by the reference file.
    email: current?.email ?? null,
    phone: current?.phone ?? null,
    verified: e.verified,
    note: e.note ?? null,
  };
}

/**
 * Loads the reference list of organisations: adds new ones and updates changed ones, each change
 * in the audit trail. Organisations are never deleted here (people and records refer to them).
 */
export async function loadOrganisations(options: {
  db: Kysely<Database>;
  actor: Actor;
  entries?: OrganisationFileEntry[];
  progress?: (line: string) => void;
}): Promise<{ created: number; updated: number }> {
  const entries = options.entries ?? readOrganisationsFile();
  return await options.db.transaction().execute(async (trx) => {
    const existing = new Map((await findOrganisations(trx)).map((o) => [o.id, o]));
    let created = 0;
    let updated = 0;
    for (const entry of entries) {
      const before = existing.get(entry.key);
      const after = fromEntry(entry, before);
      const changes = diff(before ? { ...before } : null, { ...after });
      if (Object.keys(changes).length === 0) continue;
      await saveOrganisation(trx, after);
      await audit(trx, {
        actor: options.actor,
        action: before ? 'organisation.updated' : 'organisation.created',
        entity: { type: 'organisation', id: after.id },
        changes,
      });
      if (before) updated += 1;
      else created += 1;
    }
    for (const entry of entries) {
      if (existing.get(entry.key)?.parentId !== entry.parent) await setOrganisationParent(trx, entry.key, entry.parent);
    }
    options.progress?.(`  organisations: ${created} added, ${updated} updated, ${entries.length - created - updated} unchanged`);
    return { created, updated };
  });
}
