// Every pool's VMs in the node samples, for the cost over time (page/cost.ts). They change a few dozen
// times a day while a sample is taken every minute, so a sample stores them only when they changed
// since the previous one: a day's history keeps its length within the status ConfigMap's byte budget.
// The first sample kept always carries them (dropping older samples moves them forward), and reading
// fills them in, so every sample read carries the VMs from the first one that recorded them on.

import type { VmsByPool } from '../core/cost';
import type { NodeSample } from './history-records';

type Pairs = NonNullable<NodeSample['vms']>;

export function vmPairs(vms: VmsByPool): Pairs {
  const pairs: Pairs = {};
  for (const [pool, v] of Object.entries(vms)) pairs[pool] = [v.billed, v.deallocated];
  return pairs;
}

/** The VMs in force at the end of `samples`: those of the last sample that stored them. */
function lastVms(samples: readonly NodeSample[]): Pairs | undefined {
  for (let i = samples.length - 1; i >= 0; i--) {
    const vms = samples[i]!.vms;
    if (vms !== undefined) return vms;
  }
  return undefined;
}

function samePairs(a: Pairs, b: Pairs): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k] !== undefined && a[k]![0] === b[k]![0] && a[k]![1] === b[k]![1]);
}

/** `samples` with `sample` appended, storing `vms` only when they differ from those in force. */
export function appendSample(samples: readonly NodeSample[], sample: NodeSample, vms: VmsByPool | undefined): NodeSample[] {
  if (vms === undefined) return [...samples, sample];
  const pairs = vmPairs(vms);
  const before = lastVms(samples);
  return [...samples, before !== undefined && samePairs(before, pairs) ? sample : { ...sample, vms: pairs }];
}

/** The samples from `start` on, the first one carrying the VMs in force at it. */
export function samplesFrom(samples: readonly NodeSample[], start: number): NodeSample[] {
  const kept = samples.slice(Math.max(0, start));
  const head = kept[0];
  if (head === undefined || head.vms !== undefined || start <= 0) return kept;
  const vms = lastVms(samples.slice(0, start));
  if (vms !== undefined) kept[0] = { ...head, vms };
  return kept;
}

/** Every sample after the first that stored VMs carries those in force at it. */
export function fillVms(samples: readonly NodeSample[]): NodeSample[] {
  let current: Pairs | undefined;
  return samples.map((s) => {
    if (s.vms !== undefined) current = s.vms;
    return s.vms === undefined && current !== undefined ? { ...s, vms: current } : s;
  });
}
