// What the pools' VMs cost at the policy's prices (nodes.cost), for people: the status page and the
// simulation's report price VM-hours with the same function. A VM is billed unless it is deallocated
// (a starting, stopping or unready VM still runs up compute, as Azure bills it); a deallocated VM still
// pays for its OS disk. A pool with VMs and no price is named, never silently counted as free.
// No decision reads any of this.

import type { NodeCost } from './policy';
import type { NodeView } from './views';

/** VMs (or VM-hours) of one pool: billed (not deallocated) and deallocated. */
export interface PoolVms {
  billed: number;
  deallocated: number;
}

/** By agent pool name. */
export type VmsByPool = Record<string, PoolVms>;

/** What a node without a pool label is counted under. */
export const NO_POOL = '(no pool)';

/** The VMs of every pool as found, managed or not: every one costs money. */
export function vmsByPool(nodes: readonly Pick<NodeView, 'pool' | 'power'>[]): VmsByPool {
  const vms: VmsByPool = {};
  for (const node of nodes) {
    const pool = (vms[node.pool ?? NO_POOL] ??= { billed: 0, deallocated: 0 });
    if (node.power === 'deallocated') pool.deallocated++;
    else pool.billed++;
  }
  return vms;
}

export interface Priced {
  currency: string;
  /** Billed VMs at their pool's vmHour. */
  vms: number;
  /** Deallocated VMs at their pool's deallocatedDiskHour. */
  disks: number;
  total: number;
  /** Pools with VMs and no vmHour: their running VMs are not in the amounts. */
  unpriced: string[];
  /** Priced pools with deallocated VMs and no deallocatedDiskHour: their disks are not in the amounts. */
  unpricedDisks: string[];
}

/** VM-hours priced per pool (or VMs, for an amount per hour). */
export function priceVms(vms: Readonly<Record<string, PoolVms>>, prices: NodeCost): Priced {
  let compute = 0;
  let disks = 0;
  const unpriced: string[] = [];
  const unpricedDisks: string[] = [];
  for (const [pool, { billed, deallocated }] of Object.entries(vms)) {
    const vmPrice = prices.vmHour[pool];
    const diskPrice = prices.deallocatedDiskHour[pool];
    if (vmPrice !== undefined) compute += billed * vmPrice;
    else if (billed > 0 || deallocated > 0) unpriced.push(pool);
    if (diskPrice !== undefined) disks += deallocated * diskPrice;
    else if (deallocated > 0 && vmPrice !== undefined) unpricedDisks.push(pool);
  }
  return {
    currency: prices.currency,
    vms: compute,
    disks,
    total: compute + disks,
    unpriced: unpriced.sort(),
    unpricedDisks: unpricedDisks.sort(),
  };
}

/** A node-scaler tick's VMs per pool, at its time; `vms` is absent in samples stored before it was recorded. */
export interface VmSample {
  at: number;
  vms: VmsByPool | undefined;
}

export interface VmHours {
  /** VM-hours per pool over the covered time. */
  hours: VmsByPool;
  /** Per pool: the most VMs billed at once, and the most VMs the pool had at once (billed or not). */
  peak: Record<string, { billed: number; vms: number }>;
  /** Time the samples describe (each holds until the next, for at most `maxHoldMs`). */
  coveredMs: number;
  /** Time from the first sample to `until` that no sample describes: no tick ran, or its sample lacks VMs. */
  gapMs: number;
  /** Samples that carried VMs. */
  samples: number;
}

const HOUR = 3_600_000;

/**
 * Integrates the samples as a step function from the first to `until`: each sample's VMs hold until
 * the next sample, but for at most `maxHoldMs`, since without a tick nobody knows what ran; the rest of
 * a longer stretch is a gap, counted apart rather than guessed. Samples are sorted by time.
 */
export function integrateVms(samples: readonly VmSample[], until: number, maxHoldMs: number): VmHours {
  const hours: VmsByPool = {};
  const peak: VmHours['peak'] = {};
  let coveredMs = 0;
  let gapMs = 0;
  let counted = 0;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    if (sample.at > until) break;
    const end = Math.min(samples[i + 1]?.at ?? until, until);
    const span = Math.max(0, end - sample.at);
    const held = sample.vms === undefined ? 0 : Math.min(span, maxHoldMs);
    coveredMs += held;
    gapMs += span - held;
    if (sample.vms === undefined) continue;
    counted++;
    for (const [pool, vms] of Object.entries(sample.vms)) {
      const h = (hours[pool] ??= { billed: 0, deallocated: 0 });
      h.billed += (vms.billed * held) / HOUR;
      h.deallocated += (vms.deallocated * held) / HOUR;
      const p = (peak[pool] ??= { billed: 0, vms: 0 });
      p.billed = Math.max(p.billed, vms.billed);
      p.vms = Math.max(p.vms, vms.billed + vms.deallocated);
    }
  }
  return { hours, peak, coveredMs, gapMs, samples: counted };
}

/**
 * Static peak provisioning over the same time: each pool's peak of billed VMs running all of it, the
 * rest of its VMs deallocated. The simulation's static-peak strategy is the same thing sized from the
 * traffic's peak need; a live cluster knows only the peak it ran.
 */
export function staticPeakVmHours(peak: VmHours['peak'], coveredMs: number): VmsByPool {
  const hours: VmsByPool = {};
  for (const [pool, p] of Object.entries(peak))
    hours[pool] = { billed: (p.billed * coveredMs) / HOUR, deallocated: ((p.vms - p.billed) * coveredMs) / HOUR };
  return hours;
}

/** What `actual` saves against `baseline`, as an amount and a share of the baseline (undefined when it is 0). */
export function savings(baseline: number, actual: number): { amount: number; percent: number | undefined } {
  const amount = baseline - actual;
  return { amount, percent: baseline > 0 ? (amount / baseline) * 100 : undefined };
}

/**
 * How long a sample may stand for: twice the usual spacing of the samples (a tick missed now and then
 * is not a gap), at least `floorMs`. The spacing is the median, so a few long outages do not stretch it.
 */
export function maxHoldFor(samples: readonly { at: number }[], floorMs: number): number {
  const spacings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const d = samples[i]!.at - samples[i - 1]!.at;
    if (d > 0) spacings.push(d);
  }
  if (spacings.length === 0) return floorMs;
  spacings.sort((a, b) => a - b);
  return Math.max(floorMs, 2 * spacings[Math.floor(spacings.length / 2)]!);
}
