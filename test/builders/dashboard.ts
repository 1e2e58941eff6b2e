// A status page document as an operator would see it at 3 a.m. in Tokyo: a dozen nodes in pools
// user, batch and system in every state, a day of five-minute samples, two BG workers with their
// queue, and the last actions with the reasons the scalers write. Deterministic: the same every call.

import type { VmsByPool } from '../../core/cost';
import type { NodeCost } from '../../core/policy';
import { dashboardCost } from '../../page/cost';
import type {
  DashboardCost,
  DashboardData,
  DashboardNode,
  DashboardNodeState,
  NodeSample,
  TimelineEntry,
  WorkerSample,
} from '../../page/model';
import { buildPolicy } from './views';

/** Tuesday 1 December 2026, 03:00 in Tokyo: the night after a working Monday. */
export const DASHBOARD_NOW = Date.parse('2026-12-01T03:00:00+09:00');
const MINUTE = 60_000;
const GIB = 1024 ** 3;
const TOKYO_HOURS = 9;

const iso = (t: number) => new Date(t).toISOString();
const ago = (minutes: number) => iso(DASHBOARD_NOW - minutes * MINUTE);

// --- nodes --------------------------------------------------------------------------------------

const USER = 'aks-user-12345678-vmss';
const BATCH = 'aks-batch-23456789-vmss';
const SYSTEM = 'aks-system-34567890-vmss';

function node(name: string, pool: string, state: DashboardNodeState, workloadPods: number, protectedBy?: string): DashboardNode {
  const up = state === 'running' || state === 'draining' || state === 'starting';
  // About 330 MiB and 90m CPU requested per workload pod, plus the DaemonSets every node runs.
  const memoryRequestedBytes = up || state === 'not-ready' ? Math.round((0.9 + workloadPods * 0.32) * GIB) : 0;
  const cpuRequestedMilli = up || state === 'not-ready' ? 250 + workloadPods * 90 : 0;
  return {
    name,
    pool,
    state,
    protectedBy,
    workloadPods,
    maxPods: 30,
    memoryRequestedBytes,
    memoryAllocatableBytes: pool === 'batch' ? 27.4 * GIB : 12.3 * GIB,
    cpuRequestedMilli,
    cpuAllocatableMilli: pool === 'batch' ? 7820 : 3860,
  };
}

function nodes(): DashboardNode[] {
  return [
    node(`${BATCH}000000`, 'batch', 'running', 6, 'labelled graceful-scaler.io/protected=true'),
    node(`${BATCH}000001`, 'batch', 'starting', 0),
    node(`${SYSTEM}000000`, 'system', 'running', 8, 'pool system is not managed'),
    node(`${SYSTEM}000001`, 'system', 'running', 7, 'pool system is not managed'),
    node(`${USER}000000`, 'user', 'running', 22),
    node(`${USER}000001`, 'user', 'running', 24),
    node(`${USER}000002`, 'user', 'running', 21),
    node(`${USER}000003`, 'user', 'running', 0),
    node(`${USER}000004`, 'user', 'running', 20),
    node(`${USER}000005`, 'user', 'draining', 4),
    node(`${USER}000006`, 'user', 'not-ready', 3),
    node(`${USER}000007`, 'user', 'stopped', 0),
  ];
}

// --- a day of samples -----------------------------------------------------------------------------

/** A small deterministic generator, so the fixture looks lived-in and is still the same every run. */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const localHour = (t: number) => (((t / MINUTE / 60 + TOKYO_HOURS) % 24) + 24) % 24;

/** Workload pods over a Tokyo weekday: about 87 at night, near 190 in office hours. */
function podsAt(t: number, rnd: () => number): number {
  const h = localHour(t);
  const day = h >= 8 && h < 20 ? Math.sin(((h - 8) / 12) * Math.PI) : 0;
  return Math.round(87 + 105 * day + rnd() * 6);
}

