// The status page's document: nodes by the state a person would name, protection said in words,
// counts over the managed pools only, and the history merged from every scaler's record.

import { describe, expect, it } from 'vitest';
import { emptyMemory } from '../../core/memory';
import { plan } from '../../core/plan';
import { buildDashboard, nodeState } from '../../page/data';
import { appendHistory } from '../../runner/status-history';
import {
  GIB,
  MINUTE,
  NOW,
  at,
  buildDeployment,
  buildNode,
  buildPod,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  cordoned,
  daemon,
  deallocated,
  inPool,
  nodeLabelled,
  notReady,
  onNode,
  pending,
  podsOf,
  requests,
} from '../builders/views';

const policy = buildPolicy();

function world() {
  const snapshot = buildSnapshot({
    nodes: [
      buildNode('user-0'),
      buildNode('user-1', cordoned),
      buildNode('user-2', deallocated),
      buildNode('user-3', notReady),
      buildNode('user-4', notReady, (n) => (n.power = 'starting')),
      buildNode('batch-0', inPool('batch'), nodeLabelled({ 'clomo/BatchDeployable': 'true' })),
      buildNode('system-0', inPool('system')),
    ],
    pods: [
      ...podsOf('mdm', 'user-0', 12, requests(150, GIB / 2)),
      buildPod('ds-user-0', onNode('user-0'), daemon, requests(100, GIB / 4)),
      ...podsOf('panel', 'user-1', 2),
      buildPod('waiting', pending),
    ],
    workloads: [buildDeployment('bg', 3)],
    queues: [buildQueue('clomo-jobs', 30, 90), buildQueue('clomo-jobs-priority', 2, 10)],
  });
  const memory = emptyMemory();
  memory.nodes.drains['user-1'] = { since: at(NOW - 5 * MINUTE), reason: 'idle' };
  memory.nodes.starting['user-4'] = { since: at(NOW - MINUTE), uncordonWhenReady: true };
  memory.overrides.push({
    id: 'ov-1',
    scaler: 'workers',
    mode: 'pin',
    count: 6,
    reason: 'incident 4711',
    createdAt: at(NOW),
    expiresAt: at(NOW + 60 * MINUTE),
  });
  return { snapshot, memory };
}

