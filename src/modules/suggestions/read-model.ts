import type { Db } from '../../platform/db/index.ts';
import { ReadModelCache, ttlFor } from '../../platform/read-model.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import { findPublicSuggestions, type PublicSuggestion } from './queries.ts';
import { type AreaInfo, type CommitmentInfo, findAreas, findCommitments } from '../agreements/index.ts';

/** How many of a commitment's suggestions its page lists (the rest are a link away). */
const SECTION_LIMIT = 10;

/**
 * What the public pages of suggestions read again and again (commitments, areas, organisations, each
 * commitment's published suggestions), kept between changes. The stamp changes at every change made
 * through this process, every new day, and (with a PostgreSQL server, where another process may
 * write) every few seconds; pages cached for anonymous visitors are keyed by it.
 */
export class SuggestionsReadModel {
  private readonly cache: ReadModelCache;

  constructor(
    private readonly db: Db,
    today: () => string,
    ttlMs = ttlFor(db),
  ) {
    this.cache = new ReadModelCache({ name: 'suggestions', ttlMs, parts: today });
  }

  stamp(): string {
    return this.cache.stamp();
  }

  /** After every change to suggestions (and whenever the whole app's data is invalidated). */
  changed(): void {
    this.cache.invalidate();
  }

  commitments(): Promise<CommitmentInfo[]> {
    return this.cache.memo('commitments', () => findCommitments(this.db.kysely));
  }

  areas(): Promise<AreaInfo[]> {
    return this.cache.memo('areas', () => findAreas(this.db.kysely));
  }

  organisations(): Promise<Map<string, Organisation>> {
    return this.cache.memo('organisations', async () => new Map((await findOrganisations(this.db.kysely)).map((o) => [o.id, o])));
  }

  /** The newest published suggestions on a commitment, and how many there are. */
  commitmentSuggestions(commitmentId: number): Promise<{ rows: PublicSuggestion[]; total: number }> {
    return this.cache.memo(`commitment:${commitmentId}`, () => findPublicSuggestions(this.db.kysely, { commitmentIds: [commitmentId], limit: SECTION_LIMIT, offset: 0 }));
  }
}
