import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../adapters/azure/ttl-cache';

describe('TtlCache', () => {
  it('reuses a value within the TTL and loads again after it', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>(1_000, () => now);
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1_000;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    let loads = 0;
    const cache = new TtlCache<number>(1_000, () => 0);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual([1, 1]);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<number>(1_000, () => 0);
    await expect(cache.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });

  it('forgets a key on invalidate', async () => {
    const cache = new TtlCache<number>(1_000, () => 0);
    await cache.get('k', async () => 1);
    cache.invalidate('k');
    expect(await cache.get('k', async () => 2)).toBe(2);
  });
});
