// Scale-down candidates are ranked by node number rather than by name when the snapshot lists its
// nodes in name order (cluster.ts, numberedByName). The ranking must not depend on that shortcut:
// the same nodes, listed in name order or in any other, give the same candidates in the same order.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_DEPLOYABLE_LABEL } from '../../../core/annotations';
import { byName, indexCluster } from '../../../core/cluster';
import type { Decision } from '../../../core/decision';
import type { NodeView, PodView } from '../../../core/views';
import { buildMemory, buildNode, buildPolicy, buildSnapshot, nodeLabelled, podsOf } from '../../builders/views';
import { lowForTenMinutes, planNodes } from './fixtures';

const POLICY = buildPolicy((p) => {
  p.nodes.maxConcurrentDrains = 4;
  p.nodes.minNodes = 1;
});

/** Distinct names, some sharing long prefixes, so ties in workload pods are broken by name. */
const namesArb = fc.uniqueArray(fc.stringMatching(/^(aks-user-vmss0{0,3})?[0-9a-c]{1,3}$/), { minLength: 2, maxLength: 12 });

const clusterArb = namesArb.chain((names) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: names.length, maxLength: names.length }),
      fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
      fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
    )
    .map(([workload, protectedFlags, shuffled]) => {
      const nodes = new Map<string, NodeView>();
      const pods: PodView[] = [];
      names.forEach((name, i) => {
        nodes.set(name, buildNode(name, ...(protectedFlags[i] ? [nodeLabelled({ [BATCH_DEPLOYABLE_LABEL]: 'true' })] : [])));
        pods.push(...podsOf(`app${i}`, name, workload[i]!));
      });
      const sorted = [...names].sort(byName).map((n) => nodes.get(n)!);
      return { sorted, shuffled: shuffled.map((n) => nodes.get(n)!), pods };
    }),
);

/** The candidates' cordons and the refusals that name a node as no candidate, in the order given. */
const ranking = (d: Decision) => [
  ...d.actions.filter((a) => a.type === 'cordon').map((a) => `cordon ${a.type === 'cordon' ? a.node : ''}`),
  ...d.skipped.filter((s) => s.reason.startsWith('not a scale-down candidate')).map((s) => `skip ${s.target}`),
];

describe('scale-down candidates and the order nodes are listed in', () => {
  it('numbers nodes in name order only when the snapshot lists them in strictly ascending name order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'b0', 'c', 'aa'), { maxLength: 6 }), (names) => {
        const index = indexCluster(buildSnapshot({ nodes: names.map((n) => buildNode(n)) }), POLICY);
        const ascending = names.every((n, i) => i === 0 || names[i - 1]! < n);
        expect(index.numberedByName).toBe(ascending);
        if (ascending) names.forEach((_, i) => expect(index.numberAt(i)).toBe(i));
      }),
    );
  });

  it('picks the same candidates, in the same order, whether nodes are listed in name order or not', () => {
    fc.assert(
      fc.property(clusterArb, ({ sorted, shuffled, pods }) => {
        const memory = () => buildMemory(lowForTenMinutes);
        const inOrder = planNodes(sorted, pods, { memory: memory(), policy: POLICY });
        const anyOrder = planNodes(shuffled, pods, { memory: memory(), policy: POLICY });
        expect(ranking(anyOrder)).toEqual(ranking(inOrder));
      }),
      { numRuns: 200 },
    );
  });
});
