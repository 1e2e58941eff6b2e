// The runner's own logic over recording port doubles (our ports, not a library's): what it does
// with the Lease, a dry run, refusals and failures, and a memory write that races an override.

import { describe, expect, it } from 'vitest';
import { VmRefusal, type EvictionOutcome, type MemoryStore, type NodeVms, type ObjectRef } from '../../runner/ports';
import { emptyMemory, type Memory } from '../../core/memory';
import type { Snapshot } from '../../core/views';
import { forgetFailed, runTick, type RunnerDeps } from '../../runner/run-tick';
import {
  MINUTE,
  NOW,
  at,
  buildDeployment,
  buildNode,
  buildPdb,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  cordoned,
  deallocated,
  labelled,
  nodeAnnotated,
  podsOf,
} from '../builders/views';
import { DRAINING_SINCE } from '../../core/annotations';

class StoreDouble implements MemoryStore {
  saves = 0;
  conflictsLeft = 0;
  version = 1;
  constructor(public memory: Memory = emptyMemory()) {}
  async load() {
    return { memory: structuredClone(this.memory), version: String(this.version) };
  }
  async save(memory: Memory, version: string | undefined) {
    this.saves++;
    if (this.conflictsLeft > 0 || version !== String(this.version)) {
      this.conflictsLeft = Math.max(0, this.conflictsLeft - 1);
      // Someone (an HTTP override) wrote meanwhile.
      this.version++;
      return false;
    }
    this.memory = structuredClone(memory);
    this.version++;
    return true;
  }
}

