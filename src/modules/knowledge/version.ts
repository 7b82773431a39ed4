/**
 * The version of what the public sees of the knowledge base: pages cached for anonymous visitors are
 * keyed by it. It changes at every change made through this process; where another process may
 * write (a PostgreSQL server), also every `ttlMs`, so no cached page outlives a change by longer.
 */
export class KnowledgeVersion {
  private version = 0;
  private kept: { stamp: string; values: Map<string, Promise<unknown>> } = { stamp: '', values: new Map() };
  constructor(private readonly ttlMs: number) {}

  /** What `load` gives, loaded once for as long as the version holds (a failed load is tried again next time). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const stamp = this.stamp();
    if (this.kept.stamp !== stamp) this.kept = { stamp, values: new Map() };
    const values = this.kept.values;
    let value = values.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      values.set(key, value);
      value.catch(() => {
        if (values.get(key) === value) values.delete(key);
      });
    }
    return value;
  }

  stamp(): string {
    const period = Number.isFinite(this.ttlMs) ? Math.floor(Date.now() / this.ttlMs) : 0;
    return `knowledge:${this.version}:${period}`;
  }

  bump(): void {
    this.version += 1;
  }
}
