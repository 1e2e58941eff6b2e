// The descheduler reads its nodes most loaded first, then least loaded up (core/load-order.ts). Where
// node numbers follow names it finds them without sorting; that must give exactly what a full sort
// gives, ties in load included, and the plan must not depend on which of the two ran.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byName } from '../../core/cluster';
import type { Decision } from '../../core/decision';
import { heavierFirst, orderByLoad, type Loaded } from '../../core/load-order';
import { plan } from '../../core/plan';
import type { NodeView, PodView } from '../../core/views';
import { GIB, NOW, buildMemory, buildNode, buildPolicy, buildSnapshot, labelled, podsOf, requests } from '../builders/views';

/** Distinct names in name order, numbered by their place, with loads from a few values so that many tie. */
const binsArb = fc
  .uniqueArray(fc.stringMatching(/^n[0-9a-f]{1,3}$/), { minLength: 2, maxLength: 40 })
  .chain((names) =>
    fc
      .array(fc.constantFrom(0, 1, 2, 2.5, 3, Infinity), { minLength: names.length, maxLength: names.length })
      .map((loads) => [...names].sort(byName).map((name, at): Loaded => ({ node: { name }, at, load: loads[at]! }))),
  );

/** Every bin orderByLoad gives, heaviest first then the others from the least loaded up. */
function readAll(bins: Loaded[], numberedByName: boolean): string[] {
  const order = orderByLoad(bins, numberedByName);
  const read = [order.heaviest.node.name];
  for (let k = 0, b = order.lighter(0); b !== undefined; b = order.lighter(++k)) read.push(b.node.name);
  return read;
}

function bySorting(bins: Loaded[]): string[] {
  const sorted = [...bins].sort(heavierFirst).map((b) => b.node.name);
  return [sorted[0]!, ...sorted.slice(1).reverse()];
}

const OPT_IN = { 'clomo/descheduling': 'enabled' };

const clusterArb = fc.uniqueArray(fc.stringMatching(/^n[0-9a-f]{1,2}$/), { minLength: 2, maxLength: 10 }).chain((names) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: names.length, maxLength: names.length }),
      fc.array(fc.constantFrom(0.5, 1, 2), { minLength: names.length, maxLength: names.length }),
      fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
    )
    .map(([counts, gib, shuffled]) => {
      const nodes = new Map<string, NodeView>(names.map((n) => [n, buildNode(n)]));
      const pods: PodView[] = names.flatMap((n, i) => podsOf(`mdm${i}`, n, counts[i]!, labelled(OPT_IN), requests(100, gib[i]! * GIB)));
      const sorted = [...names].sort(byName).map((n) => nodes.get(n)!);
      return { sorted, shuffled: shuffled.map((n) => nodes.get(n)!), pods };
    }),
);

const deschedule = (nodes: NodeView[], pods: PodView[]): Decision =>
  plan({ snapshot: buildSnapshot({ nodes, pods }), policy: buildPolicy(), memory: buildMemory(), now: NOW, scalers: ['descheduler'] });

describe('nodes in order of load', () => {
  it('gives what a full sort gives where node numbers follow names', () => {
    fc.assert(
      fc.property(binsArb, (bins) => {
        expect(readAll(bins, true)).toEqual(bySorting(bins));
      }),
    );
  });

  it('sorts in place, as before, where numbers do not follow names or a load is NaN', () => {
    fc.assert(
      fc.property(binsArb, fc.boolean(), (bins, withNaN) => {
        if (withNaN) bins[0]!.load = NaN;
        const expected = [...bins].sort(heavierFirst).map((b) => b.node.name);
        // With a NaN load, even numbers that follow names are sorted.
        const read = readAll(bins, withNaN);
        expect(bins.map((b) => b.node.name)).toEqual(expected);
        expect(read).toEqual([expected[0], ...expected.slice(1).reverse()]);
      }),
    );
  });

  it('leaves the descheduler deciding the same whether nodes are listed in name order or not', () => {
    fc.assert(
      fc.property(clusterArb, ({ sorted, shuffled, pods }) => {
        const inOrder = deschedule(sorted, pods);
        const anyOrder = deschedule(shuffled, pods);
        expect(anyOrder.actions).toEqual(inOrder.actions);
        expect(anyOrder.skipped).toEqual(inOrder.skipped);
        expect(anyOrder.summary.descheduler).toEqual(inOrder.summary.descheduler);
      }),
      { numRuns: 200 },
    );
  });
});
