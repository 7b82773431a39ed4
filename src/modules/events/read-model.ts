import type { Db } from '../../platform/db/index.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import { type AreaInfo, type CommitmentInfo, findAreas, findCommitments } from '../agreements/index.ts';

/**
 * What the events pages read again and again, kept between changes. The stamp changes at every change
 * made through this process, every new day, and (with a PostgreSQL server, where another process may
 * write) every few seconds; pages and feeds cached for anonymous visitors are keyed by it.
 */
export class EventsReadModel {
  private version = 0;
  private readonly entries = new Map<string, { stamp: string; value: Promise<unknown> }>();

  constructor(
    private readonly db: Db,
    private readonly today: () => string,
    private readonly ttlMs = db.kind === 'pglite' ? Number.POSITIVE_INFINITY : 5_000,
  ) {}

  stamp(): string {
    const period = Number.isFinite(this.ttlMs) ? Math.floor(Date.now() / this.ttlMs) : 0;
    return `v${this.version}:${period}:${this.today()}`;
  }

  /** After every change to events or registrations (and whenever the whole app's data is invalidated). */
  changed(): void {
    this.version += 1;
    this.entries.clear();
  }

  /** A value computed once per stamp (a failed load is not kept). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const stamp = this.stamp();
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { stamp, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  commitments(): Promise<CommitmentInfo[]> {
    return this.memo('commitments', () => findCommitments(this.db.kysely));
  }

  areas(): Promise<AreaInfo[]> {
    return this.memo('areas', () => findAreas(this.db.kysely));
  }

  organisations(): Promise<Map<string, Organisation>> {
    return this.memo('organisations', async () => new Map((await findOrganisations(this.db.kysely)).map((o) => [o.id, o])));
  }
}
