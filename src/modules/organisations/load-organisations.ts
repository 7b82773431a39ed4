import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import { type Actor, audit, diff } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { findOrganisations, findReferenceHashes, type Organisation, saveOrganisation, setOrganisationParent } from './queries.ts';
import { type OrganisationFileEntry, OrganisationFileSchema } from './schemas.ts';

const ORGANISATIONS_FILE = fileURLToPath(new URL('../../../data/organisations/organisations.json', import.meta.url));

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
 * Loads the reference list of organisations: adds new ones, and updates those whose entry in the
 * file changed, each change in the audit trail. An organisation edited on the platform is the
 * platform's from then on: the file no longer overwrites it. Nothing is deleted (people and records
 * refer to organisations).
 */
export async function loadOrganisations(options: {
  db: Kysely<Database>;
  actor: Actor;
  entries?: OrganisationFileEntry[];
  progress?: (line: string) => void;
  now: Date;
}): Promise<{ created: number; updated: number; keptEdited: number }> {
  const entries = options.entries ?? readOrganisationsFile();
  return await options.db.transaction().execute(async (trx) => {
    const existing = new Map((await findOrganisations(trx)).map((o) => [o.id, o]));
    const hashes = await findReferenceHashes(trx);
    let created = 0;
    let updated = 0;
    let keptEdited = 0;
    const parents: [string, string | null][] = [];
    for (const entry of entries) {
      const before = existing.get(entry.key);
      const sha256 = createHash('sha256').update(JSON.stringify(entry)).digest('hex');
      if (before && hashes.get(entry.key) === sha256) continue;
      if (before && hashes.get(entry.key) === null) {
        keptEdited += 1;
        continue;
      }
      const after = fromEntry(entry, before);
      await saveOrganisation(trx, after, sha256, options.now);
      if (before?.parentId !== entry.parent) parents.push([entry.key, entry.parent]);
      const changes = diff(before ? { ...before } : null, { ...after });
      if (Object.keys(changes).length === 0) continue;
      await audit(trx, {
        actor: options.actor,
        action: before ? 'organisation.updated' : 'organisation.created',
        entity: { type: 'organisation', id: after.id },
        changes,
      });
      if (before) updated += 1;
      else created += 1;
    }
    // Parents once every organisation exists.
    for (const [id, parent] of parents) await setOrganisationParent(trx, id, parent);
    options.progress?.(
      `  organisations: ${created} added, ${updated} updated from the file, ${keptEdited} kept as edited on the platform, ${entries.length - created - updated - keptEdited} unchanged`,
    );
    return { created, updated, keptEdited };
  });
}
