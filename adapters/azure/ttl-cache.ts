// A per-adapter cache of lookups that change rarely (the cluster's node resource group, a pool's
// scale-down mode): one tick that stops three nodes asks ARM once, and a setting an operator changes
// is seen within the TTL. Concurrent misses share one request; failures are not cached.

export class TtlCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit !== undefined && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    const entry = { at: this.now(), value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }
}
