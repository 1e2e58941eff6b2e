// Down slow: once the stabilisation window allows fewer nodes, choose which to drain (soonest empty
// first: fewest pods slow to leave, then fewest workload pods; nodes waiting for on-completion pods
// last, those whose pods have run longest first; never a protected node or one that
// cannot drain: a pod we may not move, one whose PodDisruptionBudget allows no disruption now, or
// pods that would find no room on the other nodes, room-elsewhere.ts) and cordon them. A drain stuck on pods that outlived
// their grace period, or waiting only for long work to finish, gives up its slot, so another node
// may drain meanwhile.

import { ON_COMPLETION, SAFE_TO_EVICT } from '../annotations';
import { blockerOf, byName, DisruptionLedger, podKey, SLOW_EXIT_MS } from '../cluster';
import { formatDuration } from '../duration';
import { podVerdict } from '../evictability';
import { Heap } from '../heap';
import { iso, plural } from '../planner';
import type { ProtectionRule } from '../protection';
import type { Stabilised } from '../stabilisation';
import type { PodView } from '../views';
import { drainsHoldingSlots } from './drain-survey';
import { recentFailedStop } from './failed-stops';
import { RoomElsewhere } from './room-elsewhere';
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
    tick.skip(
      'nodes',
      'not-needed-long-enough',
      `${have} nodes, ${why}; observed for only ${formatDuration(observed)} of the ${formatDuration(delay)} scale-down delay: not scaling down before the whole delay has been seen`,
    );
    return;
  }
  if (!aboveMax && stab.floor >= have) {
    const waited = formatDuration(now - stab.lowSince);
    tick.skip(
      'nodes',
      'not-needed-long-enough',
      `${have} nodes, ${why}; below for ${waited} of the ${formatDuration(delay)} scale-down delay, but ${stab.floor} were needed within it`,
    );
    return;
  }
  // A drain with nothing left to evict that waits only for long work (or is stuck on pods past their
  // grace period) holds no slot: it stays cordoned and is stopped once empty (drain-survey.ts).
  const inFlight = drainsHoldingSlots(tick) + tick.countState('stopping');
  const slots = Math.max(0, policy.maxConcurrentDrains - inFlight);
  const excess = have - floor;
  // A node with no workload pod has nothing to evict and nothing to wait for: its drain is a cordon
  // and a stop, and takes no slot (cluster-autoscaler, too, deletes empty nodes in bulk beside its
  // drains). After a spike, the nodes started for it go beside the drains rather than a few at a
  // time through them: as many at once as a run may stop (maxStopsPerRun), counting those cordoned
  // or stopping and not yet stopped (more could not be stopped sooner, and a repeated tick adds none).
  // Protected ones are never drained: counting them would only ask for candidates that cannot come.
  let empty = 0;
  let emptyDraining = tick.countState('stopping');
  for (const t of tick.tracked) {
    if (t.workloadPods !== 0) continue;
    if (t.state === 'running' && !t.node.cordoned && !t.protection) empty++;
    else if (t.state === 'draining') emptyDraining++;
  }
  if (slots === 0 && (empty === 0 || emptyDraining >= policy.maxStopsPerRun)) {
    tick.skip(
      'nodes',
      'drain-limit',
      `${excess} more node(s) could go, but ${plural(inFlight, 'drain')} already in progress (maxConcurrentDrains ${policy.maxConcurrentDrains})`,
    );
    return;
  }
  const beside = Math.max(0, Math.min(empty, policy.maxStopsPerRun - emptyDraining));
  const want = Math.min(excess, slots + beside);
  const candidates = chooseCandidates(tick, want, (t, rule, reason) => tick.skip(`node/${t.node.name}`, rule, reason));
  // Empty ones first (the order puts them there), beside the slots; the others only as far as the slots go.
  let besideTaken = 0;
  let slotted = 0;
  const chosen = candidates.filter((c) => (c.t.workloadPods === 0 && besideTaken++ < beside) || slotted++ < slots);
  if (chosen.length < candidates.length)
    tick.skip(
      'nodes',
      'drain-limit',
      `${plural(candidates.length - chosen.length, 'more node')} could go, but ${plural(inFlight, 'drain')} already in progress (maxConcurrentDrains ${policy.maxConcurrentDrains}); nodes with no workload pod go beside them`,
    );
  for (const { t, waitsFor } of chosen) {
    const waits = waitsFor.length > 0 ? `; stopped only once ${waitsFor.join(', ')} (${SAFE_TO_EVICT}=${ON_COMPLETION}) finished` : '';
    const over =
      aboveMax && floor === maximum
        ? `${have} nodes > the maximum ${maximum}`
        : `${have} nodes > ${floor} needed for ${formatDuration(delay)}`;
    const slow = t.slowPods > 0 ? `, ${t.slowPods} of them slow to leave (grace ${formatDuration(SLOW_EXIT_MS)} or more, not idle)` : '';
    const short = `${over}; ${plural(t.workloadPods, 'workload pod')} here${slow}, the soonest empty among candidates${waits}`;
    memory.drains[t.node.name] = { since: iso(now), reason: short };
    tick.setState(t, 'draining');
    tick.act({ type: 'cordon', node: t.node.name, scaler: 'nodes', rule: 'scale-down-cordon', reason: `${short} (${why})` });
  }
  if (chosen.length > 0) memory.lastScaleDown = iso(now);
  if (candidates.length < want) {
    tick.skip(
      'nodes',
      'blocked-by-pod',
      `${excess} node(s) above the ${floor} needed (minimum ${minimum}), but only ${plural(candidates.length, 'node')} may be drained`,
    );
  }
}

