// The cost tile's figures, for the page and for scripts (GET /api/dashboard/data, GET /api/status):
// what the pools' VMs cost per hour now, what they cost over the history the page shows (the node
// scaler's samples integrated, gaps left out and said), and what that saves against static peak
// provisioning over the same time; every figure with the prices, VMs and time it rests on, in words.
// Pure: core/cost.ts does the arithmetic, the simulation's report prices its VM-hours with it too.

import { integrateVms, maxHoldFor, priceVms, savings, staticPeakVmHours, type PoolVms, type VmSample, type VmsByPool } from '../core/cost';
import type { NodeCost, Policy } from '../core/policy';
import type { NodeSample } from '../runner/history-records';
import type { DashboardCost, PoolCost } from './model';
import { formatAmount, formatPercent, formatPrice } from './money';
import { span } from './span';

/** What the tile says when the policy gives no prices. */
export const COST_NOT_SET = 'Cost: add nodes.cost to the policy (a currency and a price per VM hour for each pool) to see it here.';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Amounts to the hundredth, hours to the thousandth (3.6 s): what a person or a script compares. */
const cents = (a: number) => Math.round(a * 100) / 100;
const hours = (h: number) => Math.round(h * 1000) / 1000;

export interface CostInputs {
  policy: Policy;
  /** Every pool's VMs as read now. */
  vmsNow: VmsByPool;
  /** The node scaler's samples, oldest first (the nodes chart's). */
  samples: readonly NodeSample[];
  /** The cluster's time, ISO 8601. */
  now: string;
}

export function dashboardCost({ policy, vmsNow, samples, now }: CostInputs): DashboardCost {
  const prices = policy.nodes?.cost;
  if (!prices) return { priced: false, text: COST_NOT_SET };
  const until = Date.parse(now);
  const timed: VmSample[] = samples
    .map((s) => ({ at: Date.parse(s.at), vms: fromPairs(s.vms) }))
    .filter((s) => Number.isFinite(s.at) && s.at <= until);
  // A sample stands for a tick; the node scaler ticks every minute unless told otherwise.
  const integrated = integrateVms(timed, until, maxHoldFor(timed, 2 * MINUTE));
  const pricedNow = priceVms(vmsNow, prices);
  const total = (vms: VmsByPool) => sum(Object.values(vms));
  const nowCounts = total(vmsNow);

  let window: Extract<DashboardCost, { priced: true }>['window'];
  let staticPeak: Extract<DashboardCost, { priced: true }>['staticPeak'];
  let saved: Extract<DashboardCost, { priced: true }>['saved'];
  const unpriced = new Set(pricedNow.unpriced);
  const unpricedDisks = new Set(pricedNow.unpricedDisks);
  if (timed.length > 0) {
    const spent = priceVms(integrated.hours, prices);
    const peakHours = staticPeakVmHours(integrated.peak, integrated.coveredMs);
    const peak = priceVms(peakHours, prices);
    for (const p of [...spent.unpriced, ...peak.unpriced]) unpriced.add(p);
    for (const p of [...spent.unpricedDisks, ...peak.unpricedDisks]) unpricedDisks.add(p);
    window = {
      from: new Date(timed[0]!.at).toISOString(),
      until: now,
      hours: hours(integrated.coveredMs / HOUR),
      gapHours: hours(integrated.gapMs / HOUR),
      samples: integrated.samples,
      amount: cents(spent.total),
      vms: cents(spent.vms),
      disks: cents(spent.disks),
    };
    if (integrated.coveredMs > 0) {
      const perHour = priceVms(staticPeakVmHours(integrated.peak, HOUR), prices).total;
      const { amount, percent } = savings(peak.total, spent.total);
      staticPeak = { amount: cents(peak.total), perHour: cents(perHour) };
      saved = { amount: cents(amount), percent: percent === undefined ? undefined : Math.round(percent * 10) / 10 };
    }
  }

  const pools = poolsOf(prices, vmsNow, integrated);
  return {
    priced: true,
    currency: prices.currency,
    now: {
      perHour: cents(pricedNow.total),
      vms: cents(pricedNow.vms),
      disks: cents(pricedNow.disks),
      billed: nowCounts.billed,
      deallocated: nowCounts.deallocated,
    },
    window,
    staticPeak,
    saved,
    pools,
    unpriced: [...unpriced].sort(),
    unpricedDisks: [...unpricedDisks].sort(),
    explanation: explain(prices, pools, pricedNow.total, window, staticPeak, saved, [...unpriced].sort(), [...unpricedDisks].sort()),
  };
}

