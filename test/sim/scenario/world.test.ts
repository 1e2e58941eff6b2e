// The world a run starts from: a cluster that was serving the traffic before its first step.

import { describe, expect, it } from 'vitest';
import { simPolicy } from '../../../sim/scenario/simulation';
import { referenceTraffic } from '../../../sim/scenario/traffic';
import { buildWorld, DEFAULT_WORKLOADS, USER_POOL, workloadPodsOn } from '../../../sim/scenario/world';

function worldAt(start: string) {
  const policy = simPolicy();
  const traffic = referenceTraffic({ days: 1, seed: 1, start: Date.parse(start), timezone: policy.timezone });
  const w = buildWorld({
    traffic,
    policy,
    shape: DEFAULT_WORKLOADS,
    seed: 1,
    worker: policy.workers[0],
    staticNodes: 40,
    poolSize: 60,
    initialNodes: 2, // the node scaler's minimum, as graceful-scaler's strategy starts
    initialBgReplicas: 4,
    holder: 'test',
  });
  w.cluster.advance(traffic.start - w.cluster.now());
  const running = w.userNodes().filter((n) => n.pool === USER_POOL && n.power === 'running');
  return { w, running };
}

describe('the world a run starts from', () => {
  it('starts a busy hour on the nodes its pods need, not on a strategy minimum that leaves them pending before the first tick', () => {
    const { w, running } = worldAt('2026-11-24T14:00:00+09:00'); // a weekday afternoon
    expect(running.length).toBeGreaterThan(2);
    expect(w.cluster.pendingPods()).toEqual([]);
    expect(running.every((n) => workloadPodsOn(w.cluster, n.name).length > 0)).toBe(true);
  });

  it('keeps a quiet hour at the strategy minimum', () => {
    const { w, running } = worldAt('2026-11-24T03:00:00+09:00');
    expect(running).toHaveLength(2);
    expect(w.cluster.pendingPods()).toEqual([]);
  });
});
