import { describe, expect, it } from 'vitest';
import { VmRefusal } from '../../runner/ports';
import { runTick } from '../../runner/run-tick';
import { MINUTE, at, buildNode, buildPolicy, buildSnapshot, inPool } from '../builders/views';
import { harness } from './harness';

describe('runTick: a pool that refuses to grow', () => {
  it('is remembered, and the next tick grows the next pool in order of preference', async () => {
    // Monday 07:35 in Tokyo: the window wants 5 nodes, 3 run.
    const morning = Date.parse('2026-11-30T07:35:00+09:00');
    const snapshot = buildSnapshot({ nodes: [buildNode('u1'), buildNode('u2'), buildNode('s1', inPool('spare'))] });
    const h = harness(snapshot, undefined, {
      addNodes: async (pool, count) => {
        if (pool === 'user') throw new VmRefusal('failed', 'quota exceeded in japaneast');
        h.writes.push(`add ${pool} ${count}`);
      },
    });
    let now = morning;
    h.deps.clock = () => now;
    const policy = buildPolicy((p) => (p.nodes.pools = ['user', 'spare']));
    const first = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (first.status !== 'acted') throw new Error(first.status);
    // The placement marks the tick also keeps on its nodes are another test's business (marks.test.ts).
    const scaling = first.outcomes.filter((o) => o.action.type !== 'mark-node');
    expect(scaling.map((o) => [o.action.type, o.outcome])).toEqual([['add-nodes', 'refused']]);
    expect(h.store.memory.nodes.refusedPools).toEqual({ user: { at: at(morning), reason: 'failed: quota exceeded in japaneast' } });
    expect(h.store.memory.nodes.provisioning).toEqual([]);

    now = morning + MINUTE;
    await runTick(h.deps, policy, 'nodes', { dryRun: false });
    // A pool is no Kubernetes object: its Events go on one of its nodes when the status store names no object.
    expect(h.writes).toEqual(['event AddNodesRefused u1', 'add spare 2', 'event AddNodes s1']);
  });
});
