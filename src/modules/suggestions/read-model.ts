import type { Db } from '../../platform/db/index.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import { findPublicSuggestions, type PublicSuggestion } from './queries.ts';
import { type AreaInfo, type CommitmentInfo, findAreas, findCommitments } from '../agreements/index.ts';

/** How many of a commitment's suggestions its page lists (the rest are a link away). */
export const SECTION_LIMIT = 10;

/**
 * What the public pages of suggestions read again and again (commitments, areas, organisations, each
 * commitment's published suggestions), kept between changes. The stamp changes at every change made
 * through this process, every new day, and (with a PostgreSQL server, where another process may
 * write) every few seconds; pages cached for anonymous visitors are keyed by it.
 */
export class SuggestionsReadModel {
  private version = 0;
  private readonly entries = new Map<string, { stamp: string; value: Promise<unknown> }>();

  constructor(
    private readonly db: Db,
    private readonly today: () => string,
    private readonly ttlMs = db.kind === 'pglite' ? Number.POSITIVE_INFINITY : 5_000,
  ) {}

  stamp(): string {
    const period = Number.isFinite(this.ttlMs) ? Math.floor(Date.now() / this.ttlMs) : 0;
    return `s${this.version}:${period}:${this.today()}`;
  }

  /** After every change to suggestions (and whenever the whole app's data is invalidated). */
  changed(): void {
    this.version += 1;
    this.entries.clear();
  }

  private memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const stamp = this.stamp();
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { stamp, value });
    // A failed load is not kept.
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

  /** The newest published suggestions on a commitment, and how many there are. */
  commitmentSuggestions(commitmentId: number): Promise<{ rows: PublicSuggestion[]; total: number }> {
    return this.memo(`commitment:${commitmentId}`, () => findPublicSuggestions(this.db.kysely, { commitmentIds: [commitmentId], limit: SECTION_LIMIT, offset: 0 }));
  }
}