function harness(snapshot: Snapshot, opts: { memory?: Memory; leaseFree?: boolean; evict?: EvictionOutcome; vms?: Partial<NodeVms> } = {}) {
  const calls: string[] = [];
  const events: { ref: ObjectRef; reason: string }[] = [];
  const logs: string[] = [];
  const store = new StoreDouble(opts.memory);
  const deps: RunnerDeps = {
    reader: { readCluster: async () => snapshot },
    queues: { read: async (names) => snapshot.queues.filter((q) => names.includes(q.name)) },
    actions: {
      cordon: async (node) => void calls.push(`cordon ${node}`),
      uncordon: async (node) => void calls.push(`uncordon ${node}`),
      evict: async (ns, pod) => {
        calls.push(`evict ${ns}/${pod}`);
        return opts.evict ?? 'evicted';
      },
      scale: async (ns, d, r) => void calls.push(`scale ${ns}/${d} ${r}`),
      setDeletionCost: async (ns, p, c) => void calls.push(`cost ${ns}/${p} ${c}`),
    },
    vms: {
      start: opts.vms?.start ?? (async (n) => void calls.push(`start ${n.name}`)),
      deallocate: opts.vms?.deallocate ?? (async (n) => void calls.push(`deallocate ${n.name}`)),
      addNodes: opts.vms?.addNodes ?? (async (p, c) => void calls.push(`add ${p} ${c}`)),
      poolStates: opts.vms?.poolStates ?? (async () => undefined),
    },
    memory: store,
    lease: {
      acquire: async (name, holder) => {
        calls.push(`lease ${name} ${holder}`);
        return opts.leaseFree ?? true;
      },
      release: async (name) => void calls.push(`release ${name}`),
    },
    events: { emit: async (ref, e) => void events.push({ ref, reason: e.reason }) },
    status: undefined,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`), error: (m) => logs.push(`ERROR ${m}`) },
    clock: () => NOW,
    holder: 'test-1',
  };
  return { deps, calls, events, logs, store };
}

const policy = buildPolicy();
const morning = () => buildSnapshot({ nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)] });

describe('runTick', () => {
  it('backs off quietly when another runner holds the Lease', async () => {
    const h = harness(morning(), { leaseFree: false });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('not-leader');
    expect(h.calls).toEqual(['lease graceful-scaler-nodes test-1']);
    expect(h.logs[0]).toContain('another runner holds lease graceful-scaler-nodes');
  });

  it('plans without acting, locking or saving in a dry run', async () => {
    const pinned = emptyMemory();
    pinned.overrides.push({ id: 'o', scaler: 'nodes', mode: 'pin', count: 3, reason: 'test', createdAt: at(NOW), expiresAt: at(NOW + MINUTE) });
    const h = harness(morning(), { memory: pinned });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: true });
    expect(result.status).toBe('planned');
    if (result.status !== 'planned') return;
    expect(result.decision.actions.map((a) => a.type)).toEqual(['start-node']);
    expect(h.calls).toEqual([]);
    expect(h.store.saves).toBe(0);
  });

  it('acts in order, saves memory, records events and releases the Lease', async () => {
    const pinned = emptyMemory();
    pinned.overrides.push({ id: 'o', scaler: 'nodes', mode: 'pin', count: 3, reason: 'test', createdAt: at(NOW), expiresAt: at(NOW + MINUTE) });
    const h = harness(morning(), { memory: pinned });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('acted');
    expect(h.calls).toEqual(['lease graceful-scaler-nodes test-1', 'start n3', 'release graceful-scaler-nodes']);
    expect(h.store.memory.nodes.starting.n3).toEqual({ since: at(NOW), uncordonWhenReady: true });
    expect(h.events).toEqual([{ ref: { kind: 'Node', name: 'n3' }, reason: 'StartNode' }]);
  });

  it('treats a PodDisruptionBudget refusal as a normal outcome', async () => {
    const snapshot = buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) }))],
      pods: podsOf('mdm', 'n3', 1, labelled({ app: 'mdm' })),
      pdbs: [buildPdb('mdm', 'app=mdm', 1)],
    });
    const h = harness(snapshot, { evict: 'refused-by-pdb' });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => [o.action.type, o.outcome])).toEqual([['evict', 'refused']]);
    expect(h.events[0]?.reason).toBe('EvictRefused');
    expect(h.logs.some((l) => l.startsWith('ERROR'))).toBe(false);
  });

  it('forgets a start that Azure refused, so the next tick tries again at once', async () => {
    const pinned = emptyMemory();
    pinned.overrides.push({ id: 'o', scaler: 'nodes', mode: 'pin', count: 3, reason: 'test', createdAt: at(NOW), expiresAt: at(NOW + MINUTE) });
    const h = harness(morning(), {
      memory: pinned,
      vms: {
        start: async () => {
          throw new VmRefusal('throttled', 'ARM said 429 for too long');
        },
      },
    });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes[0]).toMatchObject({ outcome: 'refused', detail: 'throttled: ARM said 429 for too long' });
    expect(h.store.memory.nodes.starting).toEqual({});
  });

  it('keeps an override written while the tick ran, replacing only its own scaler', async () => {
    const h = harness(buildSnapshot({ workloads: [buildDeployment('bg', 1)], queues: [buildQueue('clomo-jobs', 40), buildQueue('clomo-jobs-priority', 0)] }));
    h.store.conflictsLeft = 1;
    const original = h.store.load.bind(h.store);
    let loads = 0;
    h.store.load = async () => {
      loads++;
      const loaded = await original();
      // The second load sees the override a person added meanwhile.
      if (loads === 2) loaded.memory.overrides.push({ id: 'human', scaler: 'nodes', mode: 'pause', reason: 'maintenance', createdAt: at(NOW), expiresAt: at(NOW + MINUTE) });
      return loaded;
    };
    const result = await runTick(h.deps, policy, 'workers', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.memorySaved).toBe(true);
    expect(h.store.memory.overrides.map((o) => o.id)).toEqual(['human']);
    expect(h.store.memory.workers.bg?.recommendations).toHaveLength(1);
  });
});

describe('forgetFailed', () => {
  it('drops a drain whose cordon failed and a stop that did not go through', () => {
    const m = emptyMemory();
    m.nodes.drains.a = { since: at(NOW), reason: 'x' };
    m.nodes.drains.b = { since: at(NOW - MINUTE), reason: 'y', stopRequestedAt: at(NOW) };
    m.nodes.provisioning.push({ pool: 'user', count: 2, since: at(NOW), nodesBefore: 3 });
    const base = { scaler: 'nodes' as const, reason: 'r' };
    const kept = forgetFailed(
      m,
      [
        { action: { ...base, type: 'cordon', node: 'a', rule: 'scale-down-cordon' }, outcome: 'failed' },
        { action: { ...base, type: 'stop-node', node: 'b', rule: 'drain-complete-stop' }, outcome: 'refused' },
        { action: { ...base, type: 'add-nodes', pool: 'user', count: 2, rule: 'scale-up-add-nodes' }, outcome: 'failed' },
      ],
      at(NOW),
    );
    expect(kept.nodes.drains).toEqual({ b: { since: at(NOW - MINUTE), reason: 'y' } });
    expect(kept.nodes.provisioning).toEqual([]);
    expect(m.nodes.drains.a).toBeDefined(); // the input is not changed
  });
});
