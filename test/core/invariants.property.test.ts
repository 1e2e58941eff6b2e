// The invariants of DESIGN.md, checked over random clusters, memories, overrides and times of day.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DO_NOT_DISRUPT, DRAINING_SINCE, IGNORE_NODE, SAFE_TO_EVICT, SCALE_DOWN_DISABLED } from '../../core/annotations';
import type { Action, Decision } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import { controllerKey, type ControllerNames, type NodeView, type PdbView, type PodView, type Snapshot } from '../../core/views';
import {
  GIB,
  MINUTE,
  NOW,
  at,
  buildDeployment,
  buildMemory,
  buildNode,
  buildPdb,
  buildPod,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  deallocated,
  inPool,
} from '../builders/views';

const POLICY = buildPolicy((p) => {
  p.nodes.maxConcurrentDrains = 2;
  p.nodes.maxEvictionsPerRun = 7;
  p.nodes.maxStopsPerRun = 1;
  p.nodes.maxNodes = 9;
});
const OPT_IN = 'clomo/descheduling';

const nodeArb = (i: number) =>
  fc
    .record({
      state: fc.constantFrom('ready', 'ready', 'ready', 'deallocated', 'cordoned', 'draining', 'not-ready'),
      // The first node is always in the managed pool: a policy whose pool has no node is refused (sanity.ts).
      pool: i === 0 ? fc.constant('user') : fc.constantFrom('user', 'user', 'user', 'system'),
      protection: fc.constantFrom('none', 'none', 'none', 'label', 'scale-down-disabled', 'do-not-disrupt', 'ignore'),
      maxPods: fc.constantFrom(30, 30, 10),
    })
    .map(({ state, pool, protection, maxPods }): NodeView => {
      const name = `n${i}`;
      const node = buildNode(name, inPool(pool), ...(state === 'deallocated' ? [deallocated] : []));
      const labels: Record<string, string> = { ...node.labels };
      const annotations: Record<string, string> = {};
      if (protection === 'label') labels['clomo/BatchDeployable'] = 'true';
      if (protection === 'scale-down-disabled') annotations[SCALE_DOWN_DISABLED] = 'true';
      if (protection === 'do-not-disrupt') annotations[DO_NOT_DISRUPT] = 'true';
      if (protection === 'ignore') annotations[IGNORE_NODE] = 'true';
      if (state === 'draining') annotations[DRAINING_SINCE] = at(NOW - 30 * MINUTE);
      return {
        ...node,
        labels,
        annotations,
        cordoned: node.cordoned || state === 'cordoned' || state === 'draining',
        ready: state !== 'deallocated' && state !== 'not-ready',
        power: state === 'deallocated' ? 'deallocated' : state === 'not-ready' ? 'unknown' : 'running',
        allocatable: { ...node.allocatable, pods: maxPods },
      };
    });

const podArb = (i: number, nodeCount: number) =>
  fc
    .record({
      node: fc.integer({ min: -1, max: nodeCount - 1 }),
      owner: fc.constantFrom('ReplicaSet', 'ReplicaSet', 'ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet', 'none'),
      app: fc.constantFrom('mdm', 'panel', 'bg'),
      optIn: fc.boolean(),
      marks: fc.constantFrom('none', 'none', 'none', 'safe-false', 'do-not-disrupt', 'on-completion'),
      namespace: fc.constantFrom('clomo', 'clomo', 'clomo', 'kube-system'),
      terminating: fc.constantFrom(false, false, false, true),
      phase: fc.constantFrom('Running', 'Running', 'Running', 'Pending', 'Succeeded'),
      memGiB: fc.constantFrom(0.25, 0.5, 1, 2),
      age: fc.constantFrom(5, 60, 600),
    })
    .map((r): PodView => {
      const base = buildPod(`${r.app}-${i}`);
      const bound = r.node >= 0 && r.phase !== 'Pending';
      return {
        ...base,
        node: bound ? `n${r.node}` : undefined,
        phase: r.phase as PodView['phase'],
        unschedulable: !bound && r.phase === 'Pending',
        controller: r.owner === 'none' ? undefined : { kind: r.owner, name: `${r.app}-${r.owner.toLowerCase()}` },
        daemonSet: r.owner === 'DaemonSet',
        labels: { app: r.app, ...(r.optIn ? { [OPT_IN]: 'enabled' } : {}) },
        namespace: r.namespace,
        annotations:
          r.marks === 'safe-false'
            ? { [SAFE_TO_EVICT]: 'false' }
            : r.marks === 'do-not-disrupt'
              ? { [DO_NOT_DISRUPT]: 'true' }
              : r.marks === 'on-completion'
                ? { [SAFE_TO_EVICT]: 'on-completion' }
                : {},
        terminating: r.terminating && bound,
        requests: { cpuMilli: 100, memoryBytes: r.memGiB * GIB },
        createdAt: NOW - r.age * MINUTE,
        startedAt: bound ? NOW - r.age * MINUTE : undefined,
      };
    });

