import type { Db } from '../../platform/db/index.ts';
import { ReadModelCache, ttlFor } from '../../platform/read-model.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import { type AreaInfo, type CommitmentInfo, findAreas, findCommitments } from '../agreements/index.ts';

/**
 * What the events pages read again and again, kept between changes. The stamp changes at every change
 * made through this process, every new day, and (with a PostgreSQL server, where another process may
 * write) every few seconds; pages and feeds cached for anonymous visitors are keyed by it.
 */
export class EventsReadModel {
  private readonly cache: ReadModelCache;

  constructor(
    private readonly db: Db,
    today: () => string,
    ttlMs = ttlFor(db),
  ) {
    this.cache = new ReadModelCache({ name: 'events', ttlMs, parts: today });
  }

  stamp(): string {
    return this.cache.stamp();
  }

  /** After every change to events or registrations (and whenever the whole app's data is invalidated). */
  changed(): void {
    this.cache.invalidate();
  }

  /** A value computed once per stamp (a failed load is not kept). */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.memo(key, load);
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
