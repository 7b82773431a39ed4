import type { Db } from '../../platform/db/index.ts';
import { findAgreement, findAgreementIds, type StoredAgreement } from './queries.ts';

/**
 * Agreements change rarely and are read on every page, so they are kept in memory. On the embedded
 * database every write happens in this process and invalidates the copy at once; on PostgreSQL,
 * where another process may write, a copy is also refreshed after `ttlMs`.
 */
export class AgreementStore {
  private cache = new Map<string, { at: number; value: StoredAgreement | undefined }>();
  private ids: { at: number; value: string[] } | undefined;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = db.kind === 'pglite' ? Number.POSITIVE_INFINITY : 5_000,
  ) {}

  private fresh(at: number): boolean {
    return Date.now() - at < this.ttlMs;
  }

  async get(id: string): Promise<StoredAgreement | undefined> {
    const hit = this.cache.get(id);
    if (hit && this.fresh(hit.at)) return hit.value;
    const value = await findAgreement(this.db.kysely, id);
    this.cache.set(id, { at: Date.now(), value });
    return value;
  }

  async list(): Promise<StoredAgreement[]> {
    if (!this.ids || !this.fresh(this.ids.at)) this.ids = { at: Date.now(), value: await findAgreementIds(this.db.kysely) };
    const all = await Promise.all(this.ids.value.map((id) => this.get(id)));
    return all.filter((a): a is StoredAgreement => a !== undefined);
  }

  invalidate(): void {
    this.cache.clear();
    this.ids = undefined;
  }
}

/** Changes whenever anything shown about the agreement changes: its text or its renewal record. */
export function agreementStamp(agreement: StoredAgreement): string {
  const renewal = agreement.renewal;
  return `${agreement.id}:${agreement.revision}:${renewal ? `${renewal.status}:${renewal.recordedAt.getTime()}` : 'none'}`;
}
