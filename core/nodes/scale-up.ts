// Up fast: the missing nodes come from the cheapest source first: a drain cancelled, then a stopped
// VM started, then the pools grown in their order of preference (`nodes.pools`): a pool at its own
// maximum (`poolMaxNodes`), or one that refused to grow a short while ago, passes to the next.

import { byName } from '../cluster';
import { iso, plural } from '../planner';
import type { NodePolicy } from '../policy';
import type { NodeView } from '../views';
import { formatDuration } from '../duration';
import { describeFailedStart, recentFailedStart, START_FAILURE_MS } from './failed-starts';
import type { NodeTick, Tracked } from './tick';

export function scaleUp(tick: NodeTick, desired: number, have: number, why: string): void {
  const { memory, policy } = tick;
  const { now } = tick.input;
  let missing = desired - have;
  const header = `${desired} wanted, ${have} running or on the way`;
  // Cheapest first: a node still draining only needs uncordoning.
  const draining = tick.inState('draining').sort((a, b) => b.workloadPods - a.workloadPods);
  for (const t of draining) {
    if (missing <= 0) break;
    delete memory.drains[t.node.name];
    tick.setState(t, 'running');
    missing--;
    tick.act({
      type: 'uncordon',
      node: t.node.name,
      scaler: 'nodes',
      rule: 'scale-up-cancel-drain',
      reason: `${header}: cancelling this drain is cheaper than any VM; ${why}`,
    });
  }
  // A VM whose start failed a short while ago goes after every other stopped VM (failed-starts.ts).
  const failures = new Map<Tracked, { at: string; reason: string }>();
  for (const t of tick.inState('stopped')) {
    const failure = recentFailedStart(memory, t.node.name, now);
    if (failure) failures.set(t, failure);
  }
  const failed = (t: Tracked) => (failures.has(t) ? 1 : 0);
  const stopped = tick
    .inState('stopped')
    .sort((a, b) => failed(a) - failed(b) || poolRank(policy, a.node) - poolRank(policy, b.node) || byName(a.node.name, b.node.name));
  const passedOver = stopped.filter((t) => failures.has(t)).map((t) => t.node.name);
  const chosen = stopped.slice(0, Math.max(0, missing));
  missing -= chosen.length;
  for (const t of chosen) {
    memory.starting[t.node.name] = { since: iso(now), uncordonWhenReady: t.node.cordoned };
    tick.setState(t, 'starting');
    const failure = failures.get(t);
    const note = failure
      ? `; again, as no other stopped VM is left: ${describeFailedStart(failure)}`
      : passedOver.length > 0
        ? ` (passing over ${passedOver.join(', ')}: a start failed there in the last ${formatDuration(START_FAILURE_MS)})`
        : '';
    tick.act({
      type: 'start-node',
      node: t.node.name,
      scaler: 'nodes',
      rule: 'scale-up-start-node',
      reason: `${header}: starting a deallocated VM (faster and cheaper than a new one)${note}; ${why}`,
    });
  }
  if (missing > 0) growPools(tick, missing, header, why);
  // Uncordoned right after the start, not once Ready: the VM takes minutes to boot and a deallocated
  // node is NotReady and tainted, so nothing is scheduled on it until its kubelet reports Ready, and
  // then pods land at once instead of waiting for the next tick (one that a crash or a fault may
  // cost). The starts and new nodes go first, the starts together (runner/act.ts): they are what the
  // pending pods wait for, and a tick that runs past its deadline defers what is left; an uncordon
  // deferred so is done once the node is Ready (`uncordonWhenReady`).
  for (const t of chosen) {
    if (!t.node.cordoned) continue;
    tick.act({
      type: 'uncordon',
      node: t.node.name,
      scaler: 'nodes',
      rule: 'start-uncordon',
      reason: `started for capacity: uncordoned now, while its VM is still booting and nothing can be scheduled on it, so pods land as soon as it is Ready`,
    });
  }
  memory.lastScaleUp = iso(now);
}

/** How long a pool's refusal to grow sends new nodes elsewhere before it is asked again. */
export const POOL_REFUSAL_MS = 30 * 60_000;

function growPools(tick: NodeTick, missing: number, header: string, why: string): void {
  const { memory, policy } = tick;
  const { now } = tick.input;
  const passed: string[] = [];
  for (const [pool, refusal] of Object.entries(memory.refusedPools ?? {})) {
    if (now - Date.parse(refusal.at) >= POOL_REFUSAL_MS) delete memory.refusedPools![pool];
  }
  for (const pool of policy.pools) {
    if (missing <= 0) break;
    const refusal = memory.refusedPools?.[pool];
    if (refusal) {
      passed.push(`pool ${pool} refused to grow ${refusal.at} (${refusal.reason})`);
      continue;
    }
    const nodesBefore = tick.tracked.filter((t) => t.node.pool === pool).length;
    // Requested earlier and not yet joined: the pool will have them too.
    const coming = memory.provisioning
      .filter((p) => p.pool === pool)
      .reduce((n, p) => n + Math.max(0, p.count - Math.max(0, nodesBefore - p.nodesBefore)), 0);
    const max = policy.poolMaxNodes[pool];
    const room = max === undefined ? missing : Math.max(0, max - nodesBefore - coming);
    if (room <= 0) {
      passed.push(`pool ${pool} is at its maximum ${max}`);
      continue;
    }
    const count = Math.min(missing, room);
    missing -= count;
    memory.provisioning.push({ pool, count, since: iso(now), nodesBefore });
    const after = passed.length > 0 ? ` (${passed.join('; ')})` : '';
    tick.act({
      type: 'add-nodes',
      pool,
      count,
      scaler: 'nodes',
      rule: 'scale-up-add-nodes',
      reason: `${header}, no stopped VM left: growing pool ${pool} by ${count}${after}; ${why}`,
    });
    if (max !== undefined && count === room) passed.push(`pool ${pool} reaches its maximum ${max}`);
  }
  if (missing > 0) {
    tick.skip('nodes', 'no-pool-to-grow', `${plural(missing, 'node')} still missing, no pool may grow: ${passed.join('; ')}`);
  }
}

function poolRank(policy: NodePolicy, node: NodeView): number {
  return policy.pools.indexOf(node.pool ?? '');
}
