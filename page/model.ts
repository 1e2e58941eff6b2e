// What the status page shows, as one JSON document (GET /api/dashboard/data): the cluster now, what
// each scaler would do now and why, what was done lately and the figures over the last hours.
// The page (page/html.ts, its script in page/client/) only renders this; everything is computed server-side.
// The drain audit is not part of it: the script loads GET /api/audit on its own (page/client/audit.ts says why).

import type { Override } from '../core/memory';
import type { EndedOverride, NodeSample, TimelineEntry, WorkerSample } from '../runner/history-records';

/** The history's records, as the runner keeps them. */
export type { EndedOverride, NodeSample, TimelineEntry, WorkerSample };

export type DashboardNodeState = 'running' | 'starting' | 'draining' | 'stopped' | 'not-ready';

export interface DashboardNode {
  name: string;
  pool: string;
  state: DashboardNodeState;
  /** Why the scaler leaves this node alone (protected label, annotation, not a managed pool), if it does. */
  protectedBy: string | undefined;
  /** Pods other than DaemonSet and mirror pods, not finished. */
  workloadPods: number;
  /** The node's pod capacity (Azure CNI: about 30). */
  maxPods: number;
  memoryRequestedBytes: number;
  memoryAllocatableBytes: number;
  cpuRequestedMilli: number;
  cpuAllocatableMilli: number;
}

export interface DashboardWorker {
  name: string;
  namespace: string;
  deployment: string;
  replicas: number;
  desired: number;
  queueDepth: number;
  oldestMessageAgeSeconds: number | undefined;
  minReplicas: number;
  maxReplicas: number;
}

export interface PlannedAction {
  scaler: string;
  type: string;
  target: string;
  rule: string;
  reason: string;
}

export interface PlannedSkip {
  scaler: string;
  target: string;
  rule: string;
  reason: string;
}

/** The rule that holds a scaler's gap open, with the numbers it saw (`figures`, by name). */
export interface HeadlineBlocker {
  rule: string;
  target: string;
  reason: string;
  figures: Record<string, number>;
}

/**
 * A scaler in one line (page/headline.ts): settled (desired = actual, nothing to do), busy (no gap,
 * still carrying on, e.g. a drain), closing (actions towards desired) or held (a gap and nothing
 * closes it: `blockedBy` says which rule).
 */
export interface ScalerHeadline {
  /** `nodes`, `workers/<name>` or `descheduler`. */
  scaler: string;
  label: string;
  status: 'settled' | 'busy' | 'closing' | 'held';
  /** Nodes or replicas aimed for and there now; undefined for the descheduler. */
  desired: number | undefined;
  actual: number | undefined;
  actions: number;
  text: string;
  blockedBy: HeadlineBlocker | undefined;
}

/** A scaler that is not acting (observe or off), said prominently at the top of the page. */
export interface ModeBanner {
  scaler: string;
  mode: 'observe' | 'off';
  text: string;
}

/** A scaler whose input made no sense this tick: it planned nothing (core/sanity.ts). */
export interface PlannedRefusal {
  scaler: string;
  field: string;
  problem: string;
  fix: string;
}

/** One pool's VMs and prices behind the cost figures (page/cost.ts). */
export interface PoolCost {
  pool: string;
  /** The policy's price per VM hour (nodes.cost.vmHour); undefined: not priced, its VMs counted as 0. */
  vmHour: number | undefined;
  /** Per deallocated VM hour (nodes.cost.deallocatedDiskHour); undefined: its disks counted as 0. */
  deallocatedDiskHour: number | undefined;
  /** VMs now: billed (not deallocated) and deallocated. */
  billed: number;
  deallocated: number;
  /** VM-hours over the samples' time. */
  billedHours: number;
  deallocatedHours: number;
  /** The most VMs billed at once over the samples' time (what static peak runs), and the pool's most VMs. */
  peakBilled: number;
  peakVms: number;
}

/**
 * What the pools' VMs cost at the policy's prices (nodes.cost): per hour now, over the history the
 * page shows, and against static peak provisioning over the same time. Amounts in `currency`.
 * Without prices in the policy: `priced: false` and what to add.
 */
export type DashboardCost =
  | { priced: false; text: string }
  | {
      priced: true;
      currency: string;
      /** The VMs as read now, priced per hour: compute (`vms`) plus the disks of deallocated VMs. */
      now: { perHour: number; vms: number; disks: number; billed: number; deallocated: number };
      /**
       * The node scaler's samples integrated from the first kept to now: each holds until the next,
       * for at most twice their usual spacing; the rest is `gapHours`, not counted. Undefined: no samples.
       */
      window:
        | { from: string; until: string; hours: number; gapHours: number; samples: number; amount: number; vms: number; disks: number }
        | undefined;
      /** Each pool's most VMs billed at once in the window, billed all of it, the rest deallocated. */
      staticPeak: { amount: number; perHour: number } | undefined;
      /** staticPeak.amount − window.amount, and its share of staticPeak.amount in percent. */
      saved: { amount: number; percent: number | undefined } | undefined;
      pools: PoolCost[];
      /** Pools with VMs and no vmHour: counted as 0, and said. */
      unpriced: string[];
      /** Priced pools with deallocated VMs and no deallocatedDiskHour: their disks counted as 0. */
      unpricedDisks: string[];
      /** The figures in words: the prices, the VMs running and deallocated, the time covered. */
      explanation: string[];
    };

export interface DashboardData {
  /** The cluster's time (simulated time in the simulator), ISO 8601 UTC. */
  now: string;
  /** The policy's IANA zone; the page shows times in it. */
  timezone: string;
  /** What is being looked at, e.g. "AKS cluster prod-aks" or "simulated cluster, 60× real time". */
  source: string;
  nodes: DashboardNode[];
  counts: {
    running: number;
    starting: number;
    draining: number;
    stopped: number;
    notReady: number;
    desired: number | undefined;
    minNodes: number | undefined;
    maxNodes: number | undefined;
    why: string | undefined;
  };
  /** Pods waiting for a node. */
  pendingPods: number;
  /** What the VMs cost, now and over the history shown; how to enable it when the policy has no prices. */
  cost: DashboardCost;
  workers: DashboardWorker[];
  overrides: Override[];
  /** Each scaler's mode: off, observe (plans and records, does nothing) or act. */
  modes: Record<string, string>;
  /** One per scaler not in act mode. */
  banners: ModeBanner[];
  /** Scalers refused for nonsense input, with the fix. */
  refused: PlannedRefusal[];
  /** Overrides that no longer hold, newest first: who set each, who removed it or that it expired. */
  endedOverrides: EndedOverride[];
  /** Today, when the policy lists it as a holiday (windows then count it as a Sunday), with its name if given. */
  holiday: { date: string; name: string | undefined } | undefined;
  /** One line per scaler: desired against actual and, while they differ, why. */
  headlines: ScalerHeadline[];
  /** A dry run of every scaler now. */
  wouldDo: PlannedAction[];
  skipped: PlannedSkip[];
  notes: string[];
  /** Newest first, at most a few hundred. */
  timeline: TimelineEntry[];
  /** Oldest first. */
  series: { nodes: NodeSample[]; workers: WorkerSample[] };
  /** What the override form may offer. */
  form: { scalers: string[]; workers: string[] };
}
