// A VM that will not start (Azure refuses, or an operation on it is still in progress) is passed over
// for a while: the next tick starts another stopped VM rather than asking the stuck one again and
// again while pods wait.

import { describe, expect, it } from 'vitest';
import { VmRefusal } from '../../runner/ports';
import { runTick } from '../../runner/run-tick';
import { MINUTE, at, buildNode, buildPolicy, buildSnapshot, deallocated } from '../builders/views';
import { harness } from './harness';

describe('runTick: a VM that refuses to start', () => {
  it('is remembered, and the next tick starts another stopped VM', async () => {
    // Monday 07:35 in Tokyo: the window wants 5 nodes, 4 run.
    const morning = Date.parse('2026-11-30T07:35:00+09:00');
    const snapshot = buildSnapshot({
      nodes: ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n)).concat([buildNode('s1', deallocated), buildNode('s2', deallocated)]),
    });
    const h = harness(snapshot, undefined, {
      start: async (node) => {
        if (node.name === 's1') throw new VmRefusal('failed', `an operation on the VM of node ${node.name} is still in progress`);
        h.writes.push(`start ${node.name}`);
      },
    });
    let now = morning;
    h.deps.clock = () => now;
    const policy = buildPolicy();
    const first = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (first.status !== 'acted') throw new Error(first.status);
    // The placement marks the tick also keeps on its nodes are another test's business (marks.test.ts).
    const scaling = first.outcomes.filter((o) => o.action.type !== 'mark-node');
    expect(scaling.map((o) => [o.action.type, 'node' in o.action && o.action.node, o.outcome])).toEqual([
      ['start-node', 's1', 'refused'],
      ['uncordon', 's1', 'done'],
    ]);
    expect(h.store.memory.nodes.starting).toEqual({});
    expect(h.store.memory.nodes.failedStarts).toEqual({
      s1: { at: at(morning), reason: 'start refused: failed: an operation on the VM of node s1 is still in progress' },
    });

    now = morning + MINUTE;
    const second = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (second.status !== 'acted') throw new Error(second.status);
    expect(h.writes.filter((w) => w.startsWith('start'))).toEqual(['start s2']);
    expect(second.outcomes.find((o) => o.action.type === 'start-node')?.action.reason).toContain('passing over s1');
  });
});
