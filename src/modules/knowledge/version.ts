/**
 * The version of what the public sees of the knowledge base: pages cached for anonymous visitors are
 * keyed by it. It changes at every change made through this process; where another process may
 * write (a PostgreSQL server), also every `ttlMs`, so no cached page outlives a change by longer.
 */
export class KnowledgeVersion {
  private version = 0;
  constructor(private readonly ttlMs: number) {}

  stamp(): string {
    const period = Number.isFinite(this.ttlMs) ? Math.floor(Date.now() / this.ttlMs) : 0;
    return `knowledge:${this.version}:${period}`;
  }

  bump(): void {
    this.version += 1;
  }
}
