// Down slow: once the stabilisation window allows fewer nodes, choose which to drain (fewest workload
// pods first, never a protected node or one holding a pod we may not move) and cordon them.

import { blockerOf, byName } from '../cluster';
import { formatDuration } from '../duration';
import { Heap } from '../heap';
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

/** Fewest workload pods first: least disruption; then the newest VM (highest name) for a stable order. */
const fewestFirst = (a: Tracked, b: Tracked): number => a.workloadPods - b.workloadPods || byName(b.node.name, a.node.name);

/**
 * Running nodes in fewestFirst order: every protected one is named, so an operator sees why it
 * stays; the others are taken until enough are chosen, their blockers looked up lazily (at 5,000
 * nodes a verdict for every pod would cost more than the rest of the tick). The others come off a
 * heap rather than a sort of thousands: only the first few are ever needed.
 */
function chooseCandidates(tick: NodeTick, want: number): Tracked[] {
  const { index } = tick.input;
  const running = tick.inState('running');
  const named = running.filter((t) => t.protection).sort(fewestFirst);
  const open = new Heap(running.filter((t) => !t.protection), fewestFirst);
  const chosen: Tracked[] = [];
  let n = 0;
  for (;;) {
    const more = chosen.length < want && open.size > 0;
    const first = named[n];
    if (first && (!more || fewestFirst(first, open.peek()!) < 0)) {
      n++;
      tick.skip(`node/${first.node.name}`, first.protection!.rule, `not a scale-down candidate: ${first.protection!.detail}`);
      continue;
    }
    if (!more) return chosen;
    const t = open.take()!;
    const blocker = blockerOf(index, t.node.name);
    if (blocker) {
      tick.skip(`node/${t.node.name}`, 'blocked-by-pod', `not a scale-down candidate: pod ${blocker}`);
      continue;
    }
    chosen.push(t);
  }
}
