import { describe, expect, it } from 'vitest';
import { ReadModelCache, ttlFor } from './read-model.ts';

/** A load that counts its calls and resolves (or fails) when told. */
function loader<T>() {
  let calls = 0;
  const pending: { resolve: (value: T) => void; reject: (error: Error) => void }[] = [];
  return {
    load: () => {
      calls += 1;
      return new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
    },
    calls: () => calls,
    resolve: (value: T) => pending.shift()?.resolve(value),
    reject: (error: Error) => pending.shift()?.reject(error),
  };
}

describe('the read-model cache', () => {
  it('loads a value once per stamp, and every caller meanwhile waits for the same load', async () => {
    const cache = new ReadModelCache({ name: 'test' });
    const l = loader<number>();
    const first = cache.memo('a', l.load);
    const second = cache.memo('a', l.load);
    expect(second).toBe(first);
    expect(l.calls()).toBe(1);
    l.resolve(1);
    expect(await first).toBe(1);
    expect(await cache.memo('a', l.load)).toBe(1);
    // Another key is another value.
    const other = cache.memo('b', l.load);
    l.resolve(2);
    expect(await other).toBe(2);
    expect(l.calls()).toBe(2);
  });

  it('drops everything held at a change, and the stamp moves on', async () => {
    const cache = new ReadModelCache({ name: 'test' });
    let n = 0;
    const load = async () => ++n;
    expect(await cache.memo('a', load)).toBe(1);
    const stamp = cache.stamp();
    expect(cache.stamp()).toBe(stamp);
    cache.invalidate();
    expect(cache.stamp()).not.toBe(stamp);
    expect(await cache.memo('a', load)).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const cache = new ReadModelCache({ name: 'test' });
    const l = loader<number>();
    const failing = cache.memo('a', l.load);
    l.reject(new Error('down'));
    await expect(failing).rejects.toThrow('down');
    const again = cache.memo('a', l.load);
    expect(l.calls()).toBe(2);
    l.resolve(3);
    expect(await again).toBe(3);
  });

  it('does not let a failed load from before a change drop the value loaded since', async () => {
    const cache = new ReadModelCache({ name: 'test' });
    const l = loader<number>();
    const before = cache.memo('a', l.load);
    cache.invalidate();
    const after = cache.memo('a', l.load);
    l.reject(new Error('old'));
    await expect(before).rejects.toThrow('old');
    l.resolve(4);
    expect(await after).toBe(4);
    expect(cache.memo('a', l.load)).toBe(after);
    expect(l.calls()).toBe(2);
  });

  it('keeps copies for ttlMs at most, by its clock', async () => {
    let now = 0;
    const cache = new ReadModelCache({ name: 'test', ttlMs: 5_000, now: () => now });
    let n = 0;
    const load = async () => ++n;
    expect(await cache.memo('a', load)).toBe(1);
    const stamp = cache.stamp();
    now = 4_999;
    expect(cache.stamp()).toBe(stamp);
    expect(await cache.memo('a', load)).toBe(1);
    now = 5_000;
    expect(cache.stamp()).not.toBe(stamp);
    expect(await cache.memo('a', load)).toBe(2);
  });

  it('puts its name and parts into the stamp, and moves on when a part does', async () => {
    let today = '2026-06-15';
    const cache = new ReadModelCache({ name: 'events', parts: () => today });
    expect(cache.stamp()).toBe('events:0:0:2026-06-15');
    let n = 0;
    const load = async () => ++n;
    expect(await cache.memo('a', load)).toBe(1);
    today = '2026-06-16';
    expect(cache.stamp()).toBe('events:0:0:2026-06-16');
    expect(await cache.memo('a', load)).toBe(2);
    expect(new ReadModelCache({ name: 'other' }).stamp()).toBe('other:0:0');
  });

  it('moves on by itself when a value held says it changes', async () => {
    let now = 1_000;
    const cache = new ReadModelCache({ name: 'test', now: () => now });
    let n = 0;
    const load = async () => ({ n: ++n, next: new Date(2_000) });
    expect((await cache.memo('counts', load, { until: (v) => v.next })).n).toBe(1);
    const stamp = cache.stamp();
    now = 1_999;
    expect(cache.stamp()).toBe(stamp);
    expect((await cache.memo('counts', load, { until: (v) => v.next })).n).toBe(1);
    now = 2_000;
    expect(cache.stamp()).not.toBe(stamp);
    // Once moved on, it holds again (no value has said when it changes next).
    const moved = cache.stamp();
    now = 3_000;
    expect(cache.stamp()).toBe(moved);
    // A value that does not change by itself sets nothing.
    await cache.memo('plain', async () => 0, { until: () => null });
    now = 1_000_000;
    expect(cache.stamp()).toBe(moved);
  });

  it('keeps the most recently used values within its limit', async () => {
    const cache = new ReadModelCache({ name: 'test', limit: 2 });
    let n = 0;
    const load = async () => ++n;
    await cache.memo('a', load);
    await cache.memo('b', load);
    await cache.memo('a', load);
    await cache.memo('c', load);
    expect(await cache.memo('a', load)).toBe(1);
    expect(await cache.memo('b', load)).toBe(4);
  });

  it('keeps copies forever on the embedded database, and a few seconds on a server', () => {
    expect(ttlFor({ kind: 'pglite' })).toBe(Number.POSITIVE_INFINITY);
    expect(ttlFor({ kind: 'postgres' })).toBe(5_000);
    expect(ttlFor({ kind: 'postgres' }, 60_000)).toBe(60_000);
  });
});
