// VMs that would not start: a start refused or failed by Azure, or one that never made the node
// Ready (an operation hung, the node never joined). Such a VM is passed over for a while in favour of
// the other stopped VMs, so one stuck VM does not keep pods pending tick after tick; it is still
// started when no other stopped VM is left. And a start that is taking far longer than a start takes
// is not waited for while pods are pending: another VM is started beside it.

import { formatDuration } from '../duration';
import { recentRefusal, type NodeMemory, type PoolRefusalMemory } from '../memory';
import { iso, plural } from '../planner';
import type { NodeTick } from './tick';

/** How long a VM whose start failed goes after the other stopped VMs. */
export const START_FAILURE_MS = 30 * 60_000;

export function rememberFailedStart(memory: NodeMemory, node: string, now: number, reason: string): void {
  memory.failedStarts = { ...memory.failedStarts, [node]: { at: iso(now), reason } };
}

/** When the node's VM last failed to start, within START_FAILURE_MS of `now`; undefined otherwise. */
export function recentFailedStart(memory: NodeMemory, node: string, now: number): PoolRefusalMemory | undefined {
  return recentRefusal(memory.failedStarts, node, now, START_FAILURE_MS);
}

/** `(its start failed 19:13Z: …)`-style words for a reason, naming how long the VM is passed over. */
export function describeFailedStart(failure: { at: string; reason: string }): string {
  return `its start failed at ${failure.at} (${failure.reason}); passed over for ${formatDuration(START_FAILURE_MS)} when another stopped VM is left`;
}

/**
 * A deallocated AKS node is Ready a minute or two after its VM is started. One still not Ready after
 * this long is likely stuck (an operation hung in Azure, the node never joined); it stays remembered
 * until the start timeout, but while pods wait for room it is not counted as on its way, so another
 * VM is started beside it rather than leaving the pods pending for the whole timeout.
 */
export const SLOW_START_MS = 3 * 60_000;

export interface OverdueStart {
  node: string;
  since: string;
  /** When its VM was seen still deallocated with an operation in progress (StartMemory.stalled). */
  stalled?: string;
}

/**
 * Nodes not Ready yet whose start is overdue, oldest first: started at least SLOW_START_MS ago, or
 * seen stalled by the runner (the VM still deallocated with an operation in progress a minute after
 * the start: the operation hangs, and waiting the rest of SLOW_START_MS kept pods pending past four
 * minutes in the fault soak).
 */
export function overdueStarts(tick: NodeTick): OverdueStart[] {
  const { now } = tick.input;
  const overdue: OverdueStart[] = [];
  for (const t of tick.tracked) {
    if (t.state !== 'starting') continue;
    const start = tick.memory.starting[t.node.name];
    if (start && (start.stalled !== undefined || now - Date.parse(start.since) >= SLOW_START_MS))
      overdue.push({ node: t.node.name, since: start.since, ...(start.stalled !== undefined ? { stalled: start.stalled } : {}) });
  }
  return overdue.sort((a, b) => a.since.localeCompare(b.since));
}

export function describeOverdue(overdue: readonly OverdueStart[], pending: number): string {
  const names = overdue
    .map((o) => `${o.node} (started ${o.since}${o.stalled ? `; still deallocated with an operation in progress at ${o.stalled}` : ''})`)
    .join(', ');
  const stalled = overdue.some((o) => o.stalled !== undefined) ? 'stalled in Azure or ' : '';
  return `${plural(overdue.length, 'start')} ${stalled}not Ready after ${formatDuration(SLOW_START_MS)} not counted as on the way while ${plural(pending, 'pod')} wait: ${names}`;
}

/**
 * One stopped VM more beside the replacements of overdue starts when one of them is seen stalled in
 * Azure (its operation hangs), while a stopped VM is left and the maximum allows. A start that hangs
 * tells of trouble in Azure that a second start often meets too: the fault soak found a pod waiting
 * over four minutes behind a hung start, a replacement that hung as well and a crashed tick between
 * them. A start that is merely slow gets its replacement only: where VMs routinely take longer than
 * SLOW_START_MS, a spare on every start would be a node more each morning. A spare that came up
 * needlessly is drained like any unneeded node; it is never a new VM (a pool grown for a spare would
 * come too late to matter).
 */
export function spareBesideOverdue(desired: number, have: number, overdue: readonly OverdueStart[], stopped: number, max: number): number {
  if (!overdue.some((o) => o.stalled !== undefined)) return 0;
  const replacements = desired - have;
  return stopped > replacements && desired + overdue.length < max ? 1 : 0;
}

export const SPARE_TEXT = 'one stopped VM more as a spare, as a start that hung once may hang again';
