// Up fast: the missing nodes come from the cheapest source first: a drain cancelled, then a stopped
// VM started, then the pool grown.

import { byName } from '../cluster';
import { iso } from '../planner';
import type { NodePolicy } from '../policy';
import type { NodeView } from '../views';
import type { NodeTick } from './tick';

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
    t.state = 'running';
    missing--;
    tick.act({ type: 'uncordon', node: t.node.name, scaler: 'nodes', rule: 'scale-up-cancel-drain', reason: `${header}: cancelling this drain is cheaper than any VM; ${why}` });
  }
  const stopped = tick.inState('stopped').sort((a, b) => poolRank(policy, a.node) - poolRank(policy, b.node) || byName(a.node.name, b.node.name));
  for (const t of stopped) {
    if (missing <= 0) break;
    memory.starting[t.node.name] = { since: iso(now), uncordonWhenReady: t.node.cordoned };
    t.state = 'starting';
    missing--;
    tick.act({ type: 'start-node', node: t.node.name, scaler: 'nodes', rule: 'scale-up-start-node', reason: `${header}: starting a deallocated VM (faster and cheaper than a new one); ${why}` });
  }
  if (missing > 0) {
    const pool = policy.pools[0]!;
    const nodesBefore = tick.tracked.filter((t) => t.node.pool === pool).length;
    memory.provisioning.push({ pool, count: missing, since: iso(now), nodesBefore });
    tick.act({ type: 'add-nodes', pool, count: missing, scaler: 'nodes', rule: 'scale-up-add-nodes', reason: `${header}, no stopped VM left: growing pool ${pool} by ${missing}; ${why}` });
  }
  memory.lastScaleUp = iso(now);
}

function poolRank(policy: NodePolicy, node: NodeView): number {
  return policy.pools.indexOf(node.pool ?? '');
}
