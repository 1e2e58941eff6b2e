// The descheduler reads its nodes in one order on every move: the most loaded, then the others from
// the least loaded up, only as far as a pod must look for a node with room (usually one). Sorting
// thousands of nodes on every move did far more than that: here the most loaded is found in one pass
// and the others come off a heap, taken only as far as they are read.

import { byName } from './cluster';
import { Heap } from './heap';

export interface Loaded {
  load: number;
  /** The node's number in the cluster index. */
  at: number;
  node: { name: string };
}

/** Most loaded first; equal loads in name order. */
export const heavierFirst = (a: Loaded, b: Loaded): number => b.load - a.load || byName(a.node.name, b.node.name);

/** The same order where node numbers follow names (ClusterIndex.numberedByName). */
const heavierFirstByNumber = (a: Loaded, b: Loaded): number => b.load - a.load || a.at - b.at;

export interface LoadOrder<B extends Loaded> {
  readonly heaviest: B;
  /** The k-th least loaded of the others (0: the least loaded of all), or undefined past the last. */
  lighter(k: number): B | undefined;
}

/**
 * `bins` in heavierFirst order, as far as it is read. The heap answers what a full sort answers only
 * when the order is strict: no two nodes share a name (numbers in name order say so) and no load is
 * NaN (which compares as equal to everything). Otherwise `bins` is sorted in place, as it always was.
 */
export function orderByLoad<B extends Loaded>(bins: B[], numberedByName: boolean): LoadOrder<B> {
  if (!numberedByName || bins.some((b) => Number.isNaN(b.load))) return sortedOrder(bins);
  let heaviest = 0;
  for (let k = 1; k < bins.length; k++) if (heavierFirstByNumber(bins[k]!, bins[heaviest]!) < 0) heaviest = k;
  // The heaviest is the last this heap would give: the others are all taken before it.
  const lightFirst = new Heap(bins, (a, b) => heavierFirstByNumber(b, a));
  return taken(bins[heaviest]!, bins.length - 1, () => lightFirst.take());
}

function sortedOrder<B extends Loaded>(bins: B[]): LoadOrder<B> {
  bins.sort(heavierFirst);
  let next = bins.length - 1;
  return taken(bins[0]!, bins.length - 1, () => bins[next--]);
}

/** The others, `count` of them, as `next` gives them lightest first, kept as they are read. */
function taken<B extends Loaded>(heaviest: B, count: number, next: () => B | undefined): LoadOrder<B> {
  const read: B[] = [];
  return {
    heaviest,
    lighter(k: number): B | undefined {
      if (k >= count) return undefined;
      while (read.length <= k) read.push(next()!);
      return read[k];
    },
  };
}
