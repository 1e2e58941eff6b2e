// VMs that will not deallocate. A stop that has not taken effect is asked again every stop timeout
// (drains.ts), but Azure can keep a scale-set instance busy for hours (an operation that hangs, then
// fails, then hangs again). Meanwhile the node is running, Ready, empty and cordoned: paid for and of
// no use. After STOP_GIVE_UP_TIMEOUTS stop timeouts the node is given back: uncordoned (once no
// operation on its VM is in progress, runner/recheck.ts, so a late deallocate cannot kill the pods
// that land), remembered, and passed over by the scale-down for STOP_FAILURE_MS in favour of nodes
// whose VMs do stop.

import { formatDuration } from '../duration';
import { recentRefusal, type DrainMemory, type NodeMemory, type PoolRefusalMemory } from '../memory';
import type { NodePolicy } from '../policy';
import { iso } from '../planner';
import type { NodeTick, Tracked } from './tick';

/** Stop timeouts (policy `stopTimeoutMs`, 10m by default) a stop is asked for before the node is given back. */
export const STOP_GIVE_UP_TIMEOUTS = 3;
/** How long a node given back goes after the other scale-down candidates. */
export const STOP_FAILURE_MS = 2 * 60 * 60_000;

export function stopGiveUpMs(policy: Pick<NodePolicy, 'stopTimeoutMs'>): number {
  return STOP_GIVE_UP_TIMEOUTS * policy.stopTimeoutMs;
}

/** When the node was given back after its VM would not stop, within STOP_FAILURE_MS of `now`. */
export function recentFailedStop(memory: NodeMemory, node: string, now: number): PoolRefusalMemory | undefined {
  return recentRefusal(memory.failedStops, node, now, STOP_FAILURE_MS);
}

/**
 * Whether the drain's stop has been asked for so long that the node is given back now (or was given
 * back, and its uncordon has not landed yet).
 */
export function stopGivenUp(tick: NodeTick, name: string, drain: DrainMemory): boolean {
  const { now } = tick.input;
  if (recentFailedStop(tick.memory, name, now)) return true;
  const first = drain.stopFirstRequestedAt;
  return first !== undefined && now - Date.parse(first) >= stopGiveUpMs(tick.policy);
}

/** Uncordons the node (unless it is already), forgets its drain and remembers why, so the scale-down drains others first. */
export function giveBack(tick: NodeTick, t: Tracked, drain: DrainMemory): void {
  const { now } = tick.input;
  const name = t.node.name;
  const failure =
    recentFailedStop(tick.memory, name, now) ??
    ({
      at: iso(now),
      reason: `deallocation asked since ${drain.stopFirstRequestedAt} (last ${drain.stopRequestedAt ?? 'refused'}) has not taken effect after ${formatDuration(stopGiveUpMs(tick.policy))}`,
    } satisfies PoolRefusalMemory);
  tick.memory.failedStops = { ...tick.memory.failedStops, [name]: failure };
  delete tick.memory.drains[name];
  if (!t.node.cordoned) {
    // Uncordoned already (and not Ready, or it would not be on its way down: state.ts): nothing is
    // handed back but the drain's slot, which it would otherwise hold until its VM shows stopped.
    tick.setState(t, t.node.ready ? 'running' : 'not-ready');
    tick.notes.push(
      `node ${name}: its VM will not deallocate (${failure.reason}) and it is not cordoned: the drain is over and its slot is free; other nodes are drained first for ${formatDuration(STOP_FAILURE_MS)}`,
    );
    return;
  }
  tick.setState(t, 'running');
  tick.act({
    type: 'uncordon',
    node: name,
    scaler: 'nodes',
    rule: 'stop-given-up',
    reason: `its VM will not deallocate: ${failure.reason}; uncordoned so its capacity serves rather than sit empty and billed, once no operation on the VM is in progress; other nodes are drained first for ${formatDuration(STOP_FAILURE_MS)}`,
  });
}