/** The controllers of the world's pods, all present, or those of one app gone (deleted with --cascade=orphan). */
function controllersOf(pods: readonly PodView[], gone: string | undefined): ControllerNames {
  const names = new Set<string>();
  for (const p of pods)
    if (p.controller && !(gone && p.controller.name.startsWith(`${gone}-`)))
      names.add(controllerKey(p.controller.kind, p.namespace, p.controller.name));
  return { kinds: new Set(['ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicationController']), names };
}

interface World {
  snapshot: Snapshot;
  memory: Memory;
  now: number;
}

const worldArb: fc.Arbitrary<World> = fc.integer({ min: 1, max: 9 }).chain((nodeCount) =>
  fc
    .record({
      nodes: fc.tuple(...Array.from({ length: nodeCount }, (_, i) => nodeArb(i))),
      pods: fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i, nodeCount)))),
      pdbAllowed: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 0, maxLength: 2 }),
      minuteOfWeek: fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
      history: fc.constantFrom('none', 'low', 'high'),
      drains: fc.array(fc.integer({ min: 0, max: nodeCount - 1 }), { maxLength: 3 }),
      stopRequested: fc.boolean(),
      starting: fc.array(fc.integer({ min: 0, max: nodeCount - 1 }), { maxLength: 2 }),
      override: fc.constantFrom('none', 'pause', 'pin', 'bounds'),
      pinCount: fc.integer({ min: 0, max: 15 }),
      queue: fc.integer({ min: 0, max: 300 }),
      replicas: fc.integer({ min: 0, max: 50 }),
      controllers: fc.constantFrom('unread', 'all', 'panel-gone'),
    })
    .map((r): World => {
      const now = NOW + r.minuteOfWeek * MINUTE;
      const pdbs: PdbView[] = r.pdbAllowed.map((allowed, i) => buildPdb(`pdb-${i}`, `app=${['mdm', 'panel'][i]}`, allowed));
      const memory = buildMemory((m) => {
        if (r.history !== 'none') {
          m.nodes.recommendations = [{ at: at(now - 20 * MINUTE), value: r.history === 'low' ? 0 : 9 }];
          m.workers.bg = { recommendations: [{ at: at(now - 20 * MINUTE), value: r.history === 'low' ? 0 : 40 }] };
        }
        for (const i of r.drains) {
          m.nodes.drains[`n${i}`] = {
            since: at(now - 20 * MINUTE),
            reason: 'test',
            ...(r.stopRequested ? { stopRequestedAt: at(now - 15 * MINUTE) } : {}),
          };
        }
        for (const i of r.starting) m.nodes.starting[`n${i}`] = { since: at(now - 3 * MINUTE), uncordonWhenReady: true };
        if (r.override !== 'none') {
          m.overrides.push({
            id: 'o',
            scaler: 'all',
            mode: r.override,
            ...(r.override === 'pin' ? { count: r.pinCount } : {}),
            ...(r.override === 'bounds' ? { min: r.pinCount, max: r.pinCount + 2 } : {}),
            reason: 'property',
            createdAt: at(now - MINUTE),
            expiresAt: at(now + MINUTE),
          });
        }
      });
      return {
        snapshot: buildSnapshot({
          nodes: r.nodes,
          pods: r.pods,
          pdbs,
          workloads: [buildDeployment('bg', r.replicas)],
          queues: [buildQueue('clomo-jobs', r.queue, r.queue > 100 ? 400 : 10), buildQueue('clomo-jobs-priority', 0)],
          ...(r.controllers === 'unread'
            ? {}
            : { controllers: controllersOf(r.pods, r.controllers === 'panel-gone' ? 'panel' : undefined) }),
        }),
        memory,
        now,
      };
    }),
);

const decide = (w: World, memory = w.memory): Decision => plan({ snapshot: w.snapshot, policy: POLICY, memory, now: w.now });

