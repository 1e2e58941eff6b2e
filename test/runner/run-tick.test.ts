// The runner's own logic over recording port doubles (our ports, not a library's): what it does
// with the Lease, a dry run, refusals and failures, and a memory write that races an override.

import { describe, expect, it } from 'vitest';
import { VmRefusal, type EvictionOutcome, type MemoryStore, type NodeVms, type ObjectRef } from '../../runner/ports';
import { emptyMemory, type Memory } from '../../core/memory';
import type { Snapshot } from '../../core/views';
import { forgetFailed, runTick, type RunnerDeps } from '../../runner/run-tick';
import { VM_OPERATIONS_AT_ONCE } from '../../runner/act';
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
  pinnedNodes,
  podsOf,
} from '../builders/views';
import { DRAINING_SINCE } from '../../core/annotations';
import { readerOf, vmStateOf } from '../builders/fresh-reads';
import { InMemoryLease } from '../../sim/scenario/in-process-ports';

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

function harness(
  snapshot: Snapshot,
  opts: { memory?: Memory; leaseFree?: boolean; evict?: EvictionOutcome; vms?: Partial<NodeVms>; fresh?: () => Snapshot } = {},
) {
  const calls: string[] = [];
  const events: { ref: ObjectRef; reason: string }[] = [];
  const logs: string[] = [];
  const store = new StoreDouble(opts.memory);
  const deps: RunnerDeps = {
    // Fresh reads (the re-checks) see the same cluster unless a test changes it after the plan.
    reader: { ...readerOf(opts.fresh ?? (() => snapshot)), readCluster: async () => snapshot },
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
      markNode: async (node, mark, set) => {
        calls.push(`mark ${node} ${set ? '+' : '-'}${mark}`);
        return 'marked';
      },
    },
    vms: {
      start: opts.vms?.start ?? (async (n) => void calls.push(`start ${n.name}`)),
      deallocate: opts.vms?.deallocate ?? (async (n) => void calls.push(`deallocate ${n.name}`)),
      addNodes: opts.vms?.addNodes ?? (async (p, c) => void calls.push(`add ${p} ${c}`)),
      state: opts.vms?.state ?? vmStateOf,
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
    // No waiting for the Lease here: a held Lease backs off at once; tick ids are predictable.
    limits: { leaseWaitMs: 0 },
    timing: { tickId: () => 't1', sleep: async () => {} },
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
    expect(h.calls).toEqual(['lease graceful-scaler test-1/t1']);
    expect(h.logs[0]).toContain('another tick holds lease graceful-scaler');
  });

  it('plans without acting, locking or saving in a dry run', async () => {
    const pinned = pinnedNodes(3);
    const h = harness(morning(), { memory: pinned });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: true });
    expect(result.status).toBe('planned');
    if (result.status !== 'planned') return;
    expect(result.decision.actions.map((a) => a.type)).toEqual(['start-node', 'uncordon']);
    expect(h.calls).toEqual([]);
    expect(h.store.saves).toBe(0);
  });

  it('goes on from nothing remembered when the stored memory is unreadable, says so, and saves over it', async () => {
    const h = harness(morning());
    h.store.load = async () => ({ memory: emptyMemory(), version: '1', unreadable: 'ConfigMap x key memory.json: not JSON' });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('acted');
    expect(h.logs).toContain('ERROR memory unreadable: ConfigMap x key memory.json: not JSON');
    expect(h.store.saves).toBe(1);
  });

  it('acts in order, saves memory, records events and releases the Lease', async () => {
    const pinned = pinnedNodes(3);
    const h = harness(morning(), { memory: pinned });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('acted');
    // The start and its uncordon go out side by side (runner/act.ts); the outcomes keep the decision's order.
    expect(h.calls[0]).toBe('lease graceful-scaler test-1/t1');
    expect(h.calls.slice(1, 3).sort()).toEqual(['start n3', 'uncordon n3']);
    expect(h.calls[3]).toBe('release graceful-scaler');
    expect(result.status === 'acted' && result.outcomes.map((o) => `${o.action.type} ${o.outcome}`)).toEqual([
      'start-node done',
      'uncordon done',
    ]);
    expect(h.store.memory.nodes.starting.n3).toEqual({ since: at(NOW), uncordonWhenReady: true });
    expect(h.events).toEqual([
      { ref: { kind: 'Node', name: 'n3' }, reason: 'StartNode' },
      { ref: { kind: 'Node', name: 'n3' }, reason: 'Uncordon' },
    ]);
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
    const pinned = pinnedNodes(3);
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
    const h = harness(
      buildSnapshot({
        nodes: [buildNode('n1')],
        workloads: [buildDeployment('bg', 1)],
        queues: [buildQueue('clomo-jobs', 40), buildQueue('clomo-jobs-priority', 0)],
      }),
    );
    h.store.conflictsLeft = 1;
    const original = h.store.load.bind(h.store);
    let loads = 0;
    h.store.load = async () => {
      loads++;
      const loaded = await original();
      // The second load sees the override a person added meanwhile.
      if (loads === 2)
        loaded.memory.overrides.push({
          id: 'human',
          scaler: 'nodes',
          mode: 'pause',
          reason: 'maintenance',
          createdAt: at(NOW),
          expiresAt: at(NOW + MINUTE),
        });
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

describe('re-checks right before a destructive call', () => {
  const drained = () =>
    buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 30 * MINUTE) }))],
    });

  it('stops a drained, empty node that is still ours', async () => {
    const h = harness(drained());
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => [o.action.type, o.outcome])).toEqual([['stop-node', 'done']]);
    expect(h.calls).toContain('deallocate n3');
  });

  it('refuses a stale stop: the node was uncordoned since the plan and pods now run on it', async () => {
    const fresh = buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3')],
      pods: podsOf('mdm', 'n3', 22, labelled({ app: 'mdm' })),
    });
    const h = harness(drained(), { fresh: () => fresh });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes[0]).toMatchObject({
      outcome: 'refused',
      detail: expect.stringMatching(/^stale: node n3 was uncordoned since the plan; 22 pods now run on it \(/),
    });
    expect(h.calls.filter((c) => c.startsWith('deallocate'))).toEqual([]);
    // Not remembered as requested: the next tick plans afresh.
    expect(h.store.memory.nodes.drains.n3?.stopRequestedAt).toBeUndefined();
    expect(h.events).toContainEqual({ ref: { kind: 'Node', name: 'n3' }, reason: 'StopNodeRefused' });
  });

  it('refuses a stop when a workload pod landed on the still-cordoned node; DaemonSet pods do not count', async () => {
    const still = drained();
    const fresh = { ...still, pods: [...podsOf('agent', 'n3', 1, (p) => (p.daemonSet = true)), ...podsOf('job', 'n3', 1)] };
    const h = harness(still, { fresh: () => fresh });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes[0]?.detail).toMatch(/^stale: node n3 1 pod now runs on it/);
    expect(h.calls.filter((c) => c.startsWith('deallocate'))).toEqual([]);
  });

  it('refuses a drain’s eviction once the drain is no longer ours', async () => {
    const snapshot = buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) }))],
      pods: podsOf('mdm', 'n3', 2, labelled({ app: 'mdm' })),
    });
    const fresh = { ...snapshot, nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned)] };
    const h = harness(snapshot, { fresh: () => fresh });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['refused', 'refused']);
    expect(result.outcomes[0]?.detail).toContain('stale: node n3 is cordoned, but no longer by graceful-scaler');
    expect(h.calls.filter((c) => c.startsWith('evict'))).toEqual([]);
  });

  it('refuses a start when the VM is already starting, and forgets it so the next tick looks again', async () => {
    const pinned = pinnedNodes(3);
    const h = harness(morning(), { memory: pinned, vms: { state: async () => ({ power: 'starting', busy: true }) } });
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes[0]).toMatchObject({
      outcome: 'refused',
      detail: 'stale: the VM of node n3 is already starting; not started again',
    });
    expect(h.calls.filter((c) => c.startsWith('start'))).toEqual([]);
  });
});