describe('the status page document', () => {
  it('says prominently which scalers only observe or are off, and which were refused', () => {
    const { snapshot, memory } = world();
    const observing = buildPolicy((p) => (p.modes = { nodes: 'observe', workers: 'act', descheduler: 'off' }));
    const decision = plan({ snapshot, policy: observing, memory, now: NOW });
    const data = buildDashboard({ decision, snapshot, policy: observing, stored: {}, source: 'test' });
    expect(data.modes).toEqual({ nodes: 'observe', workers: 'act', descheduler: 'off' });
    expect(data.banners.map((b) => [b.scaler, b.mode])).toEqual([
      ['nodes', 'observe'],
      ['descheduler', 'off'],
    ]);
    expect(data.banners[0]!.text).toMatch(/nodes: observe mode — decisions are planned and recorded, nothing is done/);
    // No pod in the world opted in to the descheduler: refused, with the fix.
    expect(data.refused).toEqual([expect.objectContaining({ scaler: 'descheduler', field: 'descheduler.podSelector' })]);
  });

  it('names each node’s state, its load and why it is left alone', () => {
    const { snapshot, memory } = world();
    const decision = plan({ snapshot, policy, memory, now: NOW });
    const data = buildDashboard({ decision, snapshot, policy, stored: {}, source: 'test cluster' });
    const byName = Object.fromEntries(data.nodes.map((n) => [n.name, n]));
    expect(Object.fromEntries(data.nodes.map((n) => [n.name, n.state]))).toEqual({
      'batch-0': 'running',
      'system-0': 'running',
      'user-0': 'running',
      'user-1': 'draining',
      'user-2': 'stopped',
      'user-3': 'not-ready',
      'user-4': 'starting',
    });
    expect(data.nodes.map((n) => n.pool)).toEqual(['batch', 'system', 'user', 'user', 'user', 'user', 'user']);
    expect(byName['user-0']).toMatchObject({
      workloadPods: 12,
      maxPods: 30,
      memoryRequestedBytes: 6.25 * GIB,
      cpuRequestedMilli: 12 * 150 + 100,
      protectedBy: undefined,
    });
    expect(byName['batch-0']!.protectedBy).toBe('labelled clomo/BatchDeployable');
    expect(byName['system-0']!.protectedBy).toBe('pool system is not managed');
    // Counted over the managed pool only.
    expect(data.counts).toMatchObject({
      running: 1,
      draining: 1,
      stopped: 1,
      notReady: 1,
      starting: 1,
      minNodes: expect.any(Number),
      desired: expect.any(Number),
    });
    expect(data.pendingPods).toBe(1);
    // The bounds in force: the pin's, not the policy's 1–40.
    expect(data.workers).toEqual([
      {
        name: 'bg',
        namespace: 'clomo',
        deployment: 'bg',
        replicas: 3,
        desired: 6,
        queueDepth: 32,
        oldestMessageAgeSeconds: 90,
        minReplicas: 6,
        maxReplicas: 6,
      },
    ]);
    expect(data.overrides.map((o) => o.id)).toEqual(['ov-1']);
    expect(data.wouldDo.find((a) => a.scaler === 'workers')).toMatchObject({
      type: 'scale',
      target: 'clomo/bg',
      reason: expect.stringContaining('incident 4711'),
    });
    expect(data.form).toEqual({ scalers: ['nodes', 'workers', 'descheduler', 'all'], workers: ['bg'] });
    expect(data).toMatchObject({ now: at(NOW), timezone: 'Asia/Tokyo', source: 'test cluster' });
  });

  it('shows the stored history of every scaler, samples oldest first and actions newest first', () => {
    const { snapshot, memory } = world();
    const decision = plan({ snapshot, policy, memory, now: NOW });
    const earlier = plan({ snapshot, policy, memory, now: NOW - 10 * MINUTE, scalers: ['nodes'] });
    const action = decision.actions.find((a) => a.scaler === 'workers')!;
    const stored = {
      nodes: { last: {}, history: appendHistory(undefined, earlier, []) },
      workers: {
        last: {},
        history: appendHistory(undefined, { ...decision, summary: { workers: decision.summary.workers } }, [{ action, outcome: 'done' }]),
      },
    };
    const data = buildDashboard({ decision, snapshot, policy, stored, source: 'test' });
    expect(data.series.nodes.map((s) => s.at)).toEqual([at(NOW - 10 * MINUTE)]);
    expect(data.series.workers).toEqual([{ at: at(NOW), name: 'bg', replicas: 3, desired: 6, queueDepth: 32 }]);
    expect(data.timeline).toEqual([expect.objectContaining({ scaler: 'workers', type: 'scale', target: 'clomo/bg', outcome: 'done' })]);
  });

  it("carries what every pool's VMs cost now and over the stored samples, at the policy's prices", () => {
    const { snapshot, memory } = world();
    const pricedPolicy = buildPolicy(
      (p) => (p.nodes.cost = { currency: 'JPY', vmHour: { user: 42, batch: 84 }, deallocatedDiskHour: { user: 4.7 } }),
    );
    const earlier = plan({ snapshot, policy: pricedPolicy, memory, now: NOW - 60 * MINUTE, scalers: ['nodes'] });
    const decision = plan({ snapshot, policy: pricedPolicy, memory, now: NOW });
    const stored = { nodes: { last: {}, history: appendHistory(undefined, earlier, []) } };
    const data = buildDashboard({ decision, snapshot, policy: pricedPolicy, stored, source: 'test' });
    // user: four VMs billed (running, draining, not ready, starting), one deallocated; batch one; system one, unpriced.
    const perHour = 4 * 42 + 84 + 4.7;
    expect(data.series.nodes[0]!.vms).toEqual({ user: [4, 1], batch: [1, 0], system: [1, 0] });
    expect(data.cost).toMatchObject({
      priced: true,
      currency: 'JPY',
      now: { perHour, billed: 6, deallocated: 1 },
      window: { from: at(NOW - 60 * MINUTE), until: at(NOW), samples: 1 },
      unpriced: ['system'],
    });
    // The one sample an hour ago stands for two minutes at most (a node tick a minute): the rest is a gap.
    expect(data.cost.priced && data.cost.window).toMatchObject({ hours: 0.033, gapHours: 0.967 });
    expect(data.cost.priced && data.cost.window!.amount).toBeCloseTo(perHour / 30, 2);

    const unpriced = buildDashboard({ decision, snapshot, policy, stored, source: 'test' });
    expect(unpriced.cost).toEqual({ priced: false, text: expect.stringContaining('nodes.cost') });
  });

  it('says "draining" for a node the scaler drains even before the cordon shows, and "stopped" for a stopping VM', () => {
    const memory = emptyMemory();
    memory.nodes.drains.n = { since: at(NOW), reason: 'idle' };
    expect(nodeState(buildNode('n'), memory)).toBe('draining');
    expect(
      nodeState(
        buildNode('n', (v) => (v.power = 'stopping')),
        memory,
      ),
    ).toBe('stopped');
    expect(nodeState(buildNode('m'), memory)).toBe('running');
  });
});