const nodeOf = (w: World, name: string) => w.snapshot.nodes.find((n) => n.name === name)!;
const podsOn = (w: World, name: string) => w.snapshot.pods.filter((p) => p.node === name);
const isProtected = (n: NodeView) =>
  n.labels['clomo/BatchDeployable'] !== undefined ||
  n.annotations[SCALE_DOWN_DISABLED] === 'true' ||
  n.annotations[DO_NOT_DISRUPT] === 'true' ||
  n.annotations[IGNORE_NODE] === 'true';
const of = <T extends Action['type']>(d: Decision, type: T) => d.actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);

const RUNS = { numRuns: Number(process.env.PROP_RUNS ?? 300) };

describe('invariants over random clusters', () => {
  it('1. a node is stopped only when nothing but DaemonSet and mirror pods runs on it', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        for (const stop of of(decide(w), 'stop-node')) {
          const left = podsOn(w, stop.node).filter((p) => !p.daemonSet && !p.mirror && p.phase !== 'Succeeded' && p.phase !== 'Failed');
          expect(left).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('2. a protected node is never cordoned, drained or stopped', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        for (const a of d.actions) {
          if (a.type === 'cordon' || a.type === 'stop-node') expect(isProtected(nodeOf(w, a.node))).toBe(false);
          if (a.type === 'evict' && a.scaler === 'nodes') expect(isProtected(nodeOf(w, a.node!))).toBe(false);
        }
        // While paused, memory passes through untouched; otherwise no protected node stays in a drain.
        if (!d.skipped.some((x) => x.rule === 'paused')) {
          for (const name of Object.keys(d.memory.nodes.drains)) expect(isProtected(nodeOf(w, name))).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('3. a pod is evicted only when safe, and by the descheduler only when opted in', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        for (const e of of(decide(w), 'evict')) {
          const pod = w.snapshot.pods.find((p) => p.name === e.pod && p.namespace === e.namespace)!;
          expect(pod.controller).toBeDefined();
          expect(pod.controller?.kind).not.toBe('Job');
          expect(pod.daemonSet || pod.mirror || pod.terminating).toBe(false);
          expect(pod.annotations[SAFE_TO_EVICT]).not.toBe('false');
          expect(pod.annotations[DO_NOT_DISRUPT]).not.toBe('true');
          // Asked to be let finish: never evicted.
          expect(pod.annotations[SAFE_TO_EVICT]).not.toBe('on-completion');
          // Something recreates it: its controller still exists, when the controllers were read.
          const known = w.snapshot.controllers;
          if (known) expect(known.names.has(controllerKey(pod.controller!.kind, pod.namespace, pod.controller!.name))).toBe(true);
          // A kube-system pod moves only under a PDB, or once older than the blocking-system-pod timeout (1h by default).
          if (pod.namespace === 'kube-system') {
            const covered = w.snapshot.pdbs.some((b) => b.namespace === 'kube-system');
            expect(covered || w.now > pod.createdAt + 60 * MINUTE).toBe(true);
          }
          if (e.scaler === 'descheduler') {
            expect(pod.labels[OPT_IN]).toBe('enabled');
            expect(['ReplicaSet', 'StatefulSet']).toContain(pod.controller?.kind);
          }
        }
      }),
      RUNS,
    );
  });

  it('4. actions never cross the effective minimum and maximum', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        const s = d.summary.nodes!;
        const have = s.running + s.starting;
        const up =
          of(d, 'start-node').length +
          of(d, 'add-nodes').reduce((n, a) => n + a.count, 0) +
          d.actions.filter((a) => a.rule === 'scale-up-cancel-drain').length;
        if (up > 0) expect(have + up).toBeLessThanOrEqual(s.maxNodes);
        const down = d.actions.filter((a) => a.rule === 'scale-down-cordon').length;
        if (down > 0) expect(have - down).toBeGreaterThanOrEqual(s.minNodes);
        expect(s.minNodes).toBeLessThanOrEqual(s.maxNodes);
        for (const scale of of(d, 'scale')) {
          const worker = d.summary.workers.find((x) => x.name === 'bg')!;
          expect(scale.replicas).toBeGreaterThanOrEqual(worker.minReplicas);
          expect(scale.replicas).toBeLessThanOrEqual(worker.maxReplicas);
        }
      }),
      RUNS,
    );
  });

  it('5. scale-down waits for the stabilisation window; scale-up does not', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const fresh = { ...w.memory, nodes: { ...w.memory.nodes, recommendations: [] }, workers: {} };
        const d = decide(w, fresh);
        // Only a lowered maximum (override, window) is enforced at once.
        const s = d.summary.nodes!;
        if (s.running + s.starting <= s.maxNodes) expect(d.actions.filter((a) => a.rule === 'scale-down-cordon')).toEqual([]);
        const bg = d.summary.workers[0]!;
        if (bg.current <= bg.maxReplicas) expect(d.actions.filter((a) => a.rule === 'workers-scale-down')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('6. every run is bounded', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        const evictions = of(d, 'evict');
        expect(evictions.filter((e) => e.scaler === 'nodes').length).toBeLessThanOrEqual(7);
        expect(evictions.filter((e) => e.scaler === 'descheduler').length).toBeLessThanOrEqual(5);
        expect(of(d, 'stop-node').length).toBeLessThanOrEqual(1);
        const draining = Object.values(d.memory.nodes.drains).filter((x) => !x.stopRequestedAt).length;
        const newDrains = d.actions.filter((a) => a.rule === 'scale-down-cordon').length;
        // Drains that wait only for long work (or pods stuck past their grace) hold no slot and say so.
        const slotFree = new Set(
          d.skipped
            .filter((s) => s.rule === 'stuck-terminating' || s.reason.includes('drain slot is free'))
            .map((s) => s.target.slice('node/'.length)),
        );
        // Nodes with no workload pod may go beside the drains, as many a run as a run may stop (1 here).
        expect(newDrains).toBeLessThanOrEqual(2 + 1);
        const emptyNow = new Set(
          d.actions.flatMap((a) =>
            a.type === 'cordon' && a.rule === 'scale-down-cordon' && a.reason.includes('; 0 workload pods here') ? [a.node] : [],
          ),
        );
        const holding = Object.keys(d.memory.nodes.drains).filter((n) => !slotFree.has(n) && !emptyNow.has(n));
        if (newDrains > 0) expect(holding.length).toBeLessThanOrEqual(2);
        expect(draining).toBeGreaterThanOrEqual(0);
        const keys = evictions.map((e) => `${e.namespace}/${e.pod}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      RUNS,
    );
  });

  it('7. repeating a tick against an unchanged cluster adds no new disruption', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const first = decide(w);
        const second = decide(w, first.memory);
        const targets = (d: Decision, type: Action['type']) =>
          new Set(
            d.actions.filter((a) => a.type === type).map((a) => ('node' in a && a.type !== 'evict' ? a.node : 'pod' in a ? a.pod : '')),
          );
        // Work a budget deferred in the first run may proceed in the second; nothing else may.
        const deferred = new Set(first.skipped.filter((x) => x.rule === 'budget-exhausted').map((x) => x.target));
        for (const type of ['cordon', 'evict', 'stop-node'] as const) {
          for (const a of second.actions.filter((x) => x.type === type)) {
            const target = a.type === 'evict' ? a.pod : 'node' in a ? a.node : '';
            const node = 'node' in a ? a.node : undefined;
            const allowed =
              targets(first, type).has(target) ||
              (node !== undefined && deferred.has(`node/${node}`)) ||
              (a.scaler === 'descheduler' && deferred.has('descheduler'));
            expect(allowed).toBe(true);
          }
        }
        // An uncordon of a node without our drain annotation counts as capacity at once; when the
        // cluster does not change, the repeat sees it still cordoned and may add capacity instead.
        if (of(first, 'uncordon').length > 0) return;
        for (const t of targets(second, 'start-node')) expect(targets(first, 'start-node').has(t)).toBe(true);
        expect(of(second, 'add-nodes').reduce((n, a) => n + a.count, 0)).toBeLessThanOrEqual(
          of(first, 'add-nodes').reduce((n, a) => n + a.count, 0),
        );
      }),
      RUNS,
    );
  });

  it('9. a drain evicts only from a node that is cordoned, or cordoned by the same decision', () => {
    // Pods on an uncordoned node landed after any cordon of ours was lifted: the runner refuses such an
    // eviction as stale, and the PodDisruptionBudget the planner spent on it was another drain's.
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        const cordonedNow = new Set(of(d, 'cordon').map((a) => a.node));
        for (const e of of(d, 'evict')) {
          if (e.scaler !== 'nodes') continue;
          expect(nodeOf(w, e.node!).cordoned || cordonedNow.has(e.node!)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('every action and refusal explains itself with a rule and a reason', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const d = decide(w);
        for (const x of [...d.actions, ...d.skipped]) {
          expect(x.rule).toMatch(/^[a-z-]+$/);
          expect(x.reason.length).toBeGreaterThan(10);
        }
      }),
      RUNS,
    );
  });
});