describe('keeping going through faults', () => {
  it('records a failed action and carries on with the others', async () => {
    const snapshot = buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) }))],
      pods: podsOf('mdm', 'n3', 3, labelled({ app: 'mdm' })),
    });
    const h = harness(snapshot);
    let evictions = 0;
    h.deps.actions.evict = async (ns, pod) => {
      if (evictions++ === 0) throw new Error('ECONNRESET after retries');
      h.calls.push(`evict ${ns}/${pod}`);
      return 'evicted';
    };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['failed', 'done', 'done']);
    expect(result.memorySaved).toBe(true);
  });

  /** Two running nodes and ten stopped ones, pinned at 12; wall time as the test moves it, a 20 s deadline. */
  const tenToStart = () => {
    const pinned = pinnedNodes(12);
    const stopped = Array.from({ length: 10 }, (_, i) => buildNode(`s${i}`, deallocated));
    const h = harness(buildSnapshot({ nodes: [buildNode('n1'), buildNode('n2'), ...stopped] }), { memory: pinned });
    const clock = { wall: 0 };
    h.deps.timing = { ...h.deps.timing, now: () => clock.wall };
    h.deps.limits = { ...h.deps.limits, deadlineMs: 20_000 };
    return { h, clock };
  };

  it('starts no action after the deadline: the rest are deferred, their memory undone, memory still saved', async () => {
    const { h, clock } = tenToStart();
    let inFlight = 0;
    let mostInFlight = 0;
    h.deps.vms.start = async (n) => {
      h.calls.push(`start ${n.name}`);
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await Promise.resolve();
      clock.wall += 25_000; // a slow answer
      inFlight--;
    };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    // VM_OPERATIONS_AT_ONCE are sent together, all before the deadline; the rest come after it.
    expect(mostInFlight).toBe(VM_OPERATIONS_AT_ONCE);
    // The starts first (what pending pods wait for), then the ten uncordons: past the deadline, they
    // are deferred, and each started node is uncordoned once Ready (uncordonWhenReady).
    const starts = result.outcomes.slice(0, 10);
    expect(starts.map((o) => `${o.action.type} ${o.outcome}`)).toEqual([
      ...Array<string>(VM_OPERATIONS_AT_ONCE).fill('start-node done'),
      'start-node deferred',
      'start-node deferred',
    ]);
    expect(starts[9]?.detail).toContain('past its deadline of 20 s');
    expect(result.outcomes.slice(10).map((o) => `${o.action.type} ${o.outcome}`)).toEqual(Array<string>(10).fill('uncordon deferred'));
    expect(h.calls.filter((c) => c.startsWith('start'))).toHaveLength(VM_OPERATIONS_AT_ONCE);
    expect(Object.keys(h.store.memory.nodes.starting).sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    expect(Object.values(h.store.memory.nodes.starting).every((s) => s.uncordonWhenReady)).toBe(true);
    expect(result.memorySaved).toBe(true);
  });

  it('a start whose answer is lost holds back neither the other starts nor the uncordons of the nodes started', async () => {
    const { h, clock } = tenToStart();
    h.deps.vms.start = async (n) => {
      h.calls.push(`start ${n.name}`);
      if (n.name !== 's0') return;
      // The adapter's bound on an ARM call: 30 s during which the other lanes go on.
      await new Promise((resolve) => setTimeout(resolve, 50));
      clock.wall += 30_000;
    };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    const outcomes = (type: string) => result.outcomes.filter((o) => o.action.type === type).map((o) => o.outcome);
    // One after the other, the uncordons behind s0's 30 s would all be deferred, and the nodes would
    // come up cordoned, their pods waiting for the next tick.
    expect(outcomes('start-node').filter((o) => o === 'done').length).toBeGreaterThanOrEqual(VM_OPERATIONS_AT_ONCE);
    expect(outcomes('uncordon').filter((o) => o === 'done').length).toBeGreaterThanOrEqual(VM_OPERATIONS_AT_ONCE - 1);
  });

  it('sends the uncordons side by side: one that hangs until its timeout leaves the others done', async () => {
    const { h, clock } = tenToStart();
    h.deps.actions.uncordon = async (node) => {
      h.calls.push(`uncordon ${node}`);
      await Promise.resolve();
      if (node === 's0') clock.wall += 30_000; // an answer lost: the client's timeout
    };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    const uncordons = result.outcomes.filter((o) => o.action.type === 'uncordon');
    expect(result.outcomes.filter((o) => o.action.type === 'start-node').map((o) => o.outcome)).toEqual(Array<string>(10).fill('done'));
    // Sent one after the other, s0's hang would have deferred all nine others; beside the starts, in
    // VM_OPERATIONS_AT_ONCE lanes, most went out before it returned.
    const done = uncordons.filter((o) => o.outcome === 'done').length;
    expect(done).toBeGreaterThanOrEqual(VM_OPERATIONS_AT_ONCE - 2);
    expect(uncordons.map((o) => o.outcome)).toEqual([...Array<string>(done).fill('done'), ...Array<string>(10 - done).fill('deferred')]);
  });
});

