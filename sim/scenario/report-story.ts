// The comparison's result in words, for the first paragraph of the report and the top of the
// terminal output: what graceful-scaler used against static peak and the oracle, what it cost and
// saved, what it interrupted and how long work waited; then each strategy that used fewer node-hours
// and what it paid for them. Every figure is the run's own (the same ones the tables show).

import type { NodeCost } from '../../core/policy';
import { costOf, formatMoney } from './money';
import type { SimulationResult } from './simulation';
import { STATIC_PEAK } from './tables';

function hours(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "nothing" or "311 BG jobs and 1 batch Job". */
export function interruptedText(r: SimulationResult): string {
  const parts: string[] = [];
  if (r.bgJobsInterrupted > 0) parts.push(count(r.bgJobsInterrupted, 'BG job'));
  if (r.batchJobsInterrupted > 0) parts.push(count(r.batchJobsInterrupted, 'batch Job'));
  return parts.length === 0 ? 'nothing' : parts.join(' and ');
}

function interruptions(r: SimulationResult): number {
  return r.bgJobsInterrupted + r.batchJobsInterrupted;
}

/** The report's first paragraph: the result in words and money (empty without results). */
export function resultInWords(results: readonly SimulationResult[], prices: NodeCost | undefined): string {
  const graceful = results[0];
  if (graceful === undefined) return '';
  const peak = results.find((r) => r.strategy === STATIC_PEAK && r !== graceful);
  const cost = (r: SimulationResult) => (prices === undefined ? 0 : costOf(r.poolHours, prices).total);
  const money = (amount: number) => formatMoney(amount, prices?.currency ?? '');
  const days = graceful.days % 1 === 0 ? graceful.days.toFixed(0) : graceful.days.toFixed(1);

  let first = `Over ${days} simulated day${graceful.days === 1 ? '' : 's'}, ${graceful.strategy} used ${hours(graceful.userNodeHours)} user node-hours`;
  if (peak !== undefined && peak.userNodeHours > 0)
    first += `, ${percent(graceful.userNodeHours, peak.userNodeHours)} of static peak's ${hours(peak.userNodeHours)}`;
  if (graceful.oracle.userNodeHours > 0)
    first += ` (${(graceful.userNodeHours / graceful.oracle.userNodeHours).toFixed(2)}× the oracle lower bound of ${hours(graceful.oracle.userNodeHours)})`;
  if (prices !== undefined) {
    first += `, and cost ${money(cost(graceful))}`;
    if (peak !== undefined) {
      const saved = cost(peak) - cost(graceful);
      first += `: ${money(saved)} saved against static peak (${percent(saved, cost(peak))})`;
    }
  }
  const sentences = [`${first}.`];
  sentences.push(
    `It interrupted ${interruptedText(graceful)}; no pod waited longer than ${graceful.maxPendingMinutes.toFixed(1)} min for a node, ` +
      `and BG jobs waited ${graceful.bgWaitP95Seconds.toFixed(0)} s at the 95th percentile.`,
  );

  const others = results.filter((r) => r !== graceful && r !== peak);
  for (const r of others.filter((o) => o.userNodeHours < graceful.userNodeHours)) {
    let used = `${hours(r.userNodeHours)} user node-hours`;
    if (prices !== undefined) used += peak !== undefined ? `, ${money(cost(peak) - cost(r))} saved` : `, ${money(cost(r))}`;
    let price: string;
    if (interruptions(r) > 0) price = `but interrupted ${interruptedText(r)}`;
    else {
      const worse: string[] = [];
      if (r.bgWaitP95Seconds > graceful.bgWaitP95Seconds)
        worse.push(`its BG jobs waited ${r.bgWaitP95Seconds.toFixed(0)} s at the 95th percentile`);
      if (r.maxPendingMinutes > graceful.maxPendingMinutes) worse.push(`a pod waited up to ${r.maxPendingMinutes.toFixed(1)} min`);
      price = worse.length > 0 ? `and interrupted nothing, but ${worse.join(' and ')}` : 'with no interruption and no longer waits';
    }
    sentences.push(`${r.strategy} used less (${used}) ${price}.`);
  }
  const more = others.filter((o) => o.userNodeHours >= graceful.userNodeHours);
  // Semicolons: a strategy's name may hold a comma ("CA-like, never interrupting").
  if (more.length > 0) sentences.push(`Used more node-hours: ${more.map((r) => r.strategy).join('; ')}.`);
  return sentences.join(' ');
}
