// What a tick leaves for the status page: the last run per scaler and a bounded history of figures
// and actions, kept across ticks by the status store, read back merged.

import { describe, expect, it } from 'vitest';
import type { VmsByPool } from '../../core/cost';
import type { Decision, NodeSummary } from '../../core/decision';
import { emptyMemory } from '../../core/memory';
import { runTick, type RunnerDeps } from '../../runner/run-tick';
import {
  appendHistory,
  HISTORY_ACTIONS,
  HISTORY_MAX_BYTES,
  HISTORY_SAMPLES,
  mergeHistories,
  type ScalerHistory,
} from '../../runner/status-history';
import { InMemoryStatus } from '../../sim/scenario/in-memory-status';
import { buildRunner } from '../builders/runner';
import {
  MINUTE,
  NOW,
  at,
  buildDeployment,
  buildNode,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  deallocated,
  podsOf,
} from '../builders/views';

const policy = buildPolicy();

function deps(snapshot: ReturnType<typeof buildSnapshot>, status: InMemoryStatus, clock: () => number): RunnerDeps {
  return buildRunner(snapshot, { status, clock }).deps;
}

/** A node tick's decision; without `vms`, as a summary from before VMs were counted per pool. */
function decisionAt(now: number, nodes: { running: number; desired: number; vms?: VmsByPool }): Decision {
  return {
    now: at(now),
    actions: [],
    skipped: [],
    refused: [],
    memory: emptyMemory(),
    summary: {
      nodes: {
        desired: nodes.desired,
        running: nodes.running,
        starting: 0,
        stopped: 0,
        draining: 0,
        drainsHoldingSlots: 0,
        workloadPods: 0,
        podsPerRunningNode: 0,
        minNodes: 2,
        maxNodes: 12,
        why: 'test',
        aksHolds: [],
        pendingPods: 0,
        oldestPendingPodSeconds: undefined,
        oldestDrainSeconds: undefined,
        overdueDrains: 0,
        ...(nodes.vms ? { vms: nodes.vms } : {}),
      } as NodeSummary,
      workers: [],
    },
    notes: [],
  };
}