describe('one writer per cluster', () => {
  it('takes one Lease for every target, under an identity unique to the tick', async () => {
    const h = harness(morning());
    let id = 0;
    h.deps.timing = { ...h.deps.timing, tickId: () => `t${++id}` };
    for (const target of ['nodes', 'workers', 'descheduler', 'all'] as const) await runTick(h.deps, policy, target, { dryRun: false });
    expect(h.calls.filter((c) => c.startsWith('lease'))).toEqual([
      'lease graceful-scaler test-1/t1',
      'lease graceful-scaler test-1/t2',
      'lease graceful-scaler test-1/t3',
      'lease graceful-scaler test-1/t4',
    ]);
  });

  it('waits a little for a Lease held by another tick, then acts', async () => {
    const h = harness(morning());
    let tries = 0;
    h.deps.lease.acquire = async () => ++tries >= 3;
    let wall = 0;
    h.deps.timing = { ...h.deps.timing, now: () => wall, sleep: async (ms) => void (wall += ms), random: () => 0.5 };
    h.deps.limits = { leaseWaitMs: 5_000, leasePollMs: 500 };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('acted');
    expect(tries).toBe(3);
    expect(wall).toBe(1_000);
  });

  it("takes over the Lease of a tick that crashed once it expires, and still acts: the wait is not the tick's time", async () => {
    const pinned = pinnedNodes(3);
    const h = harness(morning(), { memory: pinned });
    let wall = 0;
    // The crashed tick renewed its 40 s Lease 5 s before this tick began; nothing will release it.
    const lease = new InMemoryLease(() => NOW + wall);
    wall = -5_000;
    await lease.acquire('graceful-scaler', 'crashed/t0', 40);
    wall = 0;
    h.deps.lease = lease;
    h.deps.timing = { ...h.deps.timing, now: () => wall, sleep: async (ms) => void (wall += ms), random: () => 0.5 };
    h.deps.limits = {}; // the Function timers' defaults
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('acted');
    expect(wall).toBeGreaterThanOrEqual(35_000);
    expect(wall).toBeLessThan(36_000);
    if (result.status !== 'acted') return;
    // 35 s spent waiting is past the 25 s deadline measured from the timer, but not from the Lease.
    expect(result.outcomes.map((o) => [o.action.type, o.outcome])).toEqual([
      ['start-node', 'done'],
      ['uncordon', 'done'],
    ]);
  });

  it('backs off once the wait is over', async () => {
    const h = harness(morning(), { leaseFree: false });
    let wall = 0;
    h.deps.timing = { ...h.deps.timing, now: () => wall, sleep: async (ms) => void (wall += ms), random: () => 0.5 };
    h.deps.limits = { leaseWaitMs: 2_000, leasePollMs: 500 };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    expect(result.status).toBe('not-leader');
    expect(h.calls.filter((c) => c.startsWith('lease'))).toHaveLength(5); // at 0, 0.5, 1, 1.5 and 2 s
    expect(wall).toBeLessThanOrEqual(2_000);
  });
});