export interface Candidate {
  t: Tracked;
  /** Pods never evicted that the node will wait for (on-completion). */
  waitsFor: string[];
  /** When the youngest of them started (epoch ms); 0 when none. */
  youngestWaitStart?: number;
}

/** Why a running node is not a scale-down candidate now: its protection, a blocking pod, a PDB at zero. */
export type RefuseCandidate = (
  t: Tracked,
  rule: ProtectionRule | 'blocked-by-pod' | 'not-enough-pdb' | 'no-room-elsewhere' | 'stop-failed-recently',
  reason: string,
) => void;

/**
 * Soonest empty first: fewest pods that may keep the node for long once evicted (busy BG workers
 * with long grace periods: a node carrying one stays billed and cordoned for hours), then fewest
 * workload pods (least disruption), then the newest VM (highest name) for a stable order.
 */
const fewestFirst = (a: Tracked, b: Tracked): number =>
  a.slowPods - b.slowPods || a.workloadPods - b.workloadPods || byName(b.node.name, a.node.name);

/** The same order, comparing node numbers rather than names where the index numbers nodes in name order. */
const fewestFirstByNumber = (a: Tracked, b: Tracked): number => a.slowPods - b.slowPods || a.workloadPods - b.workloadPods || b.at - a.at;

/**
 * Among nodes that wait for on-completion pods (run-to-completion work: Jobs, reports), the one whose
 * pods have all run longest first: work of a bounded length that began long ago ends sooner. Stable,
 * so equal ones keep the soonest-empty order.
 */
const longestRunningFirst = (a: Candidate, b: Candidate): number => (a.youngestWaitStart ?? 0) - (b.youngestWaitStart ?? 0);

/** The order nodes are drained in (negative: `a` goes first), for every step that must agree with it. */
export function drainOrder(tick: NodeTick): (a: Tracked, b: Tracked) => number {
  return tick.input.index.numberedByName ? fewestFirstByNumber : fewestFirst;
}

/**
 * Running nodes in fewestFirst order, taken until enough can drain. Nodes that must wait for a pod
 * to finish come after all the others, as under cluster-autoscaler: their slot may be held for
 * hours. Every protected node is named (to `refuse`, with the others refused on the way), so an
 * operator sees why it stays; the others' blockers are looked up lazily (at 5,000 nodes a verdict
 * for every pod would cost more than the rest of the tick), off a heap rather than a sort of
 * thousands: only the first few are ever needed. `eligible` narrows the running nodes considered.
 */
export function chooseCandidates(tick: NodeTick, want: number, refuse?: RefuseCandidate, eligible?: (t: Tracked) => boolean): Candidate[] {
  const { index, snapshot } = tick.input;
  const ledger = new DisruptionLedger(snapshot.pdbs);
  const room = new RoomElsewhere(tick);
  const before = drainOrder(tick);
  const named: Tracked[] = [];
  const unprotected: Tracked[] = [];
  for (const t of tick.tracked) {
    if (t.state !== 'running' || (eligible !== undefined && !eligible(t))) continue;
    (t.protection ? named : unprotected).push(t);
  }
  // Protected nodes are only ever named: without anyone to tell, they need no place in the order.
  if (refuse === undefined) named.length = 0;
  else named.sort(before);
  const open = new Heap(unprotected, before);
  const chosen: Candidate[] = [];
  const waiting: Candidate[] = [];
  // Given back a short while ago because its VM would not deallocate: last, like a node that waits.
  const wouldNotStop: Candidate[] = [];
  let n = 0;
  for (;;) {
    const more = chosen.length < want && open.size > 0;
    const first = named[n];
    if (first && (!more || before(first, open.peek()!) < 0)) {
      n++;
      refuse?.(first, first.protection!.rule, `not a scale-down candidate: ${first.protection!.detail}`);
      continue;
    }
    if (!more) return [...chosen, ...waiting.sort(longestRunningFirst), ...wouldNotStop].slice(0, want);
    const t = open.take()!;
    const blocker = blockerOf(index, t.node.name);
    if (blocker) {
      refuse?.(t, 'blocked-by-pod', `not a scale-down candidate: pod ${blocker}`);
      continue;
    }
    const waitsFor: string[] = [];
    let youngestWaitStart = 0;
    const evicted: PodView[] = [];
    let refused: string | undefined;
    for (const pod of index.podsOn(t.node.name)) {
      const v = podVerdict(pod, index.evictionContext);
      if (v.kind === 'wait') {
        waitsFor.push(podKey(pod));
        youngestWaitStart = Math.max(youngestWaitStart, pod.startedAt ?? pod.createdAt);
      } else if (v.kind === 'evictable') {
        // A budget of one drains any number of pods, one per tick; at zero the drain would hold its slot for nothing.
        if ((refused = ledger.refusal(pod)) !== undefined) {
          refused = `pod ${podKey(pod)}: ${refused} (NotEnoughPdb)`;
          break;
        }
        evicted.push(pod);
      }
    }
    if (refused) {
      refuse?.(t, 'not-enough-pdb', `not a scale-down candidate: ${refused}`);
      continue;
    }
    const placement = room.place(t, evicted);
    if (!placement.fits) {
      refuse?.(t, 'no-room-elsewhere', `not a scale-down candidate: ${placement.reason}`);
      continue;
    }
    const failedStop = recentFailedStop(tick.memory, t.node.name, tick.input.now);
    if (failedStop)
      refuse?.(t, 'stop-failed-recently', `drained after the other candidates: given back ${failedStop.at}, ${failedStop.reason}`);
    (failedStop ? wouldNotStop : waitsFor.length > 0 ? waiting : chosen).push({ t, waitsFor, youngestWaitStart });
  }
}
