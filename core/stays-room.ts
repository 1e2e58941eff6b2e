// The descheduler's second rule: room on the nodes that stay, for the work that prefers them.
//
// The node scaler labels the nodes it expects to keep longest `graceful-scaler.io/stays` and, with
// `nodes.staysTaint`, taints them PreferNoSchedule, so that long-running workers (which tolerate the
// taint and prefer the label) start their jobs there rather than on a node that goes tonight and
// would then wait hours for the job. The taint only steers new pods. The pods that sat on those
// nodes while they were all there was (the night's MDM replicas) stay on them, the workers started
// in the morning find them full and land elsewhere, and their long jobs hold those nodes through the
// evening's scale-down.
//
// So an opted-in pod that does not tolerate the taint is moved off a node that stays, to the least
// loaded node without an untolerated PreferNoSchedule taint that takes it, as far as the pods that
// tolerate the taint by its key need the room: those running on the other balanced nodes, less the
// pod slots the nodes that stay have free. No further: a pod moved where no worker wants its slot is
// an eviction for nothing, and at night, when the nodes that stay are nearly all there is, it would
// land on a node drained soon after. Each move frees a slot, so the room wanted falls with every
// move and the rule ends by itself. The descheduler's other limits hold (opt-in, minPodAge,
// PodDisruptionBudgets, maxEvictionsPerRun, no pod of a workload the balancing has cooled), and it
// runs only when the cluster is settled (descheduler.ts). Its moves do not start the workload's
// cooldown: at 30 minutes, five pods a half hour cleared the nodes that stay too late in the morning
// for the workers started then (year-end week of the simulation's suite: 1,874 user node-hours with
// the cooldown, 1,836 without, for 44 more evictions in the week: 2,315 against 2,271).

import { STAYS_TAINT } from './annotations';
import type { Budget } from './budget';
import { byName, type ClusterIndex, type DisruptionLedger } from './cluster';
import type { Skip } from './decision';
import { isWorkloadPod } from './evictability';
import { toleratesTaint, type Room } from './fit';
import { plural } from './planner';
import type { NodeView, PodView, Taint } from './views';

export interface RoomBin {
  node: NodeView;
  load: number;
  /** The node's number in the cluster index. */
  at: number;
}

export interface StaysMove<B extends RoomBin> {
  move: { pod: PodView; from: B; to: B; size: number };
  reason: string;
}

interface Context<B extends RoomBin> {
  index: ClusterIndex;
  budget: Budget;
  ledger: DisruptionLedger;
  movable(bin: B): PodView[];
  fits(pod: PodView, to: B): boolean;
  room(bin: B): Room;
  size(pod: PodView): number;
  show(load: number): string;
  skip(target: string, rule: Skip['rule'], reason: string): void;
}

/** The stays taint as the node carries it, or undefined. */
function staysTaintOf(node: NodeView): Taint | undefined {
  return node.taints.find((t) => t.key === STAYS_TAINT && t.effect === 'PreferNoSchedule');
}

/**
 * The moves, one at a time: the caller models each (loads, room, budgets) before asking for the
 * next, as the balancing does.
 */
export function* roomOnStaysNodes<B extends RoomBin>(bins: readonly B[], ctx: Context<B>): Generator<StaysMove<B>> {
  const stays: { bin: B; taint: Taint }[] = [];
  // The other balanced nodes: where the tolerating pods are counted, and where pods are moved to.
  const targets: B[] = [];
  for (const bin of bins) {
    const taint = staysTaintOf(bin.node);
    if (taint) stays.push({ bin, taint });
    else targets.push(bin);
  }
  if (stays.length === 0) return;
  // Most runs find nothing to move: the pods on the nodes that stay are looked at before the others are counted.
  const crowded: { bin: B; taint: Taint; avoiding: number }[] = [];
  for (const s of stays) {
    const avoiding = ctx.index.optedInOn(s.bin.at).filter((p) => !p.terminating && !toleratesTaint(p, s.taint)).length;
    if (avoiding > 0) crowded.push({ ...s, avoiding });
  }
  if (crowded.length === 0) return;
  const taint = crowded[0]!.taint;
  const free = stays.reduce((sum, s) => sum + Math.max(0, ctx.room(s.bin).pods), 0);
  // Counting stops where the room wanted is more than the run may make.
  const enough = free + ctx.budget.left;
  let tolerating = 0;
  // A pod asks for the room by tolerating the taint by its key, as README "BG workers and placement"
  // has workers do; one that tolerates every taint (`operator: Exists` without a key) asked for nothing.
  const counts = (p: PodView) =>
    !p.terminating && isWorkloadPod(p) && toleratesTaint(p, taint) && p.tolerations.some((t) => t.key === taint.key);
  for (const target of targets) {
    if (tolerating >= enough) break;
    for (const pod of ctx.index.podsOn(target.node.name)) if (counts(pod)) tolerating++;
  }
  let wanted = tolerating - free;
  if (wanted <= 0) return;
  const wantedText =
    `${tolerating >= enough ? `at least ${tolerating}` : tolerating} ${tolerating === 1 ? 'pod' : 'pods'} that tolerate it run on other nodes, ` +
    `and the nodes that stay have ${plural(free, 'free pod slot')}`;
  let moved = 0;
  let blockedByPdb: { target: string; reason: string } | undefined;
  while (wanted > 0 && ctx.budget.left > 0) {
    targets.sort((a, b) => a.load - b.load || byName(a.node.name, b.node.name));
    let found: StaysMove<B> | undefined;
    for (const { bin: from, taint: own } of crowded) {
      for (const pod of ctx.movable(from)) {
        if (toleratesTaint(pod, own)) continue;
        const refusal = ctx.ledger.refusal(pod);
        if (refusal) {
          blockedByPdb ??= { target: `pod/${pod.namespace}/${pod.name}`, reason: refusal };
          continue;
        }
        const to = targets.find((t) => ctx.fits(pod, t));
        if (!to) continue;
        found = {
          move: { pod, from, to, size: ctx.size(pod) },
          reason:
            `${from.node.name} is a node that stays (taint ${STAYS_TAINT}:PreferNoSchedule), which this pod does not tolerate; ` +
            `${wantedText}: this pod fits on ${to.node.name} (${ctx.show(to.load)}), the least loaded node without such a taint that takes it, ` +
            `and leaves its slot to one of them`,
        };
        break;
      }
      if (found) break;
    }
    if (!found) break;
    yield found;
    moved++;
    wanted--;
  }
  if (moved > 0) return;
  if (blockedByPdb) ctx.skip(blockedByPdb.target, 'pdb-blocks', blockedByPdb.reason);
  else {
    const pods = crowded.reduce((sum, s) => sum + s.avoiding, 0);
    ctx.skip(
      `node/${crowded[0]!.bin.node.name}`,
      'no-fitting-node',
      `the nodes that stay hold ${plural(pods, 'opted-in pod')} that do not tolerate their taint and ${wantedText}, ` +
        `but none of those pods may move now (minPodAge, workloadCooldown, not evictable) or fits on a node without such a taint`,
    );
  }
}