describe('a memory save that lost the race', () => {
  it('keeps the entries another tick stored meanwhile', async () => {
    const pinned = pinnedNodes(3);
    const h = harness(morning(), { memory: pinned });
    const save = h.store.save.bind(h.store);
    let first = true;
    h.store.save = async (memory, version) => {
      if (first) {
        first = false;
        // Another tick saved meanwhile: a pool growth and another VM's start.
        h.store.memory.nodes.provisioning.push({ pool: 'batch', count: 1, since: at(NOW - 1_000), nodesBefore: 1 });
        h.store.memory.nodes.starting.other = { since: at(NOW - 1_000), uncordonWhenReady: false };
        h.store.version++;
      }
      return save(memory, version);
    };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.memorySaved).toBe(true);
    expect(Object.keys(h.store.memory.nodes.starting).sort()).toEqual(['n3', 'other']);
    expect(h.store.memory.nodes.provisioning.map((p) => p.pool)).toEqual(['batch']);
  });
});

describe('Events', () => {
  it('records a pool’s growth on the status object, never on a node that does not exist', async () => {
    const snapshot = buildSnapshot({
      nodes: [buildNode('n1'), buildNode('n2')],
      pods: podsOf(
        'mdm',
        undefined as unknown as string,
        60,
        (p) => ((p.node = undefined), (p.phase = 'Pending'), (p.unschedulable = true)),
      ),
    });
    const h = harness(snapshot);
    h.deps.status = {
      ref: { kind: 'ConfigMap', name: 'graceful-scaler-status', namespace: 'graceful-scaler' },
      write: async () => {},
      read: async () => ({}),
    };
    const result = await runTick(h.deps, policy, 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.some((o) => o.action.type === 'add-nodes')).toBe(true);
    expect(h.events.filter((e) => e.reason === 'AddNodes').map((e) => e.ref)).toEqual([
      { kind: 'ConfigMap', name: 'graceful-scaler-status', namespace: 'graceful-scaler' },
    ]);
    expect(h.events.some((e) => e.ref.name.startsWith('pool-'))).toBe(false);
  });
});