const minNodesAt = (t: number) => {
  const h = localHour(t);
  return h < 7 ? 3 : h >= 8 && h < 20 ? 6 : 4;
};

/**
 * Nodes follow the load the way the node scaler moves them: up at once (a stopped VM takes ten
 * minutes to start), down gently (one node per quarter hour, drained for half an hour first).
 */
function nodeSamples(step = 5): NodeSample[] {
  const rnd = noise(7);
  const total = 10;
  let running = 5;
  let starting: number[] = [];
  let draining: number[] = [];
  let lastDown = -Infinity;
  const samples: NodeSample[] = [];
  for (let t = DASHBOARD_NOW - 24 * 60 * MINUTE; t <= DASHBOARD_NOW; t += step * MINUTE) {
    running += starting.filter((since) => t - since >= 10 * MINUTE).length;
    starting = starting.filter((since) => t - since < 10 * MINUTE);
    draining = draining.filter((since) => t - since < 30 * MINUTE);
    const minNodes = minNodesAt(t);
    const desired = Math.min(total, Math.max(minNodes, Math.ceil(podsAt(t, rnd) / 20)));
    const missing = desired - running - starting.length;
    if (missing > 0) {
      const cancelled = Math.min(missing, draining.length);
      draining = draining.slice(cancelled);
      running += cancelled;
      const free = total - running - starting.length - draining.length;
      for (let i = 0; i < Math.min(missing - cancelled, free); i++) starting.push(t);
    } else if (running > desired && t - lastDown >= 15 * MINUTE) {
      running--;
      draining.push(t);
      lastDown = t;
    }
    const stopped = total - running - starting.length - draining.length;
    samples.push({
      at: iso(t),
      running,
      starting: starting.length,
      draining: draining.length,
      stopped,
      desired,
      minNodes,
      vms: { batch: [2, 0], system: [2, 0], user: [total - stopped, stopped] },
    });
  }
  // The last sample is the cluster now, as the tiles show it.
  samples[samples.length - 1] = {
    at: iso(DASHBOARD_NOW),
    running: 6,
    starting: 1,
    draining: 1,
    stopped: 1,
    desired: 6,
    minNodes: 3,
    vms: { batch: [2, 0], system: [2, 0], user: [7, 1] },
  };
  return samples;
}

interface WorkerShape {
  name: string;
  perReplica: number;
  min: number;
  max: number;
  /** Messages waiting at the busiest hour. */
  peak: number;
  seed: number;
}

const WORKERS: WorkerShape[] = [
  { name: 'bg', perReplica: 10, min: 1, max: 8, peak: 55, seed: 11 },
  { name: 'bg-priority', perReplica: 5, min: 1, max: 4, peak: 8, seed: 23 },
];

/** Office-hours traffic, plus the month-end batch that began at 02:50 for bg. */
function queueAt(w: WorkerShape, t: number, rnd: () => number): number {
  const h = localHour(t);
  const office = h >= 8.5 && h < 19.5 ? Math.sin(((h - 8.5) / 11) * Math.PI) : 0;
  const batch = w.name === 'bg' && DASHBOARD_NOW - t <= 10 * MINUTE ? 37 - Math.round(((DASHBOARD_NOW - t) / MINUTE) * 1.7) : 0;
  return Math.max(0, Math.round(w.peak * office * (0.85 + rnd() * 0.3)) + batch);
}

/**
 * Replicas as the worker scaler moves them: up at the next tick, down only after the wanted count
 * has stayed lower for a quarter of an hour.
 */
