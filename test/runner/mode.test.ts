import { describe, expect, it } from 'vitest';
import type { Memory } from '../../core/memory';
import type { Snapshot } from '../../core/views';
import { runTick } from '../../runner/run-tick';
import { harness } from './harness';
import { NOW, at, buildDeployment, buildNode, buildPolicy, buildQueue, buildSnapshot, deallocated, pinnedNodes } from '../builders/views';

/** Three nodes wanted by a pin, one of them stopped; 40 messages for one bg worker. */
function busyMorning(): { snapshot: Snapshot; memory: Memory } {
  const memory = pinnedNodes(3);
  const snapshot = buildSnapshot({
    nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)],
    workloads: [buildDeployment('bg', 1)],
    queues: [buildQueue('clomo-jobs', 40), buildQueue('clomo-jobs-priority', 0)],
  });
  return { snapshot, memory };
}

describe('runTick and scaler modes', () => {
  it('observe: plans and records what it would do, writes nothing to the cluster or the VMs', async () => {
    const { snapshot, memory } = busyMorning();
    const h = harness(snapshot, memory);
    const policy = buildPolicy((p) => (p.modes = { nodes: 'observe', workers: 'observe', descheduler: 'off' }));
    const result = await runTick(h.deps, policy, 'all', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(h.writes).toEqual([]);
    expect(result.outcomes.map((o) => [o.action.type, o.outcome])).toEqual([
      ['start-node', 'observed'],
      ['uncordon', 'observed'],
      ['scale', 'observed'],
    ]);
    expect(h.logs).toContainEqual(expect.stringMatching(/^would start-node n3: .* \[observe mode: recorded, not carried out\]$/));
    // Memory keeps what was seen, never what would have been done: no start remembered, no scale time.
    expect(h.store.memory.nodes.starting).toEqual({});
    expect(h.store.memory.nodes.lastScaleUp).toBeUndefined();
    expect(h.store.memory.nodes.recommendations).toEqual([{ at: at(NOW), value: 3 }]);
    expect(h.store.memory.workers.bg).toEqual({ recommendations: [{ at: at(NOW), value: 10 }] });
    expect(h.statuses.all).toMatchObject({
      modes: { nodes: 'observe', workers: 'observe' },
      actions: [
        { type: 'start-node', outcome: 'observed' },
        { type: 'uncordon', outcome: 'observed' },
        { type: 'scale', outcome: 'observed' },
      ],
    });
  });

  it('observe for one scaler, act for another: only the acting one writes', async () => {
    const { snapshot, memory } = busyMorning();
    const h = harness(snapshot, memory);
    const policy = buildPolicy((p) => (p.modes = { nodes: 'observe', workers: 'act', descheduler: 'observe' }));
    await runTick(h.deps, policy, 'all', { dryRun: false });
    expect(h.writes).toEqual(['scale clomo/bg 10', 'event ScaleWorkers bg']);
    expect(h.store.memory.workers.bg?.lastScale).toBe(at(NOW));
    expect(h.store.memory.nodes.starting).toEqual({});
  });

  it('switching from observe to act starts from an honest history: the next tick acts at once', async () => {
    const { snapshot, memory } = busyMorning();
    const h = harness(snapshot, memory);
    await runTick(
      h.deps,
      buildPolicy((p) => (p.modes = { nodes: 'observe' })),
      'nodes',
      { dryRun: false },
    );
    await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    // The start and its uncordon go out side by side (runner/act.ts), in either order.
    expect(h.writes.slice(0, 2).sort()).toEqual(['start n3', 'uncordon n3']);
    expect(h.writes.slice(2)).toEqual(['event StartNode n3', 'event Uncordon n3']);
  });

  it('off: a timer tick reads, plans and writes nothing', async () => {
    const { snapshot } = busyMorning();
    const h = harness(snapshot);
    const result = await runTick(
      h.deps,
      buildPolicy((p) => (p.modes = { nodes: 'off' })),
      'nodes',
      { dryRun: false },
    );
    expect(result).toEqual({ status: 'off', scaler: 'nodes' });
    expect(h.reads()).toBe(0);
    expect(h.writes).toEqual([]);
    expect(h.logs[0]).toMatch(/^nodes: off/);
  });

  it('off: a dry run still shows what it would plan', async () => {
    const { snapshot, memory } = busyMorning();
    const h = harness(snapshot, memory);
    const result = await runTick(
      h.deps,
      buildPolicy((p) => (p.modes = { nodes: 'off' })),
      'nodes',
      { dryRun: true },
    );
    if (result.status !== 'planned') throw new Error(result.status);
    expect(result.decision.actions.map((a) => a.type)).toEqual(['start-node', 'uncordon']);
  });

  it('a refusal is logged as an error and recorded in the status; nothing is done', async () => {
    const { memory } = busyMorning();
    const h = harness(buildSnapshot({ workloads: [buildDeployment('bg', 1)] }), memory);
    const result = await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.decision.refused).toHaveLength(1);
    expect(h.writes).toEqual([]);
    expect(h.logs).toContainEqual(
      expect.stringMatching(/^ERROR nodes refused: snapshot.nodes: the cluster as read has no nodes at all; read the whole cluster/),
    );
    expect(h.statuses.nodes).toMatchObject({ refused: [{ scaler: 'nodes', field: 'snapshot.nodes' }] });
  });

  it('a queue the account does not have refuses the workers, naming the queue', async () => {
    const { snapshot, memory } = busyMorning();
    const h = harness(snapshot, memory);
    const { QueueNotFoundError } = await import('../../runner/ports');
    h.deps.queues = {
      read: async () => {
        throw new QueueNotFoundError('acct', ['clomo-jobs-priority'], [buildQueue('clomo-jobs', 40)]);
      },
    };
    const result = await runTick(h.deps, buildPolicy(), 'workers', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.decision.refused).toEqual([
      expect.objectContaining({
        field: 'workers[0].queues[1]',
        problem: 'worker bg: the storage account has no queue named clomo-jobs-priority',
      }),
    ]);
    expect(h.writes).toEqual([]);
  });
});
