// `npm run bench`: how long one tick of the decision core takes, and how much memory its inputs
// hold, at 500, 1,000 and 5,000 nodes with 30 pods per node. Figures are printed, not asserted:
// timing belongs in a benchmark, not in a test.
//
// The cluster is a weeknight at 22:00 with everything to do at once: 30 pods on every node (3 of them
// DaemonSets) on nodes that take 110, so scale-down is due and candidates must be ranked; a drain in
// progress with evictions to plan against PDBs; BG workers to scale down idle-first; and uneven
// memory requests for the descheduler to balance. Each planner is also timed alone, as its timer
// runs it.

import { snapshotFromLists } from '../adapters/kubernetes/projection/snapshot';
import { AGENT_POOL_LABEL, BATCH_DEPLOYABLE_LABEL, BUSY, DRAINING_SINCE } from '../core/annotations';
import { emptyMemory, type Memory } from '../core/memory';
import { plan } from '../core/plan';
import type { Policy } from '../core/policy';
import { validatePolicy } from '../core/policy-validate';
import { SCALER_NAMES, type ScalerName } from '../core/scalers';
import { parseSelector } from '../core/selector';
import type { NodeView, PdbView, PodView, Snapshot, WorkloadView } from '../core/views';

const SIZES = [500, 1000, 5000];
const PODS_PER_NODE = 30;
const DAEMONSETS = 3;
const RUNS = 11;
export const NOW = Date.parse('2026-11-30T22:00:00+09:00');
const GIB = 1024 ** 3;