function workerSamples(step = 5): WorkerSample[] {
  const all: WorkerSample[] = [];
  for (const w of WORKERS) {
    const rnd = noise(w.seed);
    let replicas = w.min;
    let lowerSince: number | undefined;
    for (let t = DASHBOARD_NOW - 24 * 60 * MINUTE; t <= DASHBOARD_NOW; t += step * MINUTE) {
      const queueDepth = queueAt(w, t, rnd);
      const desired = Math.min(w.max, Math.max(w.min, Math.ceil(queueDepth / w.perReplica)));
      all.push({ at: iso(t), name: w.name, replicas, desired, queueDepth });
      if (desired > replicas) {
        replicas = desired;
        lowerSince = undefined;
      } else if (desired < replicas) {
        lowerSince ??= t;
        if (t - lowerSince >= 15 * MINUTE) {
          replicas = desired;
          lowerSince = undefined;
        }
      } else lowerSince = undefined;
    }
  }
  // What the status store holds: samples of every worker interleaved, oldest first.
  all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.name < b.name ? -1 : 1));
  const last = [...all].reverse().find((s) => s.name === 'bg');
  if (last) Object.assign(last, { replicas: 3, desired: 4, queueDepth: 37 });
  return all;
}

// --- what happened, what would happen -----------------------------------------------------------------

const EXPLAINED = '5 nodes needed for 87 pods at 20 per node';

function timeline(): TimelineEntry[] {
  return [
    {
      at: ago(0.5),
      scaler: 'workers',
      type: 'scale',
      target: 'clomo/clomo-bg-worker',
      rule: 'workers-scale-up',
      outcome: 'done',
      reason: '37 messages (waiting and in progress) / 10 per worker = 4; 3 running, scaling up at once',
    },
    {
      at: ago(3),
      scaler: 'nodes',
      type: 'start-node',
      target: `${BATCH}000001`,
      rule: 'scale-up-start-node',
      outcome: 'done',
      reason:
        '6 wanted, 5 running or on the way: starting a deallocated VM (faster and cheaper than a new one); desired 6 nodes: 3 pending pods in pool batch',
    },
    {
      at: ago(8),
      scaler: 'descheduler',
      type: 'evict',
      target: 'clomo/clomo-web-7d9f8b6c5-x2k4q',
      rule: 'deschedule-balance',
      outcome: 'refused',
      reason: `node ${USER}000001 has 24 workload pods, 3 above the pool's average of 21: moving one evens the pool`,
      detail: 'PodDisruptionBudget clomo/clomo-web allows 0 disruptions now',
    },
    {
      at: ago(20),
      scaler: 'nodes',
      type: 'evict',
      target: 'clomo/clomo-report-5c8d7f9b4-lm2qz',
      rule: 'drain-evict',
      outcome: 'done',
      reason: `draining ${USER}000005 (underused for 12m); grace 30s is honoured`,
    },
    {
      at: ago(20),
      scaler: 'nodes',
      type: 'cordon',
      target: `${USER}000005`,
      rule: 'scale-down-cordon',
      outcome: 'done',
      reason: `node ${USER}000005 underused for 12m (scale-down delay 10m): 4 workload pods; ${EXPLAINED}`,
    },
    {
      at: ago(45),
      scaler: 'nodes',
      type: 'stop-node',
      target: `${USER}000007`,
      rule: 'stop-retry',
      outcome: 'done',
      reason: `drained ${USER}000007 at 02:05; deallocating the VM (second attempt)`,
    },
    {
      at: ago(50),
      scaler: 'nodes',
      type: 'stop-node',
      target: `${USER}000007`,
      rule: 'drain-complete-stop',
      outcome: 'failed',
      reason: `drained ${USER}000007 at 02:05; deallocating the VM`,
      detail: 'ARM 409 Conflict (OperationNotAllowed): the scale set is being updated; retried next tick',
    },
    {
      at: ago(75),
      scaler: 'workers',
      type: 'scale',
      target: 'clomo/clomo-bg-worker',
      rule: 'workers-scale-down',
      outcome: 'done',
      reason: '0 messages for 15m (scale-down delay 10m): 1 replica, the minimum',
    },
    {
      at: ago(95),
      scaler: 'nodes',
      type: 'cordon',
      target: `${USER}000007`,
      rule: 'scale-down-cordon',
      outcome: 'done',
      reason: `node ${USER}000007 idle for 12m (scale-down delay 10m): 0 workload pods; 6 nodes needed for 103 pods at 20 per node`,
    },
    {
      at: ago(230),
      scaler: 'nodes',
      type: 'stop-node',
      target: `${USER}000008`,
      rule: 'drain-complete-stop',
      outcome: 'done',
      reason: `drained ${USER}000008 at 23:05; deallocating the VM`,
    },
  ];
}

