// A three-way merge of memory, for a save that lost the optimistic-concurrency race (409): another
// tick or an override was written after this tick loaded memory. Taking either side whole loses the
// other's entries (a start remembered by one tick, a pool growth by the other, and the next tick would
// start the VM or grow the pool again). So this tick's own changes — the difference between what it
// loaded and what it wants — are applied, entry by entry, to what is stored now.

import type { Memory, Recommendation } from '../core/memory';

/**
 * `base`: what this tick loaded; `mine`: what it wants to store; `theirs`: what is stored now.
 * Overrides belong to people: theirs are kept, minus those expired at `now`.
 */
export function mergeMemory(base: Memory, mine: Memory, theirs: Memory, now: number): Memory {
  const workers: Memory['workers'] = mergeRecord(base.workers, mine.workers, theirs.workers, (b, m, t) => ({
    recommendations: mergeList(b?.recommendations ?? [], m.recommendations, t?.recommendations ?? [], byTime),
    ...scalar('lastScale', b?.lastScale, m.lastScale, t?.lastScale),
  }));
  return {
    version: 1,
    nodes: {
      recommendations: mergeList(base.nodes.recommendations, mine.nodes.recommendations, theirs.nodes.recommendations, byTime),
      drains: mergeRecord(base.nodes.drains, mine.nodes.drains, theirs.nodes.drains),
      starting: mergeRecord(base.nodes.starting, mine.nodes.starting, theirs.nodes.starting),
      provisioning: mergeList(base.nodes.provisioning, mine.nodes.provisioning, theirs.nodes.provisioning, (a, b) =>
        a.since.localeCompare(b.since),
      ),
      ...optionalRecord('refusedPools', base.nodes.refusedPools, mine.nodes.refusedPools, theirs.nodes.refusedPools),
      ...optionalRecord('failedStarts', base.nodes.failedStarts, mine.nodes.failedStarts, theirs.nodes.failedStarts),
      ...optionalRecord('failedStops', base.nodes.failedStops, mine.nodes.failedStops, theirs.nodes.failedStops),
      ...optionalRecord('demand', base.nodes.demand, mine.nodes.demand, theirs.nodes.demand),
      ...scalar('lastScaleUp', base.nodes.lastScaleUp, mine.nodes.lastScaleUp, theirs.nodes.lastScaleUp),
      ...scalar('lastScaleDown', base.nodes.lastScaleDown, mine.nodes.lastScaleDown, theirs.nodes.lastScaleDown),
    },
    workers,
    descheduler: {
      recentEvictions: mergeList(
        base.descheduler.recentEvictions,
        mine.descheduler.recentEvictions,
        theirs.descheduler.recentEvictions,
        (a, b) => a.at.localeCompare(b.at),
      ),
    },
    overrides: theirs.overrides.filter((o) => Date.parse(o.expiresAt) > now),
  };
}

/** An optional record merged like any other; left out when the merge leaves it empty. */
function optionalRecord<K extends string, T>(
  key: K,
  base: Readonly<Record<string, T>> | undefined,
  mine: Readonly<Record<string, T>> | undefined,
  theirs: Readonly<Record<string, T>> | undefined,
): Partial<Record<K, Record<string, T>>> {
  const merged = mergeRecord(base ?? {}, mine ?? {}, theirs ?? {});
  return Object.keys(merged).length > 0 ? ({ [key]: merged } as Partial<Record<K, Record<string, T>>>) : {};
}

const byTime = (a: Recommendation, b: Recommendation) => a.at.localeCompare(b.at);

/**
 * Per key: unchanged by this tick → theirs; added or changed → mine (or `merge` of the three, for
 * entries with parts of their own); removed by this tick → removed.
 */
function mergeRecord<T>(
  base: Readonly<Record<string, T>>,
  mine: Readonly<Record<string, T>>,
  theirs: Readonly<Record<string, T>>,
  merge?: (b: T | undefined, m: T, t: T | undefined) => T,
): Record<string, T> {
  const out: Record<string, T> = { ...theirs };
  for (const key of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    const b = base[key];
    const m = mine[key];
    if (sameJson(b, m)) continue;
    if (m === undefined) delete out[key];
    else out[key] = merge ? merge(b, m, theirs[key]) : m;
  }
  return out;
}

/** Entries (compared whole) this tick added are added to theirs, those it dropped are dropped. */
function mergeList<T>(base: readonly T[], mine: readonly T[], theirs: readonly T[], order: (a: T, b: T) => number): T[] {
  const key = (x: T) => canonical(x);
  const baseKeys = new Set(base.map(key));
  const mineKeys = new Set(mine.map(key));
  const dropped = new Set([...baseKeys].filter((k) => !mineKeys.has(k)));
  const out = theirs.filter((x) => !dropped.has(key(x)));
  const present = new Set(out.map(key));
  for (const x of mine) {
    const k = key(x);
    if (!baseKeys.has(k) && !present.has(k)) {
      out.push(x);
      present.add(k);
    }
  }
  return out.sort(order);
}

/** A time this tick set wins (the later one, if both moved it); otherwise theirs stays. */
function scalar<K extends string>(
  name: K,
  base: string | undefined,
  mine: string | undefined,
  theirs: string | undefined,
): Partial<Record<K, string>> {
  let value = theirs;
  if (mine !== base) value = mine !== undefined && theirs !== undefined && theirs !== base && theirs > mine ? theirs : mine;
  return value === undefined ? {} : ({ [name]: value } as Partial<Record<K, string>>);
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with keys sorted, so that entries built in a different key order compare equal. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ) ?? 'undefined'
  );
}