function fromPairs(pairs: NodeSample['vms']): VmsByPool | undefined {
  if (typeof pairs !== 'object' || pairs === null) return undefined;
  const vms: VmsByPool = {};
  for (const [pool, pair] of Object.entries(pairs)) {
    // A hand-edited or foreign entry is not guessed at: the sample counts as a gap.
    if (!Array.isArray(pair) || !pair.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return undefined;
    vms[pool] = { billed: pair[0] ?? 0, deallocated: pair[1] ?? 0 };
  }
  return vms;
}

function sum(list: readonly PoolVms[]): PoolVms {
  return list.reduce((a, b) => ({ billed: a.billed + b.billed, deallocated: a.deallocated + b.deallocated }), {
    billed: 0,
    deallocated: 0,
  });
}

function poolsOf(prices: NodeCost, vmsNow: VmsByPool, integrated: ReturnType<typeof integrateVms>): PoolCost[] {
  const names = new Set([...Object.keys(vmsNow), ...Object.keys(integrated.hours)]);
  return [...names].sort().map((pool) => ({
    pool,
    vmHour: prices.vmHour[pool],
    deallocatedDiskHour: prices.deallocatedDiskHour[pool],
    billed: vmsNow[pool]?.billed ?? 0,
    deallocated: vmsNow[pool]?.deallocated ?? 0,
    billedHours: hours(integrated.hours[pool]?.billed ?? 0),
    deallocatedHours: hours(integrated.hours[pool]?.deallocated ?? 0),
    peakBilled: integrated.peak[pool]?.billed ?? 0,
    peakVms: integrated.peak[pool]?.vms ?? 0,
  }));
}

type Priced = Extract<DashboardCost, { priced: true }>;

/** The figures in words: which prices, how many VMs running and deallocated, over which time. */
function explain(
  prices: NodeCost,
  pools: readonly PoolCost[],
  perHour: number,
  window: Priced['window'],
  staticPeak: Priced['staticPeak'],
  saved: Priced['saved'],
  unpriced: readonly string[],
  unpricedDisks: readonly string[],
): string[] {
  const money = (a: number) => formatAmount(a, prices.currency);
  const at = (price: number | undefined) => (price === undefined ? 'no price' : formatPrice(price, prices.currency));
  const billed = pools.filter((p) => p.billed > 0);
  const deallocated = pools.filter((p) => p.deallocated > 0);
  const count = (list: readonly PoolCost[], key: 'billed' | 'deallocated') => list.reduce((n, p) => n + p[key], 0);
  const running = billed.length
    ? `${count(billed, 'billed')} VMs running (${billed.map((p) => `${p.pool} ${p.billed} at ${at(p.vmHour)}`).join(', ')})`
    : 'no VM running';
  const stopped = deallocated.length
    ? `${count(deallocated, 'deallocated')} deallocated (${deallocated.map((p) => `${p.pool} ${p.deallocated} at ${at(p.deallocatedDiskHour)} for the disk`).join(', ')})`
    : 'none deallocated';
  const lines = [`Now: ${running}, ${stopped}: ${money(perHour)} an hour.`];
  if (!window) lines.push('So far: no node samples yet (the node scaler records one per tick).');
  else if (window.samples === 0)
    lines.push(
      `So far: the ${minutes(window.hours + window.gapHours)} of samples kept were stored without VMs per pool; the cost over time starts with the next node tick.`,
    );
  else {
    const gap = window.gapHours > 0 ? `; ${minutes(window.gapHours)} with no sample of the VMs, not counted` : '';
    lines.push(
      `So far: ${money(window.amount)} over ${minutes(window.hours)}, the time the node scaler's ${window.samples} samples cover (the history this page shows)${gap}.`,
    );
  }
  if (staticPeak && saved) {
    const peaks = pools.filter((p) => p.peakVms > 0).map((p) => `${p.pool} ${p.peakBilled}`);
    const share = saved.percent === undefined ? '' : ` (${formatPercent(saved.percent)})`;
    lines.push(
      `Static peak: each pool's most VMs running at once in that time (${peaks.join(', ')}) running all of it, its other VMs deallocated: ${money(staticPeak.amount)}, ${money(staticPeak.perHour)} an hour; ${money(saved.amount)} saved${share}.`,
    );
  }
  if (unpriced.length) lines.push(`Not priced, counted as 0: pool ${unpriced.join(', ')} (add it to nodes.cost.vmHour).`);
  if (unpricedDisks.length)
    lines.push(`Disks of deallocated VMs not priced, counted as 0: pool ${unpricedDisks.join(', ')} (nodes.cost.deallocatedDiskHour).`);
  return lines;
}

function minutes(h: number): string {
  return span(h * HOUR);
}
