// Nodes requested with add-nodes that have not joined yet: counted as on their way until they appear
// or the provision timeout passes.

import { plural } from '../planner';
import type { NodeView } from '../views';
import type { NodeTick } from './tick';

/** How many requested nodes are still to come. */
export function followProvisioning(tick: NodeTick, managed: readonly NodeView[]): number {
  const { memory, policy } = tick;
  // Counted only while nodes are awaited: most ticks await none, and a count per node shows at 5,000.
  if (memory.provisioning.length === 0) return 0;
  const perPool = new Map<string, number>();
  for (const n of managed) perPool.set(n.pool!, (perPool.get(n.pool!) ?? 0) + 1);
  let incoming = 0;
  memory.provisioning = memory.provisioning.filter((p) => {
    const appeared = Math.max(0, (perPool.get(p.pool) ?? 0) - p.nodesBefore);
    const remaining = p.count - appeared;
    if (remaining <= 0) return false;
    if (tick.input.now - Date.parse(p.since) >= policy.provisionTimeoutMs) {
      tick.skip(
        `pool/${p.pool}`,
        'provision-timed-out',
        `${plural(remaining, 'node')} of ${p.count} requested ${p.since} never appeared; no longer waited for`,
      );
      return false;
    }
    incoming += remaining;
    tick.skip(
      `pool/${p.pool}`,
      'provision-in-progress',
      `${plural(remaining, 'new node')} of ${p.count} requested ${p.since} not yet joined`,
    );
    return true;
  });
  return incoming;
}
