// Down slow: once the stabilisation window allows fewer nodes, choose which to drain (fewest workload
// pods first, never a protected node or one holding a pod we may not move) and cordon them.

import { blockerOf, byName } from '../cluster';
import { formatDuration } from '../duration';
import { iso, plural } from '../planner';
import type { Stabilised } from '../stabilisation';
import type { NodeTick, Tracked } from './tick';

export function considerScaleDown(
  tick: NodeTick,
  have: number,
  stab: Pick<Stabilised, 'floor' | 'covered' | 'lowSince'>,
  why: string,
  minimum: number,
  maximum: number,
): void {
  const { memory, policy } = tick;
  const { now } = tick.input;
  const delay = policy.scaleDownDelayMs;
  // A lowered maximum (schedule window, override) is a person's explicit ceiling: no waiting above it.
  const aboveMax = have > maximum;
  stab = aboveMax ? { ...stab, floor: Math.min(stab.floor, maximum), covered: true } : stab;
  if (!stab.covered || stab.floor >= have) {
    const waited = formatDuration(now - stab.lowSince);
    tick.skip('nodes', 'not-needed-long-enough', `${have} nodes, ${why}; below for ${waited} of the ${formatDuration(delay)} scale-down delay` + (stab.covered ? `, but ${stab.floor} were needed within it` : ''));
    return;
  }
  const inFlight = tick.countState('draining') + tick.countState('stopping');
  const slots = policy.maxConcurrentDrains - inFlight;
  const excess = have - stab.floor;
  if (slots <= 0) {
    tick.skip('nodes', 'drain-limit', `${excess} more node(s) could go, but ${plural(inFlight, 'drain')} already in progress (maxConcurrentDrains ${policy.maxConcurrentDrains})`);
    return;
  }
  const want = Math.min(excess, slots);
  const chosen = chooseCandidates(tick, want);
  for (const t of chosen) {
    const short = `${have} nodes > ${stab.floor} needed for ${formatDuration(delay)}; ${plural(t.workloadPods, 'workload pod')} here, the fewest among candidates`;
    memory.drains[t.node.name] = { since: iso(now), reason: short };
    t.state = 'draining';
    tick.act({ type: 'cordon', node: t.node.name, scaler: 'nodes', rule: 'scale-down-cordon', reason: `${short} (${why})` });
  }
  if (chosen.length > 0) memory.lastScaleDown = iso(now);
  if (chosen.length < want) {
    tick.skip('nodes', 'blocked-by-pod', `${excess} node(s) above the ${stab.floor} needed (minimum ${minimum}), but only ${plural(chosen.length, 'node')} may be drained`);
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
    const protection = t.protection;
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
