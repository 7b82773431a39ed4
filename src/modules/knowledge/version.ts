import { ReadModelCache } from '../../platform/read-model.ts';

/**
 * The version of what the public sees of the knowledge base: pages cached for anonymous visitors are
 * keyed by it. It changes at every change made through this process; where another process may
 * write (a PostgreSQL server), also every `ttlMs`, so no cached page outlives a change by longer.
 */
export class KnowledgeVersion {
  private readonly cache: ReadModelCache;
  constructor(ttlMs: number) {
    this.cache = new ReadModelCache({ name: 'knowledge', ttlMs });
  }

  /** What `load` gives, loaded once for as long as the version holds (a failed load is tried again next time). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.memo(key, load);
  }

  stamp(): string {
    return this.cache.stamp();
  }

  bump(): void {
    this.cache.invalidate();
  }
}