/**
 * The fixture's prices: Japan East pay-as-you-go with the OS disk, about JPY 42 an hour for the D4s
 * of user and system, 84 for batch's D8s; JPY 4.7 an hour for a deallocated VM's disk.
 */
export const DASHBOARD_PRICES: NodeCost = {
  currency: 'JPY',
  vmHour: { user: 42, system: 42, batch: 84 },
  deallocatedDiskHour: { user: 4.7, system: 4.7, batch: 4.7 },
};

/** The cost figures of the fixture's nodes and samples at `prices` (page/cost.ts); no prices: the hint. */
export function dashboardCostAt(prices: NodeCost | undefined, series = nodeSamples()): DashboardCost {
  const vmsNow: VmsByPool = {};
  for (const n of nodes()) {
    const pool = (vmsNow[n.pool] ??= { billed: 0, deallocated: 0 });
    if (n.state === 'stopped') pool.deallocated++;
    else pool.billed++;
  }
  const policy = buildPolicy((p) => {
    if (prices) p.nodes.cost = prices;
  });
  return dashboardCost({ policy, vmsNow, samples: series, now: iso(DASHBOARD_NOW) });
}

/** The status page's document; `patch` replaces whole top-level fields. */
export function dashboardData(patch: Partial<DashboardData> = {}): DashboardData {
  const all = nodes();
  const managed = all.filter((n) => n.pool === 'user' || n.pool === 'batch');
  const count = (state: DashboardNodeState) => managed.filter((n) => n.state === state).length;
  return {
    now: iso(DASHBOARD_NOW),
    timezone: 'Asia/Tokyo',
    source: 'AKS cluster prod-aks (resource group rg-clomo-prod)',
    nodes: all,
    counts: {
      running: count('running'),
      starting: count('starting'),
      draining: count('draining'),
      stopped: count('stopped'),
      notReady: count('not-ready'),
      desired: 6,
      minNodes: 3,
      maxNodes: 10,
      why: `desired 6 nodes: ${EXPLAINED}, plus 1 for 3 pending pods in pool batch [also: minimum 3 at night 00:00-07:00]`,
    },
    pendingPods: 3,
    cost: dashboardCostAt(DASHBOARD_PRICES),
    workers: [
      {
        name: 'bg',
        namespace: 'clomo',
        deployment: 'clomo-bg-worker',
        replicas: 3,
        desired: 4,
        queueDepth: 37,
        oldestMessageAgeSeconds: 45,
        minReplicas: 2,
        maxReplicas: 8,
      },
      {
        name: 'bg-priority',
        namespace: 'clomo',
        deployment: 'clomo-bg-priority',
        replicas: 1,
        desired: 1,
        queueDepth: 0,
        oldestMessageAgeSeconds: undefined,
        minReplicas: 1,
        maxReplicas: 4,
      },
    ],
    overrides: [
      {
        id: 'ovr-7f3a9c',
        scaler: 'workers',
        worker: 'bg',
        mode: 'bounds',
        min: 2,
        max: 8,
        reason: 'month-end batch tonight: keep at least 2 BG workers (INC-2231)',
        createdAt: ago(110),
        createdBy: 'akiko.sato@example.com',
        expiresAt: iso(DASHBOARD_NOW + 130 * MINUTE),
      },
    ],
    modes: { nodes: 'act', workers: 'act', descheduler: 'act' },
    banners: [],
    refused: [],
    endedOverrides: [
      {
        override: {
          id: 'ovr-21b0e4',
          scaler: 'nodes',
          mode: 'pause',
          reason: 'AKS node-image upgrade (CHG-884)',
          createdAt: ago(300),
          createdBy: 'kenji.ito@example.com',
          expiresAt: ago(-60),
        },
        endedAt: ago(180),
        ended: 'removed',
        endedBy: 'akiko.sato@example.com',
      },
      {
        override: {
          id: 'ovr-0a77d2',
          scaler: 'workers',
          worker: 'bg',
          mode: 'pin',
          count: 6,
          reason: 'load test',
          createdAt: ago(600),
          createdBy: 'function key (x-functions-key header)',
          expiresAt: ago(480),
        },
        endedAt: ago(480),
        ended: 'expired',
      },
    ],
    holiday: undefined,
    headlines: [
      {
        scaler: 'nodes',
        label: 'Nodes',
        status: 'closing',
        desired: 6,
        actual: 7,
        actions: 2,
        text: '7 running or starting, 6 desired: 1 node more than desired; closing now with cordon 1',
        blockedBy: undefined,
      },
      {
        scaler: 'workers/bg',
        label: 'Worker bg',
        status: 'closing',
        desired: 4,
        actual: 3,
        actions: 1,
        text: '3 replicas, 4 desired: scaling to 4',
        blockedBy: undefined,
      },
      {
        scaler: 'workers/bg-priority',
        label: 'Worker bg-priority',
        status: 'settled',
        desired: 1,
        actual: 1,
        actions: 0,
        text: '1 replica = 1 desired',
        blockedBy: undefined,
      },
      {
        scaler: 'descheduler',
        label: 'Descheduler',
        status: 'held',
        desired: undefined,
        actual: undefined,
        actions: 0,
        text: 'not balancing: descheduler-unsettled',
        blockedBy: {
          rule: 'descheduler-unsettled',
          target: 'pool user',
          reason: `node ${USER}000005 is draining: balancing waits until the pool is settled`,
          figures: {},
        },
      },
    ],
    wouldDo: [
      {
        scaler: 'nodes',
        type: 'cordon',
        target: `${USER}000003`,
        rule: 'scale-down-cordon',
        reason: `node ${USER}000003 idle for 12m (scale-down delay 10m): 0 workload pods; ${EXPLAINED}`,
      },
      {
        scaler: 'nodes',
        type: 'evict',
        target: 'clomo/clomo-report-5c8d7f9b4-9tq7w',
        rule: 'drain-evict',
        reason: `draining ${USER}000005 (underused for 12m); grace 30s is honoured`,
      },
      {
        scaler: 'workers',
        type: 'scale',
        target: 'clomo/clomo-bg-worker',
        rule: 'workers-scale-up',
        reason: '37 messages (waiting and in progress) / 10 per worker = 4; 3 running',
      },
    ],
    skipped: [
      { scaler: 'nodes', target: `${BATCH}000000`, rule: 'protected-label', reason: 'labelled graceful-scaler.io/protected=true' },
      {
        scaler: 'nodes',
        target: `${USER}000006`,
        rule: 'not-ready',
        reason: 'NotReady for 7m (kubelet stopped posting status): left alone until it is Ready or replaced',
      },
      { scaler: 'nodes', target: `${BATCH}000001`, rule: 'start-in-progress', reason: 'started 02:57, not Ready yet (start timeout 15m)' },
      {
        scaler: 'descheduler',
        target: 'pool user',
        rule: 'descheduler-unsettled',
        reason: `node ${USER}000005 is draining: balancing waits until the pool is settled`,
      },
    ],
    notes: [
      'nodes: night schedule 00:00-07:00 in force, minimum 3',
      'override ovr-7f3a9c holds worker bg between 2 and 8 until 05:10 (month-end batch tonight)',
    ],
    timeline: timeline(),
    series: { nodes: nodeSamples(), workers: workerSamples() },
    form: { scalers: ['nodes', 'workers', 'descheduler', 'all'], workers: ['bg', 'bg-priority'] },
    ...patch,
  };
}
