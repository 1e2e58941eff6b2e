// The headline per scaler: desired against actual from the decision's own figures and, while a gap
// stands, the rule that holds it open with its numbers: never "content" while nodes are too many.

import { describe, expect, it } from 'vitest';
import { emptyMemory } from '../../core/memory';
import { plan } from '../../core/plan';
import { buildDashboard } from '../../page/data';
import { at, buildDeployment, buildNode, buildPolicy, buildQueue, buildSnapshot, cordoned, MINUTE, NOW, podsOf } from '../builders/views';

const policy = buildPolicy();

/** Six user nodes with a pod or two each, one more draining; an override caps the pool at 2. */
function tooManyNodes(drains: number) {
  const names = Array.from({ length: 6 + drains }, (_, i) => `user-${i}`);
  const snapshot = buildSnapshot({
    nodes: names.map((n, i) => (i >= 6 ? buildNode(n, cordoned) : buildNode(n))),
    pods: names.slice(0, 6).flatMap((n) => podsOf('web-' + n, n, 2)),
    workloads: [buildDeployment('bg', 2)],
    queues: [buildQueue('clomo-jobs', 15, 30), buildQueue('clomo-jobs-priority', 0, 0)],
  });
  const memory = emptyMemory();
  for (const n of names.slice(6)) memory.nodes.drains[n] = { since: at(NOW - 5 * MINUTE), reason: 'idle' };
  memory.overrides.push({
    id: 'ov-cap',
    scaler: 'nodes',
    mode: 'bounds',
    max: 2,
    reason: 'cost cap',
    createdAt: at(NOW - MINUTE),
    expiresAt: at(NOW + 60 * MINUTE),
  });
  const decision = plan({ snapshot, policy, memory, now: NOW });
  return buildDashboard({ decision, snapshot, policy, stored: {}, source: 'test' });
}

describe('scaler headlines', () => {
  it('says the drains in progress hold the gap open, with the numbers, when they are the bottleneck', () => {
    const data = tooManyNodes(1);
    const nodes = data.headlines.find((h) => h.scaler === 'nodes')!;
    expect(data.wouldDo.filter((a) => a.rule === 'scale-down-cordon')).toEqual([]);
    expect(nodes).toMatchObject({
      status: 'held',
      desired: 2,
      actual: 6,
      blockedBy: { rule: 'drain-limit', figures: { more: 4, drainsInProgress: 1, maxConcurrentDrains: 1 } },
    });
    expect(nodes.text).toBe('6 running or starting, 2 desired: 4 more could go, but 1 drain already in progress (at most 1 at a time)');
  });

  it('says the gap is being closed when a drain may start', () => {
    const nodes = tooManyNodes(0).headlines.find((h) => h.scaler === 'nodes')!;
    expect(nodes).toMatchObject({ status: 'closing', desired: 2, actual: 6 });
    expect(nodes.text).toMatch(/^6 running or starting, 2 desired: 4 nodes more than desired; closing now with cordon 1/);
  });

  it('gives every worker its own line, desired against its replicas', () => {
    const data = tooManyNodes(0);
    const bg = data.headlines.find((h) => h.scaler === 'workers/bg')!;
    const w = data.workers.find((x) => x.name === 'bg')!;
    expect(bg).toMatchObject({ desired: w.desired, actual: w.replicas });
    expect(bg.status).toBe(w.desired === w.replicas ? 'settled' : bg.actions > 0 ? 'closing' : 'held');
    if (bg.status === 'held') expect(bg.blockedBy).toBeDefined();
  });

  it('is never settled while desired and actual differ', () => {
    for (const drains of [0, 1, 2]) {
      for (const h of tooManyNodes(drains).headlines) {
        if (h.desired !== undefined && h.desired !== h.actual) expect(h.status, h.text).not.toBe('settled');
      }
    }
  });

  it('names the holiday on which a weekend window holds the minimum', () => {
    // Monday 11 January 2027, Coming of Age Day, 10:00 in Tokyo: the Sat-Sun window applies.
    const now = Date.parse('2027-01-11T10:00:00+09:00');
    const snapshot = buildSnapshot({ nodes: [buildNode('user-0'), buildNode('user-1')], pods: [] });
    const decision = plan({ snapshot, policy, memory: emptyMemory(), now });
    const data = buildDashboard({ decision, snapshot, policy, stored: {}, source: 'test' });
    expect(data.holiday).toEqual({ date: '2027-01-11', name: undefined });
    expect(data.counts.why).toContain('Sat-Sun 09:00-18:00 (holiday 2027-01-11, counted as a Sunday)');
    const named = { ...policy, holidayNames: new Map([['2027-01-11', '成人の日 (Coming of Age Day)']]) };
    const again = plan({ snapshot, policy: named, memory: emptyMemory(), now });
    const page = buildDashboard({ decision: again, snapshot, policy: named, stored: {}, source: 'test' });
    expect(page.holiday).toEqual({ date: '2027-01-11', name: '成人の日 (Coming of Age Day)' });
    expect(page.counts.why).toContain('(holiday 2027-01-11 成人の日 (Coming of Age Day), counted as a Sunday)');
  });
});

describe('pre-warming in the node headline', () => {
  function withDemand(mode: string) {
    const snapshot = buildSnapshot({ nodes: [buildNode('user-0'), buildNode('user-1')], pods: podsOf('web', 'user-0', 2) });
    const memory = emptyMemory();
    // Mondays have needed 9 nodes from 03:00 (NOW is Monday 03:00 in Tokyo; the lead is 10 minutes).
    memory.nodes.demand = { '1:03:00': 9 };
    const p = buildPolicy((doc) => (doc.nodes.prewarm = { mode, lead: '10m' }));
    const decision = plan({ snapshot, policy: p, memory, now: NOW });
    return buildDashboard({ decision, snapshot, policy: p, stored: {}, source: 'test' }).headlines.find((h) => h.scaler === 'nodes')!;
  }

  it('says what pre-warming would aim for when it only forecasts', () => {
    expect(withDemand('forecast').text).toContain('(forecast only: pre-warming would aim for 9 for Mon 03:00)');
  });

  it('says the desired count is pre-warming when it acts', () => {
    const nodes = withDemand('act');
    expect(nodes.desired).toBe(9);
    expect(nodes.text).toContain('9 desired (pre-warming for Mon 03:00)');
  });
});
