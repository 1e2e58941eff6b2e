// The descheduler planner: spread the opted-in pods' memory requests (or count) evenly over the
// eligible nodes, because the scheduler never moves a running pod and a few nodes ran out of memory.
// Only pods carrying the opt-in label are ever touched; each move is modelled before the next.

import { Budget } from './budget';
import { DisruptionLedger, podKey, roomAt, type ClusterIndex } from './cluster';
import type { Action, DeschedulerSummary, Skip } from './decision';
import { formatDuration } from './duration';
import { isWorkloadPod, podVerdict, type EvictionContext } from './evictability';
import { AntiAffinity } from './anti-affinity';
import { avoidedTaint, hasRoom, selectsNode, toleratesNode, type Room } from './fit';
import { orderByLoad, type LoadOrder } from './load-order';
import type { DeschedulerMemory, EvictionMemory, NodeMemory } from './memory';
import { overridesFor } from './overrides';
import { iso, plural, type PlannerInput, type PlannerOutput } from './planner';
import type { BalanceMeasure } from './policy';
import { matchesSelector } from './selector';
import { roomOnStaysNodes } from './stays-room';
import type { NodeView, PodView } from './views';

const GIB = 1024 ** 3;
/** The descheduler moves only pods whose ReplicaSet or StatefulSet recreates them elsewhere. */
const REPLICATED_KINDS: ReadonlySet<string> = new Set(['ReplicaSet', 'StatefulSet']);

interface Bin {
  node: NodeView;
  load: number;
  /** Free room, worked out when the bin is first considered as a target. */
  room: Room | undefined;
  /** The node's number in the cluster index. */
  at: number;
  /** Opted-in running pods; gathered only when the bin is the most loaded. */
  opted: PodView[] | undefined;
  /** The opted-in pods that may move now; worked out only when the bin is the most loaded. */
  movable: PodView[] | undefined;
}

