import type { Kysely } from 'kysely';
import { type Actor, audit } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { findAgreement, insertRevision, type StoredAgreement, saveAgreementContent } from './queries.ts';
import { type AgreementContent, changedPaths, contentHash, readAllAgreementSources } from './source.ts';

export interface LoadResult {
  id: string;
  outcome: 'created' | 'updated' | 'unchanged';
  revision: number;
  changes: string[];
}

/**
 * Loads the agreements under data/agreements/ into the database. Idempotent: an agreement whose text
 * has not changed is left alone; a changed one gets a new revision listing the changed passages.
 */
export async function loadAgreements(options: { db: Kysely<Database>; sources?: AgreementContent[]; progress?: (line: string) => void; actor: Actor; now: Date }): Promise<LoadResult[]> {
  const sources = options.sources ?? readAllAgreementSources();
  const results: LoadResult[] = [];
  for (const content of sources) {
    const sha256 = contentHash(content);
    const result = await options.db.transaction().execute(async (trx): Promise<LoadResult> => {
      const existing = await findAgreement(trx, content.id);
      if (existing?.contentSha256 === sha256) return { id: content.id, outcome: 'unchanged', revision: existing.revision, changes: [] };
      const revision = existing ? existing.revision + 1 : 1;
      const changes = existing ? changedPaths(storedContent(existing), content) : [];
      const removed = existing?.areas.flatMap((a) =>
        a.commitments.filter((c) => !content.areas.find((n) => n.number === a.number)?.commitments.some((nc) => nc.number === c.number)).map((c) => `${a.number}-${c.number}`),
      );
      if (removed?.length) {
        throw new Error(`${content.id}: the new text drops commitments ${removed.join(', ')}; commitments are never deleted, only amended`);
      }
      await saveAgreementContent(trx, content, sha256, revision, options.now);
      await insertRevision(trx, content.id, revision, sha256, changes);
      await audit(trx, {
        actor: options.actor,
        action: existing ? 'agreement.text.revised' : 'agreement.loaded',
        entity: { type: 'agreement', id: content.id },
        changes: {
          revision: { before: existing?.revision ?? null, after: revision },
          content_sha256: { before: existing?.contentSha256 ?? null, after: sha256 },
          ...(changes.length ? { passages: { before: null, after: changes } } : {}),
        },
      });
      return { id: content.id, outcome: existing ? 'updated' : 'created', revision, changes };
    });
    const commitments = content.areas.reduce((n, a) => n + a.commitments.length, 0);
    options.progress?.(
      `  ${result.id}: ${result.outcome} (revision ${result.revision}; ${content.areas.length} areas, ${commitments} commitments, ${Object.keys(content.texts).length} languages${result.changes.length ? `; ${result.changes.length} passages changed` : ''})`,
    );
    results.push(result);
  }
  return results;
}

/** The content of a stored agreement, without its version and renewal record. */
function storedContent(stored: StoredAgreement): AgreementContent {
  const { revision: _r, revisedAt: _at, contentSha256: _sha, renewal: _renewal, ...content } = stored;
  return content;
}
