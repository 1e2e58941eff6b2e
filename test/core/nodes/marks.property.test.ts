// The placement marks over random clusters: the drain-candidate taint never goes on a protected,
// ignored or unmanaged node, no node ends up with both marks, the stays taint (nodes.staysTaint)
// is on exactly the labelled nodes, and a tick's marks converge (planning again on the nodes as
// marked asks for no mark).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BATCH_DEPLOYABLE_LABEL,
  DRAIN_CANDIDATE_TAINT,
  DRAINING_SINCE,
  IGNORE_NODE,
  SCALE_DOWN_DISABLED,
  STAYS_LABEL,
  STAYS_TAINT,
} from '../../../core/annotations';
import type { Action, Decision } from '../../../core/decision';
import type { Memory } from '../../../core/memory';
import { plan } from '../../../core/plan';
import type { NodeView, PodView } from '../../../core/views';
import {
  MINUTE,
  NOW,
  at,
  buildMemory,
  buildNode,
  buildPod,
  buildPolicy,
  buildSnapshot,
  cordoned,
  deallocated,
  drainCandidate,
  grace,
  inPool,
  nodeAnnotated,
  nodeLabelled,
  notReady,
  onNode,
  stays,
  staysTainted,
} from '../../builders/views';

const POLICY = buildPolicy((p) => (p.nodes.maxNodes = 9));
const RESERVING = buildPolicy((p) => {
  p.nodes.maxNodes = 9;
  p.nodes.staysTaint = true;
});

const nodeArb = (i: number) =>
  fc
    .record({
      pool: i === 0 ? fc.constant('user') : fc.constantFrom('user', 'user', 'user', 'system'),
      state: fc.constantFrom('ready', 'ready', 'ready', 'cordoned', 'draining', 'not-ready', 'deallocated'),
      protection: fc.constantFrom('none', 'none', 'none', 'label', 'scale-down-disabled', 'ignore'),
      marks: fc.constantFrom('none', 'none', 'taint', 'label', 'both'),
      staysTaint: fc.constantFrom(false, false, true),
    })
    .map(({ pool, state, protection, marks, staysTaint }): NodeView => {
      const name = `n${i}`;
      const node = buildNode(
        name,
        inPool(pool),
        ...(state === 'deallocated' ? [deallocated] : []),
        ...(state === 'cordoned' ? [cordoned] : []),
        ...(state === 'draining' ? [cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 20 * MINUTE) })] : []),
        ...(state === 'not-ready' ? [notReady] : []),
        ...(protection === 'label' ? [nodeLabelled({ [BATCH_DEPLOYABLE_LABEL]: 'true' })] : []),
        ...(protection === 'scale-down-disabled' ? [nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true' })] : []),
        ...(protection === 'ignore' ? [nodeAnnotated({ [IGNORE_NODE]: 'true' })] : []),
        ...(marks === 'taint' || marks === 'both' ? [drainCandidate] : []),
        ...(marks === 'label' || marks === 'both' ? [stays] : []),
        ...(staysTaint ? [staysTainted] : []),
      );
      return node;
    });

interface World {
  nodes: NodeView[];
  pods: PodView[];
  memory: Memory;
  now: number;
  /** The policy asks for the stays taint. */
  reserve: boolean;
}

const worldArb: fc.Arbitrary<World> = fc.integer({ min: 1, max: 9 }).chain((count) =>
  fc
    .record({
      nodes: fc.tuple(...Array.from({ length: count }, (_, i) => nodeArb(i))),
      pods: fc.array(fc.record({ node: fc.integer({ min: 0, max: count - 1 }), slow: fc.boolean() }), { maxLength: 80 }),
      minuteOfWeek: fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
      history: fc.constantFrom('none', 'low', 'high'),
      reserve: fc.boolean(),
    })
    .map(({ nodes, pods, minuteOfWeek, history, reserve }): World => {
      const now = NOW + minuteOfWeek * MINUTE;
      return {
        nodes,
        pods: pods.map((p, i) => buildPod(`w-${i}`, onNode(`n${p.node}`), ...(p.slow ? [grace(72000)] : []))),
        memory: buildMemory((m) => {
          if (history !== 'none') m.nodes.recommendations = [{ at: at(now - 20 * MINUTE), value: history === 'low' ? 0 : 9 }];
          for (const n of nodes)
            if (n.annotations[DRAINING_SINCE]) m.nodes.drains[n.name] = { since: at(now - 20 * MINUTE), reason: 'test' };
        }),
        now,
        reserve,
      };
    }),
);

