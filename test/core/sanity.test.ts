import { describe, expect, it } from 'vitest';
import { describeRefusal } from '../../core/decision';
import { plan } from '../../core/plan';
import { checkSanity } from '../../core/sanity';
import type { Snapshot } from '../../core/views';
import {
  NOW,
  buildDeployment,
  buildNode,
  buildPod,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  inPool,
  labelled,
  onNode,
  ownedBy,
} from '../builders/views';

/** A cluster the example policy fits: a user pool, the bg Deployment, an opted-in pod. */
function sound(change: Partial<Snapshot> = {}): Snapshot {
  return buildSnapshot({
    nodes: [buildNode('n1'), buildNode('s1', inPool('system'))],
    pods: [buildPod('web-1', onNode('n1'), ownedBy('ReplicaSet', 'web'), labelled({ 'clomo/descheduling': 'enabled' }))],
    workloads: [buildDeployment('bg', 1)],
    queues: [buildQueue('clomo-jobs', 3), buildQueue('clomo-jobs-priority', 0)],
    ...change,
  });
}

describe('checkSanity: nonsense is refused with the field and the fix', () => {
  it('accepts a cluster the policy fits', () => {
    expect(checkSanity(sound(), buildPolicy(), ['nodes', 'workers', 'descheduler'])).toEqual([]);
  });

  const cases: {
    name: string;
    snapshot: Snapshot;
    policy?: Parameters<typeof buildPolicy>[0];
    scalers?: ('nodes' | 'workers' | 'descheduler')[];
    expect: { scaler: string; field: string; problem: RegExp; fix: RegExp }[];
  }[] = [
    {
      name: 'a snapshot without nodes (a dump of only Deployments)',
      snapshot: sound({ nodes: [] }),
      expect: ['nodes', 'workers', 'descheduler'].map((scaler) => ({
        scaler,
        field: 'snapshot.nodes',
        problem: /has no nodes at all/,
        fix: /kubectl get nodes,pods,poddisruptionbudgets,deployments -A -o json/,
      })),
    },
    {
      name: 'a pool that matches no node',
      snapshot: sound(),
      policy: (p) => (p.nodes.pools = ['users']),
      scalers: ['nodes'],
      expect: [
        {
          scaler: 'nodes',
          field: 'nodes.pools[0]',
          problem: /no node is in agent pool "users" \(label kubernetes.azure.com\/agentpool\)/,
          fix: /name a pool this cluster has \(system, user\)/,
        },
      ],
    },
    {
      name: 'a worker whose Deployment does not exist',
      snapshot: sound({ workloads: [buildDeployment('mdm', 3)] }),
      scalers: ['workers'],
      expect: [
        {
          scaler: 'workers',
          field: 'workers[0].deployment',
          problem: /no Deployment clomo\/bg in the cluster/,
          fix: /Deployments in clomo: mdm/,
        },
      ],
    },
    {
      name: 'a worker whose queue does not exist in the account',
      snapshot: sound({ queues: [buildQueue('clomo-jobs', 3)], missingQueues: ['clomo-jobs-priority'] }),
      scalers: ['workers'],
      expect: [
        {
          scaler: 'workers',
          field: 'workers[0].queues[1]',
          problem: /no queue named clomo-jobs-priority/,
          fix: /QUEUES_CONNECTION_STRING \/ QUEUES_ACCOUNT_URL/,
        },
      ],
    },
    {
      name: 'a descheduler node selector that matches no node',
      snapshot: sound(),
      policy: (p) => (p.descheduler.nodeSelector = 'kubernetes.azure.com/agentpool=usr'),
      scalers: ['descheduler'],
      expect: [
        {
          scaler: 'descheduler',
          field: 'descheduler.nodeSelector',
          problem: /no node matches "kubernetes.azure.com\/agentpool=usr"/,
          fix: /pools: system, user/,
        },
      ],
    },
    {
      name: 'a descheduler pod selector that matches no pod',
      snapshot: sound({ pods: [buildPod('web-1', onNode('n1'), ownedBy('ReplicaSet', 'web'))] }),
      scalers: ['descheduler'],
      expect: [
        {
          scaler: 'descheduler',
          field: 'descheduler.podSelector',
          problem: /no pod matches "clomo\/descheduling=enabled"/,
          fix: /label the pods that may be moved/,
        },
      ],
    },
  ];

  it.each(cases)('refuses $name', (c) => {
    const policy = buildPolicy(c.policy);
    const refused = checkSanity(c.snapshot, policy, c.scalers ?? ['nodes', 'workers', 'descheduler']);
    expect(refused).toHaveLength(c.expect.length);
    c.expect.forEach((e, i) => {
      const r = refused[i]!;
      expect(r).toMatchObject({ scaler: e.scaler, field: e.field });
      expect(r.problem).toMatch(e.problem);
      expect(r.fix).toMatch(e.fix);
    });
  });

  it('checks only the scalers asked for and those the policy has', () => {
    expect(checkSanity(sound({ workloads: [] }), buildPolicy(), ['nodes'])).toEqual([]);
    expect(
      checkSanity(
        sound({ nodes: [] }),
        buildPolicy((p) => delete p.descheduler),
        ['descheduler'],
      ),
    ).toEqual([]);
  });

  it('plan() refuses the scaler concerned: no action, its memory untouched, the others planned', () => {
    const d = plan({
      snapshot: sound({ nodes: [buildNode('s1', inPool('system'))] }),
      policy: buildPolicy((p) => (p.nodes.pools = ['users'])),
      now: NOW,
      scalers: ['nodes', 'workers'],
    });
    expect(d.refused.map((r) => r.field)).toEqual(['nodes.pools[0]']);
    expect(d.actions.filter((a) => a.scaler === 'nodes')).toEqual([]);
    expect(d.summary.nodes).toBeUndefined();
    expect(d.summary.workers).toHaveLength(1);
    expect(describeRefusal(d.refused[0]!)).toMatch(
      /^nodes refused: nodes.pools\[0\]: no node is in agent pool "users".*; name a pool this cluster has \(system\)/,
    );
  });
});
