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

/** Nodes started at least SLOW_START_MS ago and not Ready yet, oldest first. */
export function overdueStarts(tick: NodeTick): { node: string; since: string }[] {
  const { now } = tick.input;
  const overdue: { node: string; since: string }[] = [];
  for (const t of tick.tracked) {
    if (t.state !== 'starting') continue;
    const start = tick.memory.starting[t.node.name];
    if (start && now - Date.parse(start.since) >= SLOW_START_MS) overdue.push({ node: t.node.name, since: start.since });
  }
  return overdue.sort((a, b) => a.since.localeCompare(b.since));
}

export function describeOverdue(overdue: readonly { node: string; since: string }[], pending: number): string {
  const names = overdue.map((o) => `${o.node} (started ${o.since})`).join(', ');
  return `${plural(overdue.length, 'start')} not Ready after ${formatDuration(SLOW_START_MS)} not counted as on the way while ${plural(pending, 'pod')} wait: ${names}`;
}
