import type { Db } from '../../platform/db/index.ts';
import { ReadModelCache, ttlFor } from '../../platform/read-model.ts';
import { findAgreement, findAgreementIds, type StoredAgreement } from './queries.ts';

/**
 * Agreements change rarely and are read on every page, so they are kept in memory. On the embedded
 * database every write happens in this process and invalidates the copy at once; on PostgreSQL,
 * where another process may write, a copy is also refreshed after `ttlMs`.
 */
export class AgreementStore {
  private readonly cache: ReadModelCache;

  constructor(
    private readonly db: Db,
    ttlMs = ttlFor(db),
  ) {
    this.cache = new ReadModelCache({ name: 'agreements', ttlMs });
  }

  get(id: string): Promise<StoredAgreement | undefined> {
    return this.cache.memo(`agreement:${id}`, () => findAgreement(this.db.kysely, id));
  }

  async list(): Promise<StoredAgreement[]> {
    const ids = await this.cache.memo('ids', () => findAgreementIds(this.db.kysely));
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((a): a is StoredAgreement => a !== undefined);
  }

  invalidate(): void {
    this.cache.invalidate();
  }
}

/** Changes whenever anything shown about the agreement changes: its text or its renewal record. */
export function agreementStamp(agreement: StoredAgreement): string {
  const renewal = agreement.renewal;
  return `${agreement.id}:${agreement.revision}:${renewal ? `${renewal.status}:${renewal.recordedAt.getTime()}` : 'none'}`;
}
