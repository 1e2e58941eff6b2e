// Down slow: once the stabilisation window allows fewer nodes, choose which to drain (fewest workload
// pods first, never a protected node or one holding a pod we may not move) and cordon them.

import { blockerOf, byName } from '../cluster';
import { formatDuration } from '../duration';
import { iso, plural } from '../planner';
import { nodeProtection } from '../protection';
import type { Stabilised } from '../stabilisation';
import type { NodeTick, Tracked } from './tick';

export function considerScaleDown(
  tick: NodeTick,
  have: number,
  stab: Pick<Stabilised, 'floor' | 'covered' | 'lowSince' | 'history'>,
  why: string,
  minimum: number,
  maximum: number,
): void {
  const { memory, policy } = tick;
  const { now } = tick.input;
  const delay = policy.scaleDownDelayMs;
  // A lowered maximum (schedule window, override) is a person's explicit ceiling: no waiting above it,
  // but no cliff either: the nodes above it drain at the normal pace (maxConcurrentDrains), below.
  const aboveMax = have > maximum;
  const floor = aboveMax ? Math.min(stab.floor, maximum) : stab.floor;
  if (!aboveMax && !stab.covered) {
    // First ticks after a start or after memory was lost: never scale down on assumption.
    const first = stab.history[0];
    const observed = first ? now - Date.parse(first.at) : 0;
    tick.skip('nodes', 'not-needed-long-enough', `${have} nodes, ${why}; observed for only ${formatDuration(observed)} of the ${formatDuration(delay)} scale-down delay: not scaling down before the whole delay has been seen`);
    return;
  }
  if (!aboveMax && stab.floor >= have) {
    const waited = formatDuration(now - stab.lowSince);
    tick.skip('nodes', 'not-needed-long-enough', `${have} nodes, ${why}; below for ${waited} of the ${formatDuration(delay)} scale-down delay, but ${stab.floor} were needed within it`);
    return;
  }
  const inFlight = tick.countState('draining') + tick.countState('stopping');
  const slots = policy.maxConcurrentDrains - inFlight;
  const excess = have - floor;
  if (slots <= 0) {
    tick.skip('nodes', 'drain-limit', `${excess} more node(s) could go, but ${plural(inFlight, 'drain')} already in progress (maxConcurrentDrains ${policy.maxConcurrentDrains})`);
    return;
  }
  const want = Math.min(excess, slots);
  const chosen = chooseCandidates(tick, want);
  for (const t of chosen) {
    const over = aboveMax && floor === maximum ? `${have} nodes > the maximum ${maximum}` : `${have} nodes > ${floor} needed for ${formatDuration(delay)}`;
    const short = `${over}; ${plural(t.workloadPods, 'workload pod')} here, the fewest among candidates`;
    memory.drains[t.node.name] = { since: iso(now), reason: short };
    t.state = 'draining';
    tick.act({ type: 'cordon', node: t.node.name, scaler: 'nodes', rule: 'scale-down-cordon', reason: `${short} (${why})` });
  }
  if (chosen.length > 0) memory.lastScaleDown = iso(now);
  if (chosen.length < want) {
    tick.skip('nodes', 'blocked-by-pod', `${excess} node(s) above the ${floor} needed (minimum ${minimum}), but only ${plural(chosen.length, 'node')} may be drained`);
  }
}

/**
 * Fewest workload pods first: least disruption; then the newest VM (highest name) for a stable
 * order. Blockers are looked up lazily, only until enough candidates are found: at 5,000 nodes a
 * verdict for every pod would cost more than the rest of the tick. Every protected running node is
 * named, chosen or not, so an operator sees why it stays.
 */
function chooseCandidates(tick: NodeTick, want: number): Tracked[] {
  const { index } = tick.input;
  const ordered = tick.inState('running').sort((a, b) => a.workloadPods - b.workloadPods || byName(b.node.name, a.node.name));
  const chosen: Tracked[] = [];
  for (const t of ordered) {
    const protection = nodeProtection(t.node, tick.policy.protectedNodeLabels);
    if (protection) {
      tick.skip(`node/${t.node.name}`, protection.rule, `not a scale-down candidate: ${protection.detail}`);
      continue;
    }
    if (chosen.length >= want) continue;
    const blocker = blockerOf(index, t.node.name);
    if (blocker) {
      tick.skip(`node/${t.node.name}`, 'blocked-by-pod', `not a scale-down candidate: pod ${blocker}`);
      continue;
    }
    chosen.push(t);
  }
  return chosen;
}
