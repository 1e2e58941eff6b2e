// The comparison's tables, as columns over the runs' results: one set of definitions for the
// terminal (plain text) and the HTML report.

import type { NodeCost } from '../../core/policy';
import { REASONS, type Reason } from './attribution';
import { costOf, formatMoney } from './money';
import type { SimulationResult } from './simulation';

export interface Column {
  title: string;
  value: (r: SimulationResult) => string;
}

export const STATIC_PEAK = 'static peak';

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(0)}%` : '-';
}

export const SUMMARY_COLUMNS: readonly Column[] = [
  { title: 'strategy', value: (r) => r.strategy },
  { title: 'node-h', value: (r) => r.nodeHours.toFixed(0) },
  { title: 'user node-h', value: (r) => r.userNodeHours.toFixed(0) },
  { title: '% of oracle', value: (r) => pct(r.userNodeHours, r.oracle.userNodeHours) },
  { title: 'peak nodes', value: (r) => String(r.peakNodes) },
  { title: 'pod-min pending', value: (r) => r.podMinutesPending.toFixed(0) },
  { title: 'max pending min', value: (r) => r.maxPendingMinutes.toFixed(1) },
  { title: 'BG wait p50 s', value: (r) => r.bgWaitP50Seconds.toFixed(0) },
  { title: 'BG wait p95 s', value: (r) => r.bgWaitP95Seconds.toFixed(0) },
  { title: 'batch interrupted', value: (r) => String(r.batchJobsInterrupted) },
  { title: 'BG jobs interrupted', value: (r) => String(r.bgJobsInterrupted) },
  { title: 'evictions', value: (r) => String(r.evictions) },
  { title: 'mem spread GiB', value: (r) => r.memorySpreadGiB.toFixed(1) },
];

export const CHURN_COLUMNS: readonly Column[] = [
  { title: 'strategy', value: (r) => r.strategy },
  { title: 'evictions drain/other', value: (r) => `${r.churn.drainEvictions}/${r.churn.otherEvictions}` },
  { title: 'drains', value: (r) => String(r.churn.drains) },
  { title: 'completed', value: (r) => String(r.churn.drainsCompleted) },
  { title: 'cancelled', value: (r) => String(r.churn.drainsCancelled) },
  {
    title: 'cancelled after evicting',
    value: (r) => `${r.churn.drainsCancelledAfterEvicting} (${pct(r.churn.drainsCancelledAfterEvicting, r.churn.drains)})`,
  },
  { title: 'restarted <1h', value: (r) => String(r.churn.drainsRestartedWithinHour) },
  { title: 'worker changes/day', value: (r) => (r.churn.workerReplicaChanges / r.days).toFixed(0) },
  { title: 'scale-downs below busy', value: (r) => String(r.churn.scaleDownsBelowBusy) },
  { title: 'busy workers signalled', value: (r) => String(r.churn.busyWorkersSignalled) },
];

/** Cost per strategy at the policy's prices, and what it saves against static peak provisioning (when that ran). */
export function moneyColumns(prices: NodeCost, results: readonly SimulationResult[]): Column[] {
  const peak = results.find((r) => r.strategy === STATIC_PEAK);
  const peakCost = peak === undefined ? undefined : costOf(peak.poolHours, prices).total;
  return [
    { title: 'strategy', value: (r) => r.strategy },
    { title: 'user node-h', value: (r) => r.userNodeHours.toFixed(0) },
    { title: '% of oracle', value: (r) => pct(r.userNodeHours, r.oracle.userNodeHours) },
    { title: 'VMs', value: (r) => formatMoney(costOf(r.poolHours, prices).vms, prices.currency) },
    { title: 'stopped disks', value: (r) => formatMoney(costOf(r.poolHours, prices).disks, prices.currency) },
    { title: 'cost', value: (r) => formatMoney(costOf(r.poolHours, prices).total, prices.currency) },
    {
      title: 'saved vs static peak',
      value: (r) => {
        if (peakCost === undefined) return '-';
        const saved = peakCost - costOf(r.poolHours, prices).total;
        return `${formatMoney(saved, prices.currency)} (${pct(saved, peakCost)})`;
      },
    },
  ];
}

export const REASON_TEXT: Record<Reason, string> = {
  needed: 'needed by the pods (at their requests)',
  headroom: 'policy headroom (targetPodsPerNode above the fit)',
  schedule: 'schedule minimums',
  draining: 'held by draining work (cordoned, still billed)',
  delay: 'scale-down delay (unneeded, in the stabilisation window)',
  early: 'started early (needed within 30 minutes)',
  other: 'above desired, not draining, past the delay (scale-down held back)',
};

/** Where a run's user node-hours went, one line per reason. */
export function attributionLines(r: SimulationResult): string[] {
  const width = Math.max(...REASONS.map((k) => REASON_TEXT[k].length));
  return REASONS.map(
    (k) =>
      `  ${REASON_TEXT[k].padEnd(width)}  ${r.attribution[k].toFixed(0).padStart(6)} node-h  ${pct(r.attribution[k], r.userNodeHours).padStart(4)}`,
  );
}

export function textTable(columns: readonly Column[], results: readonly SimulationResult[]): string {
  const rows = [columns.map((c) => c.title), ...results.map((r) => columns.map((c) => c.value(r)))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function summaryTable(results: readonly SimulationResult[]): string {
  return textTable(SUMMARY_COLUMNS, results);
}