export function policy(nodes: number): Policy {
  const result = validatePolicy({
    timezone: 'Asia/Tokyo',
    nodes: {
      pools: ['user'],
      targetPodsPerNode: 40,
      minNodes: 2,
      maxNodes: nodes * 2,
      scaleDownDelay: '10m',
      maxConcurrentDrains: 3,
      maxEvictionsPerRun: 20,
    },
    workers: [{ name: 'bg', namespace: 'clomo', deployment: 'bg', queues: ['clomo-jobs'], jobsPerWorker: 4, maxReplicas: 400 }],
    descheduler: { podSelector: 'clomo/descheduling=enabled', nodeSelector: 'kubernetes.azure.com/agentpool=user', maxEvictionsPerRun: 5 },
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.policy;
}

const selector = (text: string) => {
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.selector;
};

/** A deterministic pseudo-random sequence, so every run plans the same cluster. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

export function cluster(size: number): Snapshot {
  const rnd = lcg(size);
  const nodes: NodeView[] = [];
  const pods: PodView[] = [];
  const apps = ['mdm', 'panel', 'api', 'web'];
  const tolerations = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const }];
  for (let i = 0; i < size; i++) {
    const name = `aks-user-27531488-vmss${i.toString(36).padStart(6, '0')}`;
    const drained = i === 1;
    nodes.push({
      name,
      pool: 'user',
      labels: { [AGENT_POOL_LABEL]: 'user', 'kubernetes.io/hostname': name, ...(i % 50 === 7 ? { [BATCH_DEPLOYABLE_LABEL]: 'true' } : {}) },
      annotations: drained ? { [DRAINING_SINCE]: new Date(NOW - 600_000).toISOString() } : {},
      taints: [],
      cordoned: drained,
      ready: true,
      // maxPods 110 (Azure CNI overlay): 30 pods per node leaves room to consolidate, so scale-down is due.
      allocatable: { pods: 110, cpuMilli: 15860, memoryBytes: 60 * GIB },
      createdAt: NOW - 86_400_000,
      vm: { subscription: 's', resourceGroup: 'mc', scaleSet: 'aks-user-27531488-vmss', instanceId: String(i) },
      power: 'running',
    });
    for (let d = 0; d < DAEMONSETS; d++) {
      pods.push(pod(`ds${d}-${i}`, name, { kind: 'DaemonSet', name: `ds${d}` }, {}, 10, 20 * 1024 ** 2, true));
    }
    // Every node holds 30 pods; memory requests are uneven, as after a morning scale-up, so the
    // descheduler has work. One node in ten runs a BG worker (a realistic 500 at 5,000 nodes).
    for (let p = 0; p < PODS_PER_NODE - DAEMONSETS; p++) {
      const app = p === 1 && i % 10 === 0 ? 'bg' : apps[p % apps.length]!;
      const job = p === 0 && i % 50 === 7;
      pods.push(
        pod(
          `${app}-${i}-${p}`,
          name,
          job ? { kind: 'Job', name: `batch-${i}` } : { kind: 'ReplicaSet', name: `${app}-rs` },
          {
            app,
            ...(app === 'mdm' || app === 'api' ? { 'clomo/descheduling': 'enabled' } : {}),
          },
          100,
          (i % 10 === 0 ? 0.1 : 0.1 + rnd() * 0.6) * GIB,
          false,
        ),
      );
    }
  }
  function pod(
    name: string,
    node: string,
    controller: { kind: string; name: string },
    labels: Record<string, string>,
    cpu: number,
    mem: number,
    ds: boolean,
  ): PodView {
    return {
      namespace: ds ? 'kube-system' : 'clomo',
      name,
      node,
      phase: 'Running',
      unschedulable: false,
      controller,
      labels,
      annotations: labels.app === 'bg' ? { [BUSY]: rnd() < 0.5 ? 'true' : 'false' } : {},
      requests: { cpuMilli: cpu, memoryBytes: Math.round(mem) },
      priority: 0,
      graceSeconds: labels.app === 'bg' ? 72000 : 30,
      terminating: false,
      localStorage: false,
      createdAt: NOW - 3_600_000,
      startedAt: NOW - 3_600_000,
      daemonSet: ds,
      mirror: false,
      nodeSelector: {},
      tolerations,
    };
  }
  const pdbs: PdbView[] = [...apps, 'bg'].map((app) => ({
    namespace: 'clomo',
    name: app,
    selector: selector(`app=${app}`),
    disruptionsAllowed: 3,
  }));
  const workloads: WorkloadView[] = [...apps, 'bg'].map((app) => {
    const replicas = app === 'bg' ? size / 10 : size * 6;
    return { namespace: 'clomo', name: app, kind: 'Deployment', replicas, readyReplicas: replicas, selector: selector(`app=${app}`) };
  });
  return { nodes, pods, pdbs, workloads, queues: [{ name: 'clomo-jobs', messages: size / 10, oldestAgeSeconds: 30 }] };
}

export function memory(size: number): Memory {
  const m = emptyMemory();
  // Low for longer than the scale-down delay: scale-down is due, candidates must be ranked.
  m.nodes.recommendations = [{ at: new Date(NOW - 11 * 60_000).toISOString(), value: Math.ceil(size / 2) }];
  m.workers.bg = { recommendations: [{ at: new Date(NOW - 6 * 60_000).toISOString(), value: 1 }] };
  return m;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 ** 2;
};

/**
 * The floor any planner is measured against: one tight pass over the same pod views that sums count,
 * CPU and memory per node. The node index is looked up by name through a Map built once per pass and
 * the sums go into typed arrays: the least a tick that reads every pod could do.
 */
export function barePass(snapshot: Snapshot): number {
  const nodes = snapshot.nodes;
  const byName = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) byName.set(nodes[i]!.name, i);
  const count = new Int32Array(nodes.length);
  const cpu = new Float64Array(nodes.length);
  const mem = new Float64Array(nodes.length);
  const pods = snapshot.pods;
  for (let p = 0; p < pods.length; p++) {
    const pod = pods[p]!;
    if (pod.node === undefined) continue;
    const i = byName.get(pod.node);
    if (i === undefined) continue;
    count[i]!++;
    cpu[i]! += pod.requests.cpuMilli;
    mem[i]! += pod.requests.memoryBytes;
  }
  // A result that depends on every sum, so no engine can skip the work.
  let check = 0;
  for (let i = 0; i < nodes.length; i++) check += count[i]! + cpu[i]! + mem[i]!;
  return check;
}

/** Raw JSON as kubectl would print it, to time the projection to views (what the adapters do). */
function rawList(snapshot: Snapshot): unknown {
  const items: unknown[] = [];
  for (const n of snapshot.nodes) {
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, creationTimestamp: new Date(n.createdAt).toISOString(), labels: n.labels, annotations: n.annotations },
      spec: {
        providerID: `azure:///subscriptions/s/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/${n.vm!.scaleSet}/virtualMachines/${n.vm!.instanceId}`,
        ...(n.cordoned ? { unschedulable: true } : {}),
      },
      status: { allocatable: { cpu: '15860m', memory: '60Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  for (const p of snapshot.pods) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: p.name,
        namespace: p.namespace,
        creationTimestamp: new Date(p.createdAt).toISOString(),
        labels: p.labels,
        annotations: p.annotations,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: p.controller!.kind, name: p.controller!.name, uid: 'u', controller: true }],
      },
      spec: {
        nodeName: p.node,
        terminationGracePeriodSeconds: p.graceSeconds,
        containers: [
          { name: 'c', image: 'i', resources: { requests: { cpu: `${p.requests.cpuMilli}m`, memory: String(p.requests.memoryBytes) } } },
        ],
      },
      status: { phase: 'Running', startTime: new Date(p.startedAt!).toISOString(), conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}

interface Row {
  nodes: number;
  pods: number;
  total: number;
  /** The bare pass right after a full collection, as `total` is timed. */
  bareAfterGc: number;
  /** All three planners and the bare pass, back to back, without a forced collection. */
  warm: number;
  bare: number;
  perPlanner: Record<ScalerName, number>;
  actions: number;
  heapSnapshot: number;
  heapPeakDuringPlan: number;
  project: number;
}

function measure(size: number): Row {
  const before = heapMb();
  const snapshot = cluster(size);
  const heapSnapshot = heapMb() - before;
  const pol = policy(size);
  const mem = memory(size);
  const run = (scalers?: ScalerName[]) => plan({ snapshot, policy: pol, memory: mem, now: NOW, ...(scalers ? { scalers } : {}) });
  // Warm-up: JIT, inline caches, and the old-generation work left from building the cluster.
  for (let i = 0; i < 3; i++) {
    run();
    for (const s of SCALER_NAMES) run([s]);
    barePass(snapshot);
  }
  const totals: number[] = [];
  const baresAfterGc: number[] = [];
  const alone = Object.fromEntries(SCALER_NAMES.map((s) => [s, [] as number[]])) as Record<ScalerName, number[]>;
  let peak = 0;
  let actions = 0;
  for (let i = 0; i < RUNS; i++) {
    const base = heapMb();
    let decision: ReturnType<typeof run> | undefined;
    totals.push(time(() => (decision = run())));
    peak = Math.max(peak, process.memoryUsage().heapUsed / 1024 ** 2 - base);
    actions = decision!.actions.length;
    for (const s of SCALER_NAMES) alone[s].push(time(() => run([s])));
    heapMb(); // the same conditions as the tick above: right after a full collection
    baresAfterGc.push(time(() => barePass(snapshot)));
  }
  // The ratio's own loop: a tick and a bare pass in turn, in the same warm state, no collection forced
  // in between (a forced full collection leaves the next allocations to pay for a fresh young generation).
  const warm: number[] = [];
  const bares: number[] = [];
  // Three times the runs: a ratio of two medians wants both steady, and these runs are cheap.
  for (let i = 0; i < 3 * RUNS; i++) {
    warm.push(time(() => run()));
    bares.push(time(() => barePass(snapshot)));
  }
  const perPlanner = { nodes: median(alone.nodes), workers: median(alone.workers), descheduler: median(alone.descheduler) };
  const raw = rawList(snapshot);
  const project = median(Array.from({ length: 3 }, () => time(() => snapshotFromLists([{ source: 'bench', json: raw }]))));
  return {
    nodes: size,
    pods: snapshot.pods.length,
    total: median(totals),
    bareAfterGc: median(baresAfterGc),
    warm: median(warm),
    bare: median(bares),
    perPlanner,
    actions,
    heapSnapshot,
    heapPeakDuringPlan: peak,
    project,
  };
}

function main(): void {
  if (!gc) console.log('(run with --expose-gc for steadier heap figures: npm run bench does)');
  console.log(`graceful-scaler bench — node ${process.version}, ${process.arch}, median of ${RUNS} runs after 3 warm-ups\n`);
  const rows = SIZES.map(measure);
  const header = [
    'nodes',
    'pods',
    'all ms',
    'warm ms',
    'bare ms',
    'ratio',
    'nodes tick',
    'workers tick',
    'desched tick',
    'µs/pod',
    'actions',
    'snapshot MB',
    'plan heap MB',
    'project ms',
  ];
  const table = rows.map((r) => [
    String(r.nodes),
    String(r.pods),
    r.total.toFixed(1),
    r.warm.toFixed(1),
    r.bare.toFixed(1),
    (r.warm / r.bare).toFixed(2),
    r.perPlanner.nodes.toFixed(1),
    r.perPlanner.workers.toFixed(1),
    r.perPlanner.descheduler.toFixed(1),
    ((r.total * 1000) / r.pods).toFixed(2),
    String(r.actions),
    r.heapSnapshot.toFixed(0),
    r.heapPeakDuringPlan.toFixed(1),
    r.project.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const growth = last.total / first.total / (last.pods / first.pods);
  console.log(
    `\ngrowth from ${first.nodes} to ${last.nodes} nodes: time x${(last.total / first.total).toFixed(1)} for pods x${(last.pods / first.pods).toFixed(0)} (1.0 = linear: ${growth.toFixed(2)})`,
  );
  console.log(
    `target: all planners together within 2x one bare pass over the pods at ${last.nodes} nodes: ${last.warm / last.bare <= 2 ? 'met' : 'NOT met'} (${last.warm.toFixed(1)} ms / ${last.bare.toFixed(1)} ms = ${(last.warm / last.bare).toFixed(2)}; right after a full collection ${last.total.toFixed(1)} ms / ${last.bareAfterGc.toFixed(1)} ms = ${(last.total / last.bareAfterGc).toFixed(2)})`,
  );
  console.log(
    `target: all planners together <= 50 ms at 5,000 nodes / 150,000 pods: ${last.total <= 50 ? 'met' : 'NOT met'} (${last.total.toFixed(1)} ms)`,
  );
  console.log('"all ms" is one tick of all three planners on one snapshot; "... tick" is one planner alone, as each');
  console.log('timer runs it (each includes the one walk over the pods it needs). "project ms" is the');
  console.log('kubectl-JSON-to-views projection done by the adapters, outside the core. "all ms" is timed right after a');
  console.log('full collection (for the heap figures); "warm ms" is the same tick timed in turn with "bare ms", one tight pass');
  console.log('over the same pods summing count, CPU and memory per node (barePass), neither after a forced collection;');
  console.log('"ratio" is warm / bare.');
}

if (require.main === module) main();