const decide = (w: World, nodes = w.nodes): Decision =>
  plan({
    snapshot: buildSnapshot({ nodes, pods: w.pods }),
    policy: w.reserve ? RESERVING : POLICY,
    memory: w.memory,
    now: w.now,
    scalers: ['nodes'],
  });

const markActions = (d: Decision) => d.actions.filter((a): a is Extract<Action, { type: 'mark-node' }> => a.type === 'mark-node');
const hasTaint = (n: NodeView) => n.taints.some((t) => t.key === DRAIN_CANDIDATE_TAINT);
const hasLabel = (n: NodeView) => n.labels[STAYS_LABEL] !== undefined;
const hasStaysTaint = (n: NodeView) => n.taints.some((t) => t.key === STAYS_TAINT);

/** The nodes as the tick's marks leave them (nothing else changed). */
function marked(nodes: readonly NodeView[], d: Decision): NodeView[] {
  return nodes.map((n) => {
    let out = n;
    for (const a of markActions(d)) {
      if (a.node !== n.name) continue;
      if (a.mark === 'drain-candidate' || a.mark === 'stays-taint') {
        const key = a.mark === 'drain-candidate' ? DRAIN_CANDIDATE_TAINT : STAYS_TAINT;
        const others = out.taints.filter((t) => t.key !== key);
        out = { ...out, taints: a.set ? [...others, { key, value: '1', effect: 'PreferNoSchedule' }] : others };
      } else {
        const labels: Record<string, string> = { ...out.labels };
        if (a.set) labels[STAYS_LABEL] = 'true';
        else delete labels[STAYS_LABEL];
        out = { ...out, labels };
      }
    }
    return out;
  });
}

const RUNS = { numRuns: 300 };

describe('placement marks over random clusters', () => {
  it('only mark managed nodes that are not ignored, and put the taint on no protected, cordoned or NotReady node', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        for (const a of markActions(d)) {
          const n = w.nodes.find((x) => x.name === a.node)!;
          expect(n.pool).toBe('user');
          expect(n.annotations[IGNORE_NODE]).toBeUndefined();
          if (a.mark === 'drain-candidate' && a.set) {
            expect(n.labels[BATCH_DEPLOYABLE_LABEL]).toBeUndefined();
            expect(n.annotations[SCALE_DOWN_DISABLED]).toBeUndefined();
            expect(n.ready && !n.cordoned).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('never leave both marks on a node they manage, nor our taint on a protected node that takes pods; the stays taint only with the label', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        // Over 20 changes (3 marks on each of 9 nodes) wait for the next tick: that tick is not this property's.
        fc.pre(!d.skipped.some((s) => s.rule === 'budget-exhausted'));
        const uncordoned = new Set(d.actions.flatMap((a) => (a.type === 'uncordon' ? [a.node] : [])));
        for (const n of marked(w.nodes, d)) {
          if (n.pool !== 'user' || n.annotations[IGNORE_NODE] === 'true') continue;
          expect(hasTaint(n) && hasLabel(n)).toBe(false);
          // The stays taint follows the label where the policy asks for it, and is nowhere otherwise.
          expect(hasStaysTaint(n)).toBe(w.reserve && n.labels[STAYS_LABEL] === 'true');
          const isProtected = n.labels[BATCH_DEPLOYABLE_LABEL] !== undefined || n.annotations[SCALE_DOWN_DISABLED] === 'true';
          if (isProtected && (!n.cordoned || uncordoned.has(n.name))) expect(hasTaint(n)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('converge in one tick: planned again on the nodes as marked, they ask for no mark', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const first = decide(w);
        fc.pre(!first.skipped.some((s) => s.rule === 'budget-exhausted'));
        expect(markActions(decide(w, marked(w.nodes, first)))).toEqual([]);
      }),
      RUNS,
    );
  });
});
