// Over random clusters (nodes with few pod slots, pods of uneven cpu), what a scale-down tick cordons
// leaves room for what it evicts, and no tighter packing than the scale-down allows: the pods of the
// nodes it cordons fit, in pods and in cpu, in what the other nodes have free (room-elsewhere.ts),
// and the nodes left hold the cpu requests at no more than SCALE_DOWN_MAX_PACKING of their room
// (sizing.ts, drainFloor). Checked here by sums, independently of the placement the planner makes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeView, PodView } from '../../../core/views';
import { buildMemory, buildNode, buildPolicy, maxPods, podsOf, requests } from '../../builders/views';
import { SCALE_DOWN_MAX_PACKING } from '../../../core/nodes/sizing';
import { lowForTenMinutes, planNodes } from './fixtures';

const SLOTS = 6;
const TARGET = 5;
const POLICY = buildPolicy((p) => {
  p.nodes.maxConcurrentDrains = 4;
  p.nodes.minNodes = 1;
  p.nodes.targetPodsPerNode = TARGET;
});

const clusterArb = fc
  .array(fc.array(fc.integer({ min: 100, max: 1900 }), { maxLength: SLOTS }), { minLength: 2, maxLength: 8 })
  .map((perNode) => {
    const nodes: NodeView[] = perNode.map((_, i) => buildNode(`n${i}`, maxPods(SLOTS)));
    const pods: PodView[] = perNode.flatMap((cpus, i) =>
      cpus.map((cpu, k) => podsOf(`app${i}-${k}`, `n${i}`, 1, requests(cpu, 256 * 1024 ** 2))[0]!),
    );
    return { nodes, pods };
  });

describe('scale-down over random clusters', () => {
  it('cordons only nodes whose pods fit in the room the others have, and leaves cpu no fuller than the scale-down allows', () => {
    fc.assert(
      fc.property(clusterArb, ({ nodes, pods }) => {
        const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes), policy: POLICY });
        const cordoned = new Set(d.actions.flatMap((a) => (a.type === 'cordon' ? [a.node] : [])));
        if (cordoned.size === 0) return;
        const staying = nodes.filter((n) => !cordoned.has(n.name));
        const on = (n: NodeView) => pods.filter((p) => p.node === n.name);
        const cpu = (ps: readonly PodView[]) => ps.reduce((sum, p) => sum + p.requests.cpuMilli, 0);
        const moving = pods.filter((p) => cordoned.has(p.node!));
        const freeSlots = staying.reduce((sum, n) => sum + n.allocatable.pods - on(n).length, 0);
        const freeCpu = staying.reduce((sum, n) => sum + n.allocatable.cpuMilli - cpu(on(n)), 0);
        expect(moving.length).toBeLessThanOrEqual(freeSlots);
        expect(cpu(moving)).toBeLessThanOrEqual(freeCpu);
        // Every pod is a workload pod here (no DaemonSets): a node's room is its allocatable.
        const capacity = staying.reduce((sum, n) => sum + n.allocatable.cpuMilli, 0);
        expect(cpu(pods)).toBeLessThanOrEqual(capacity * SCALE_DOWN_MAX_PACKING + 1e-6);
      }),
      { numRuns: 300 },
    );
  });
});