export function planDescheduler(
  input: PlannerInput,
  /** The node planner's memory after this tick: drains and starts it just decided count too. */
  nodeMemory: NodeMemory,
): PlannerOutput<DeschedulerMemory, DeschedulerSummary> | undefined {
  const policy = input.policy.descheduler;
  if (!policy) return undefined;
  const { now } = input;
  const actions: Action[] = [];
  const skipped: Skip[] = [];
  const skip = (target: string, rule: Skip['rule'], reason: string) => skipped.push({ scaler: 'descheduler', target, rule, reason });
  const recent = input.memory.descheduler.recentEvictions.filter((e) => now - Date.parse(e.at) < policy.workloadCooldownMs);
  const memory: DeschedulerMemory = { recentEvictions: recent };
  const summary: DeschedulerSummary = { measure: measureName(policy.balanceBy), spreadBefore: 0, spreadAfter: 0, evictions: 0 };
  const done = () => ({ actions, skipped, memory, summary, notes: [] });

  const pause = overridesFor(input.overrides, 'descheduler').find((o) => o.mode === 'pause');
  if (pause) {
    skip('descheduler', 'paused', `descheduling is paused by override ${pause.id}: "${pause.reason}" until ${pause.expiresAt}`);
    return done();
  }
  const unsettled = unsettledBecause(input, nodeMemory);
  if (unsettled) {
    skip('descheduler', 'descheduler-unsettled', `not balancing while ${unsettled}: moving pods now would fight the scale-up or the drain`);
    return done();
  }

  const draining = new Set(Object.keys(nodeMemory.drains));
  const bins: Bin[] = [];
  input.snapshot.nodes.forEach((node, position) => {
    if (!node.ready || node.cordoned || draining.has(node.name)) return;
    if (!matchesSelector(policy.nodeSelector, node.labels)) return;
    bins.push({ node, load: 0, room: undefined, at: input.index.numberAt(position), opted: undefined, movable: undefined });
  });
  if (bins.length < 2) {
    skip(
      'descheduler',
      'no-eligible-nodes',
      `${plural(bins.length, 'node')} ready, schedulable and matching "${policy.nodeSelectorText}": nothing to balance between`,
    );
    return done();
  }

  // The opted-in sums were made during the one walk over the pods.
  const f = input.index.figures;
  const loads = policy.balanceBy === 'memory' ? f.optedInMemoryBytes : f.optedInPods;
  for (const bin of bins) bin.load = loads[bin.at]!;
  // Which pods may move is asked only of the node being relieved: a handful of nodes per run.
  const cooling = new Set(recent.map((e) => `${e.namespace}/${e.workload}`));
  let cooled = 0;
  // The node scaler's context (controllers, PDBs, kube-system pods' age), local data aside: the opt-in label is consent.
  const replicated: EvictionContext = { ...input.index.evictionContext, protectLocalStorage: false, controllerKinds: REPLICATED_KINDS };
  const movable = (bin: Bin): PodView[] => {
    if (bin.movable) return bin.movable;
    bin.opted ??= input.index.optedInOn(bin.at);
    bin.movable = bin.opted.filter((pod) => {
      if (now - (pod.startedAt ?? pod.createdAt) < policy.minPodAgeMs) return false;
      if (podVerdict(pod, replicated).kind !== 'evictable') return false;
      if (cooling.size > 0 && pod.controller && cooling.has(`${pod.namespace}/${pod.controller.kind}/${pod.controller.name}`)) {
        cooled++;
        return false;
      }
      return true;
    });
    return bin.movable;
  };

  summary.spreadBefore = spread(bins);
  // A move the scheduler would refuse (a replica where one already runs, under required anti-affinity) is no move.
  const antiAffinity = new AntiAffinity(input.index, input.snapshot.nodes);
  const fits = (pod: PodView, to: Bin) =>
    hasRoom(roomOf(input.index, to), pod.requests) &&
    selectsNode(pod, to.node) &&
    toleratesNode(pod, to.node) &&
    // The scheduler puts the pod on a node without an untolerated PreferNoSchedule taint (a node
    // that stays, a drain candidate) while one takes it: a move onto such a node would land elsewhere.
    avoidedTaint(pod, to.node) === undefined &&
    antiAffinity.allows(pod, to.node);
  const ledger = new DisruptionLedger(input.snapshot.pdbs);
  const budget = new Budget('evictions', policy.maxEvictionsPerRun);
  /**
   * Models the move (loads, room, anti-affinity, budgets) before the next is chosen, and plans its
   * eviction; `reason` is asked once the move is modelled, so it may tell the spread after it.
   */
  const evict = ({ pod, from, to, size }: Move, rule: 'deschedule-balance' | 'deschedule-stays-room', reason: () => string) => {
    budget.take();
    from.load -= size;
    to.load += size;
    const room = roomOf(input.index, to);
    to.room = {
      pods: room.pods - 1,
      cpuMilli: room.cpuMilli - pod.requests.cpuMilli,
      memoryBytes: room.memoryBytes - pod.requests.memoryBytes,
    };
    antiAffinity.place(pod, to.node, from.node.name);
    from.movable = movable(from).filter((p) => p !== pod);
    from.opted = from.opted!.filter((p) => p !== pod);
    ledger.spend(pod);
    actions.push({
      type: 'evict',
      namespace: pod.namespace,
      pod: pod.name,
      node: from.node.name,
      scaler: 'descheduler',
      rule,
      reason: reason(),
    });
    // The cooldown spaces the balancing's moves of one workload, which would otherwise chase loads
    // that each move and each replacement pod change. Making room on the nodes that stay has its own
    // bound (each move frees a slot, so the room wanted falls with it; stays-room.ts); it still
    // leaves alone a workload the balancing has cooled.
    if (pod.controller && rule === 'deschedule-balance') {
      const entry: EvictionMemory = { namespace: pod.namespace, workload: `${pod.controller.kind}/${pod.controller.name}`, at: iso(now) };
      if (!memory.recentEvictions.some((e) => e.namespace === entry.namespace && e.workload === entry.workload && e.at === entry.at)) {
        memory.recentEvictions.push(entry);
      }
    }
  };

  if (policy.staysRoom) {
    const ctx = {
      index: input.index,
      budget,
      ledger,
      movable,
      fits,
      room: (bin: Bin) => roomOf(input.index, bin),
      size: (pod: PodView) => measure(pod, policy.balanceBy),
      show: (load: number) => `${show(load, policy.balanceBy)} of opted-in ${measureName(policy.balanceBy)}`,
      skip,
    };
    for (const { move, reason } of roomOnStaysNodes(bins, ctx)) evict(move, 'deschedule-stays-room', () => reason);
  }
  while (budget.left > 0) {
    const order = orderByLoad(bins, input.index.numberedByName);
    const move = bestMove(order, policy.balanceBy, ledger, movable, fits, skip);
    if (!move) break;
    const { from, to, size } = move;
    const before = spread(bins);
    // Told after the move is modelled: the loads before it, and the spread after it.
    evict(
      move,
      'deschedule-balance',
      () =>
        `${from.node.name} holds ${show(from.load + size, policy.balanceBy)} of opted-in ${measureName(policy.balanceBy)}, ` +
        `${to.node.name} ${show(to.load - size, policy.balanceBy)}; this pod (${show(size, policy.balanceBy)}) fits on ${to.node.name}, ` +
        // Where two nodes share the maximum, one move alone leaves max−min as it was: say so rather
        // than "narrowing from 8 GiB to 8 GiB"; the run's total is added below.
        (spread(bins) < before
          ? `narrowing the spread over ${bins.length} nodes from ${show(before, policy.balanceBy)} to ${show(spread(bins), policy.balanceBy)}`
          : `a step towards an even spread over ${bins.length} nodes (max−min stays ${show(before, policy.balanceBy)} after this move alone)`),
    );
  }
  if (cooled > 0) {
    skip(
      'descheduler',
      'workload-cooldown',
      `${plural(cooled, 'pod')} left alone: their workload had a pod evicted within ${formatDuration(policy.workloadCooldownMs)}`,
    );
  }
  summary.spreadAfter = spread(bins);
  summary.evictions = actions.length;
  if (actions.length > 1) {
    const total = `; this run's ${actions.length} evictions take it from ${show(summary.spreadBefore, policy.balanceBy)} to ${show(summary.spreadAfter, policy.balanceBy)}`;
    for (const a of actions) a.reason += total;
  }
  if (actions.length === 0) {
    skip(
      'descheduler',
      'descheduler-balanced',
      `spread of opted-in ${measureName(policy.balanceBy)} is ${show(summary.spreadBefore, policy.balanceBy)} over ${bins.length} nodes; no eviction would narrow it`,
    );
  } else if (budget.left === 0) {
    skip('descheduler', 'budget-exhausted', `spread now ${show(summary.spreadAfter, policy.balanceBy)}: ${budget.explain()}`);
  }
  return done();
}

