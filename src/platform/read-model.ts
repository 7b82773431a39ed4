/**
 * The cache under every module's read model: what public pages read again and again, loaded once
 * and kept while nothing changes.
 *
 * Everything held is held under a stamp, `name:version:period[:parts]`:
 * - the version moves on at every change made through this process (`invalidate()`, which the
 *   module calls after its writes and whenever the whole app's data is invalidated);
 * - the period moves on every `ttlMs`, where another process may write (a PostgreSQL server), so no
 *   copy outlives a change made elsewhere by longer; on the embedded database it never does;
 * - `parts` adds what else the values depend on (today's date, for pages that show what is coming);
 * - a value may say when it changes by itself (`until`): at that instant the version moves on too.
 * Pages cached for anonymous visitors are keyed by the same stamp, so they go when the data does.
 *
 * A value is loaded once per stamp: whoever asks while it loads waits for the same load, and a load
 * that fails is not kept (the next call tries again). When the stamp moves on, everything held under
 * the old one is dropped at once.
 */

/** How long a copy may be kept by default where another process may write. */
const SERVER_TTL_MS = 5_000;

/** The ttl of a database: forever on the embedded one (every write happens here), a few seconds on a server. */
export function ttlFor(db: { kind: 'pglite' | 'postgres' }, serverMs = SERVER_TTL_MS): number {
  return db.kind === 'pglite' ? Number.POSITIVE_INFINITY : serverMs;
}

export interface ReadModelCacheOptions {
  /** Begins the stamp, so that the stamps of two read models never look alike. */
  name: string;
  /** How long a copy is kept at most (see ttlFor); never expires by time when infinite (the default). */
  ttlMs?: number;
  /** What else the values depend on, as part of the stamp (e.g. today's date). */
  parts?: () => string;
  /** The clock, in milliseconds, for ttlMs and `until`. */
  now?: () => number;
  /** How many values are kept at most; the least recently used goes first. */
  limit?: number;
}

export interface MemoOptions<T> {
  /** When the value changes by itself (e.g. a counted event starts): the stamp moves on then. */
  until?: (value: T) => Date | number | null | undefined;
}

export class ReadModelCache {
  private readonly name: string;
  private readonly ttlMs: number;
  private readonly parts: (() => string) | undefined;
  private readonly now: () => number;
  private readonly limit: number;
  private version = 0;
  /** When a value held changes by itself next. */
  private due = Number.POSITIVE_INFINITY;
  private held: { stamp: string; values: Map<string, Promise<unknown>> } = { stamp: '', values: new Map() };
  private period = 0;
  private lastStamp = { version: -1, period: -1, parts: '', value: '' };

  constructor(options: ReadModelCacheOptions) {
    this.name = options.name;
    this.ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY;
    this.parts = options.parts;
    this.now = options.now ?? Date.now;
    this.limit = options.limit ?? 1_000;
  }

  /** Changes whenever what is held may have changed; copies held, and pages cached under it, are good while it holds. */
  stamp(): string {
    // Asked several times a request: the clock only where it matters, the string only when it changes.
    const timed = Number.isFinite(this.ttlMs);
    if (timed || this.due !== Number.POSITIVE_INFINITY) {
      const now = this.now();
      if (now >= this.due) this.invalidate();
      if (timed) this.period = Math.floor(now / this.ttlMs);
    }
    const parts = this.parts ? this.parts() : '';
    const last = this.lastStamp;
    if (last.version !== this.version || last.period !== this.period || last.parts !== parts) {
      this.lastStamp = { version: this.version, period: this.period, parts, value: `${this.name}:${this.version}:${this.period}${this.parts ? `:${parts}` : ''}` };
    }
    return this.lastStamp.value;
  }

  /** After a change: everything held is dropped and the stamp moves on. */
  invalidate(): void {
    this.version += 1;
    this.due = Number.POSITIVE_INFINITY;
    this.held = { stamp: '', values: new Map() };
  }

  /** What `load` gives, loaded once for as long as the stamp holds. */
  memo<T>(key: string, load: () => Promise<T>, options: MemoOptions<T> = {}): Promise<T> {
    const stamp = this.stamp();
    if (this.held.stamp !== stamp) this.held = { stamp, values: new Map() };
    const held = this.held;
    const hit = held.values.get(key) as Promise<T> | undefined;
    if (hit) {
      held.values.delete(key);
      held.values.set(key, hit);
      return hit;
    }
    const value = load();
    held.values.set(key, value);
    if (held.values.size > this.limit) held.values.delete(held.values.keys().next().value as string);
    const { until } = options;
    value.then(
      (loaded) => {
        const at = until && this.held === held ? until(loaded) : undefined;
        if (at !== undefined && at !== null) this.due = Math.min(this.due, typeof at === 'number' ? at : at.getTime());
      },
      () => {
        if (held.values.get(key) === value) held.values.delete(key);
      },
    );
    return value;
  }
}