describe('status history', () => {
  it('keeps each tick’s figures and actions with their reasons, across ticks and scalers', async () => {
    const status = new InMemoryStatus();
    let now = NOW;
    const snapshot = buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)],
      pods: [...podsOf('mdm', 'n1', 25), ...podsOf('web', 'n2', 25)],
      workloads: [buildDeployment('bg', 1)],
      queues: [buildQueue('clomo-jobs', 37, 45), buildQueue('clomo-jobs-priority', 0)],
    });
    const d = deps(snapshot, status, () => now);
    await runTick(d, policy, 'workers', { dryRun: false });
    now += MINUTE;
    await runTick(d, policy, 'nodes', { dryRun: false });

    const stored = await status.read();
    expect(Object.keys(stored).sort()).toEqual(['nodes', 'workers']);
    const merged = mergeHistories(Object.values(stored).map((s) => s.history));
    expect(merged.workers).toEqual([{ at: at(NOW), name: 'bg', replicas: 1, desired: expect.any(Number), queueDepth: 37 }]);
    expect(merged.workers[0]!.desired).toBeGreaterThan(1);
    expect(merged.nodes).toHaveLength(1);
    expect(merged.nodes[0]).toMatchObject({ at: at(NOW + MINUTE), running: 2, stopped: 1, minNodes: 2 });
    // Newest first: the node tick's start and uncordon after the worker tick's scale.
    expect(merged.timeline.map((e) => [e.scaler, e.type, e.outcome])).toEqual([
      ['nodes', 'uncordon', 'done'],
      ['nodes', 'start-node', 'done'],
      ['workers', 'scale', 'done'],
    ]);
    expect(merged.timeline[2]).toMatchObject({ target: 'clomo/bg', rule: expect.any(String), reason: expect.stringContaining('37') });
  });

  it("records every pool's VMs, billed and deallocated, storing them only when they change; reading fills them in", () => {
    const night = { user: { billed: 5, deallocated: 3 }, system: { billed: 1, deallocated: 0 } };
    const morning = { user: { billed: 7, deallocated: 1 }, system: { billed: 1, deallocated: 0 } };
    let history: unknown = appendHistory(
      { nodes: [{ at: at(NOW - MINUTE), running: 5 }] },
      decisionAt(NOW, { running: 5, desired: 5, vms: night }),
      [],
    );
    history = appendHistory(history, decisionAt(NOW + MINUTE, { running: 5, desired: 5, vms: night }), []);
    history = appendHistory(history, decisionAt(NOW + 2 * MINUTE, { running: 7, desired: 7, vms: morning }), []);
    history = appendHistory(history, decisionAt(NOW + 3 * MINUTE, { running: 7, desired: 7, vms: morning }), []);
    const stored = (history as ScalerHistory).nodes.map((s) => s.vms);
    expect(stored).toEqual([undefined, { user: [5, 3], system: [1, 0] }, undefined, { user: [7, 1], system: [1, 0] }, undefined]);
    // Read back: every sample from the first that recorded VMs carries those in force; the older one none.
    expect(mergeHistories([history]).nodes.map((s) => s.vms?.user)).toEqual([undefined, [5, 3], [5, 3], [7, 1], [7, 1]]);
  });

  it('keeps the VMs in force on the first sample kept when older samples go', () => {
    const vms = { user: { billed: 4, deallocated: 2 } };
    let history: unknown;
    for (let i = 0; i < HISTORY_SAMPLES + 5; i++)
      history = appendHistory(history, decisionAt(NOW + i * MINUTE, { running: 4, desired: 4, vms }), []);
    const nodes = (history as ScalerHistory).nodes;
    expect(nodes).toHaveLength(HISTORY_SAMPLES);
    expect(nodes[0]!.vms).toEqual({ user: [4, 2] });
    expect(nodes.filter((s) => s.vms !== undefined)).toHaveLength(1);
  });

  it('does not record a dry run', async () => {
    const status = new InMemoryStatus();
    await runTick(
      deps(buildSnapshot({ nodes: [buildNode('n1')] }), status, () => NOW),
      policy,
      'nodes',
      { dryRun: true },
    );
    expect(await status.read()).toEqual({});
  });

  it('stays bounded: the oldest samples and actions go first', () => {
    let history: unknown;
    for (let i = 0; i < HISTORY_SAMPLES + 50; i++)
      history = appendHistory(history, decisionAt(NOW + i * MINUTE, { running: i, desired: i }), []);
    const h = history as ScalerHistory;
    expect(h.nodes).toHaveLength(HISTORY_SAMPLES);
    expect(h.nodes[0]!.running).toBe(50);
    expect(h.nodes.at(-1)!.running).toBe(HISTORY_SAMPLES + 49);

    const decision = decisionAt(NOW, { running: 1, desired: 1 });
    const outcome = (i: number) => ({
      action: { type: 'uncordon' as const, scaler: 'nodes' as const, node: `n${i}`, rule: 'ready-after-start' as never, reason: 'r' },
      outcome: 'done' as const,
    });
    let withActions: unknown;
    for (let i = 0; i < HISTORY_ACTIONS + 10; i++) withActions = appendHistory(withActions, decision, [outcome(i)]);
    const actions = (withActions as ScalerHistory).actions;
    expect(actions).toHaveLength(HISTORY_ACTIONS);
    expect(actions[0]!.target).toBe('n10');
  });

  it('stays within its byte budget whatever the length of the reasons, keeping the newest', () => {
    const long = 'x'.repeat(2000);
    let history: unknown;
    for (let i = 0; i < 200; i++) {
      const outcome = {
        action: { type: 'uncordon' as const, scaler: 'nodes' as const, node: `n${i}`, rule: 'ready-after-start' as never, reason: long },
        outcome: 'done' as const,
      };
      history = appendHistory(history, decisionAt(NOW + i * MINUTE, { running: i, desired: i }), [outcome]);
    }
    const h = history as ScalerHistory;
    expect(Buffer.byteLength(JSON.stringify(h))).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(h.actions.length).toBeGreaterThan(40);
    expect(h.actions.at(-1)!.target).toBe('n199');
    expect(h.nodes.at(-1)!.running).toBe(199);

    // Samples dropped for bytes hand their VMs on to the first one kept.
    let withVms: unknown;
    for (let i = 0; i < 200; i++) {
      const outcome = {
        action: { type: 'uncordon' as const, scaler: 'nodes' as const, node: `n${i}`, rule: 'ready-after-start' as never, reason: long },
        outcome: 'done' as const,
      };
      withVms = appendHistory(
        withVms,
        decisionAt(NOW + i * MINUTE, { running: 3, desired: 3, vms: { user: { billed: 3, deallocated: 1 } } }),
        [outcome],
      );
    }
    const trimmed = (withVms as ScalerHistory).nodes;
    expect(trimmed.length).toBeLessThan(200);
    expect(trimmed[0]!.vms).toEqual({ user: [3, 1] });
  });

  it('starts afresh from a stored value it cannot read (a hand-edited ConfigMap)', () => {
    const h = appendHistory({ nodes: 'garbage', actions: 3 }, decisionAt(NOW, { running: 4, desired: 5 }), []);
    expect(h.nodes).toEqual([{ at: at(NOW), running: 4, starting: 0, draining: 0, stopped: 0, desired: 5, minNodes: 2 }]);
    expect(h.actions).toEqual([]);
    expect(mergeHistories([undefined, 'x', null])).toEqual({ nodes: [], workers: [], timeline: [], endedOverrides: [] });
  });
});