/** Free room on the bin's node: allocatable minus the requests of every pod bound to it, as of the walk. */
function roomOf(index: ClusterIndex, bin: Bin): Room {
  return (bin.room ??= roomAt(index, bin.at, bin.node));
}

function unsettledBecause(input: PlannerInput, nodeMemory: NodeMemory): string | undefined {
  const pending = input.index.unbound.filter(isWorkloadPod).length;
  if (pending > 0) return `${plural(pending, 'pod')} pending`;
  const starting = Object.keys(nodeMemory.starting).length + nodeMemory.provisioning.length;
  if (starting > 0) return `${plural(starting, 'node')} starting`;
  const drains = Object.keys(nodeMemory.drains).length;
  if (drains > 0) return `${plural(drains, 'node')} draining`;
  // Nodes above what the node scaler wants are about to be drained: pods spread onto them would be
  // evicted again within the scale-down delay, two moves for one.
  const nodes = input.policy.nodes;
  const wanted = nodeMemory.recommendations.at(-1)?.value;
  if (nodes && wanted !== undefined) {
    let up = 0;
    for (const n of input.snapshot.nodes) if (n.ready && !n.cordoned && n.pool !== undefined && nodes.pools.includes(n.pool)) up++;
    if (up > wanted) return `${up} nodes run where the node scaler wants ${wanted}: the extra ones are about to be drained`;
  }
  return undefined;
}

interface Move {
  pod: PodView;
  from: Bin;
  to: Bin;
  size: number;
}

/**
 * From the most loaded node only, the pod and target that reduce the imbalance most: moving `size`
 * from a node at `s` to one at `t` lowers the sum of squared loads by 2·size·(s − t − size), so the
 * least loaded target that fits wins. A move must narrow the gap (size < s − t), so balancing ends.
 */
function bestMove(
  order: LoadOrder<Bin>,
  by: BalanceMeasure,
  ledger: DisruptionLedger,
  movable: (bin: Bin) => PodView[],
  fits: (pod: PodView, to: Bin) => boolean,
  skip: (target: string, rule: Skip['rule'], reason: string) => void,
): Move | undefined {
  const from = order.heaviest;
  // Targets are the others, least loaded first.
  const least = order.lighter(0);
  let best: Move | undefined;
  let bestGain = 0;
  let blockedByPdb: { target: string; reason: string } | undefined;
  let wouldNarrow = 0;
  for (const pod of movable(from)) {
    const size = measure(pod, by);
    if (size <= 0) continue;
    if (least && least.load + size < from.load) wouldNarrow++;
    const refusal = ledger.refusal(pod);
    if (refusal) {
      blockedByPdb ??= { target: `pod/${podKey(pod)}`, reason: refusal };
      continue;
    }
    for (let k = 0, to = least; to !== undefined; to = order.lighter(++k)) {
      if (to.load + size >= from.load) break; // targets are in order: none further narrows the gap
      if (!fits(pod, to)) continue;
      const gain = size * (from.load - to.load - size);
      if (gain > bestGain) {
        bestGain = gain;
        best = { pod, from, to, size };
      }
      break; // the first target that fits is the least loaded one: the best for this pod
    }
  }
  if (!best && blockedByPdb) skip(blockedByPdb.target, 'pdb-blocks', blockedByPdb.reason);
  else if (!best && wouldNarrow > 0) {
    skip(
      `node/${from.node.name}`,
      'no-fitting-node',
      `most loaded (${show(from.load, by)}), but none of its ${plural(wouldNarrow, 'pod')} whose move would narrow the spread fits on a less loaded node`,
    );
  }
  return best;
}

function measure(pod: PodView, by: BalanceMeasure): number {
  return by === 'memory' ? pod.requests.memoryBytes : 1;
}

function spread(bins: readonly Bin[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of bins) {
    lo = Math.min(lo, b.load);
    hi = Math.max(hi, b.load);
  }
  return bins.length === 0 ? 0 : hi - lo;
}

function measureName(by: BalanceMeasure): string {
  return by === 'memory' ? 'memory requests' : 'pod count';
}

function show(value: number, by: BalanceMeasure): string {
  return by === 'memory' ? `${(value / GIB).toFixed(2)} GiB` : plural(value, 'pod');
}
