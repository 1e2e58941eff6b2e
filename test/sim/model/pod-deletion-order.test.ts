// Which pods a ReplicaSet removes first when scaled down: Kubernetes' ActivePodsWithRanks order,
// on which the worker scaler's pod-deletion-cost (idle workers first) relies.

import { describe, expect, it } from 'vitest';
import { annotated, aksPod, labelled, notReadyPod, onNode, pending, type BuiltPod, type Mutator } from '../../builders/aks';
import { deletionCost, podsToDelete } from '../../../sim/model/pod-deletion-order';
import type { Pod } from '../../../sim/model/objects';
import { START, MINUTE, HOUR } from '../../builders/sim-cluster';

const NOW = START + 3 * 24 * HOUR;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Ready since `readyAgoMs` (and created then), on node n1 unless said otherwise. */
function worker(name: string, readyAgoMs: number, ...parts: Mutator<BuiltPod>[]): Pod {
  const at = iso(NOW - readyAgoMs);
  return aksPod(
    name,
    { createdAt: at },
    onNode('n1'),
    labelled({ app: 'bg' }),
    (p) => {
      p.status.conditions = [
        { type: 'Ready', status: 'True', lastTransitionTime: at },
        { type: 'PodScheduled', status: 'True' },
      ];
    },
    ...parts,
  );
}

function cost(value: number): Mutator<BuiltPod> {
  return annotated({ 'controller.kubernetes.io/pod-deletion-cost': String(value) });
}

function firstToGo(pods: Pod[], related: Pod[] = pods): string {
  return podsToDelete(pods, 1, related, NOW)[0]!.metadata.name;
}

describe('deletion order', () => {
  const cases: { rule: string; pods: () => Pod[]; first: string }[] = [
    {
      rule: 'an unscheduled pod before a scheduled one',
      pods: () => [worker('scheduled', HOUR), worker('unscheduled', HOUR, pending())],
      first: 'unscheduled',
    },
    {
      rule: 'Pending before Running (both on nodes)',
      pods: () => [worker('running', HOUR), worker('starting', HOUR, (p) => (p.status.phase = 'Pending'))],
      first: 'starting',
    },
    { rule: 'not Ready before Ready', pods: () => [worker('ready', HOUR), worker('unready', HOUR, notReadyPod())], first: 'unready' },
    { rule: 'the lower deletion cost first', pods: () => [worker('busy', HOUR, cost(1000)), worker('idle', HOUR, cost(0))], first: 'idle' },
    {
      rule: 'cost beats age: an old idle worker before a new busy one',
      pods: () => [worker('new-busy', MINUTE, cost(1000)), worker('old-idle', 2 * 24 * HOUR, cost(0))],
      first: 'old-idle',
    },
    {
      rule: 'a negative cost before no annotation',
      pods: () => [worker('plain', HOUR), worker('negative', HOUR, cost(-5))],
      first: 'negative',
    },
    {
      rule: 'readiness beats cost: an unready busy worker before a ready idle one',
      pods: () => [worker('ready-idle', HOUR, cost(0)), worker('unready-busy', HOUR, cost(1000), notReadyPod())],
      first: 'unready-busy',
    },
    {
      rule: 'doubled up (more of the workload on its node) before alone',
      pods: () => [
        worker('alone', HOUR, onNode('n2')),
        worker('crowded-a', HOUR, onNode('n1')),
        worker('crowded-b', 2 * HOUR, onNode('n1')),
      ],
      first: 'crowded-a',
    },
    {
      rule: 'ready for less time (log scale) before longer',
      pods: () => [worker('old', 2 * 24 * HOUR), worker('young', MINUTE)],
      first: 'young',
    },
  ];
  it.each(cases)('$rule', ({ pods, first }) => {
    expect(firstToGo(pods())).toBe(first);
  });

  it('treats ready times in the same power-of-two bucket as equal and then goes by uid', () => {
    // 61 and 62 minutes ago fall in the same log2(ns) bucket.
    const a = worker('a', 61 * MINUTE);
    const b = worker('b', 62 * MINUTE);
    const byUid = [a, b].sort((x, y) => (x.metadata.uid < y.metadata.uid ? -1 : 1))[0]!.metadata.name;
    expect(firstToGo([a, b])).toBe(byUid);
    expect(firstToGo([b, a])).toBe(byUid);
  });

  it('returns as many as asked, in order, and nothing for a non-positive count', () => {
    const pods = [worker('busy', HOUR, cost(1000)), worker('idle1', HOUR, cost(0)), worker('idle2', 2 * HOUR, cost(1))];
    expect(podsToDelete(pods, 2, pods, NOW).map((p) => p.metadata.name)).toEqual(['idle1', 'idle2']);
    expect(podsToDelete(pods, 0, pods, NOW)).toEqual([]);
  });
});

describe('pod-deletion-cost annotation', () => {
  const cases: { value: string | undefined; cost: number }[] = [
    { value: undefined, cost: 0 },
    { value: '1000', cost: 1000 },
    { value: '-7', cost: -7 },
    { value: 'busy', cost: 0 },
    { value: '1.5', cost: 0 },
    { value: '99999999999', cost: 0 },
  ];
  it.each(cases)('$value → $cost', ({ value, cost: expected }) => {
    const pod = worker(
      'p',
      HOUR,
      value === undefined ? () => undefined : annotated({ 'controller.kubernetes.io/pod-deletion-cost': value }),
    );
    expect(deletionCost(pod)).toBe(expected);
  });
});
