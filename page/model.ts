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
