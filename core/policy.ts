// The policy a person writes (YAML or JSON), after validation: durations are milliseconds,
// selectors are parsed, every default is filled in. `validatePolicy` (policy-validate.ts) is the only
// way to obtain one, so the planners never see a half-valid policy.

import type { Modes } from './modes';
import type { LabelSelector } from './views';

/** Days of the week as JavaScript numbers them: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * A recurring local-time window. `days` are the days the window *starts* on; a window that crosses
 * midnight (`22:00-06:00`) runs into the next morning. Minutes count from local midnight;
 * `endMinute` may be 1440 (`24:00`).
 */
export interface TimeWindow {
  /** The text the person wrote, for reasons: `Mon-Fri 07:30-21:00`. */
  label: string;
  days: ReadonlySet<Weekday>;
  startMinute: number;
  endMinute: number;
}

export interface NodeWindow extends TimeWindow {
  minNodes: number | undefined;
  maxNodes: number | undefined;
  /** Pods per node to size for inside the window: only ever below the section's (a wider margin). */
  targetPodsPerNode: number | undefined;
}

export interface ReplicaWindow extends TimeWindow {
  minReplicas: number | undefined;
  maxReplicas: number | undefined;
}

export interface NodePolicy {
  /** AKS agent pools (label `kubernetes.azure.com/agentpool`) this scaler manages, in order of preference for new nodes. */
  pools: readonly string[];
  /** A pool's own ceiling (`poolMaxNodes`): once it has this many nodes, new ones go to the next pool. */
  poolMaxNodes: Readonly<Record<string, number>>;
  targetPodsPerNode: number;
  minNodes: number;
  maxNodes: number;
  schedule: readonly NodeWindow[];
  /** `key` (label present) or `key=value`. */
  protectedNodeLabels: readonly string[];
  scaleDownDelayMs: number;
  maxConcurrentDrains: number;
  maxEvictionsPerRun: number;
  /** How many drained nodes may be deallocated in one run. Default 2. */
  maxStopsPerRun: number;
  /** A started VM that is not Ready after this is forgotten, so it may be started again. Default 10m. */
  startTimeoutMs: number;
  /** Nodes requested with add-nodes that have not appeared after this are no longer waited for. Default 15m. */
  provisionTimeoutMs: number;
  /** A stop that has not taken effect after this is requested again. Default 10m. */
  stopTimeoutMs: number;
  /** When true, pods with emptyDir/hostPath volumes block scale-down (cluster-autoscaler's old default). Default false. */
  protectLocalStorage: boolean;
  /**
   * A kube-system pod no PodDisruptionBudget covers keeps its node until it is older than this
   * (cluster-autoscaler's --blocking-system-pod-distruption-timeout). Default 1h.
   */
  blockingSystemPodTimeoutMs: number;
  /**
   * Also taint the nodes labelled `graceful-scaler.io/stays` with `graceful-scaler.io/stays=true:PreferNoSchedule`,
   * so pods that do not tolerate it prefer other nodes and the nodes that stay keep room for long-running
   * workers that tolerate it (core/nodes/stays.ts). Default false.
   */
  staysTaint: boolean;
  /** Predictive pre-warming (core/nodes/demand.ts). Default: forecast only, 10 minutes ahead. */
  prewarm: NodePrewarm;
  /** What the pools' VMs cost, for the status page and reports; no decision reads it. Absent: no money shown. */
  cost?: NodeCost;
}

export interface NodePrewarm {
  /** `act` starts nodes for the forecast; `forecast` only says what it would start; `off` neither. */
  mode: 'act' | 'forecast' | 'off';
  /** How far ahead of a quarter hour that needed more nodes they are started: a VM start plus a margin. */
  leadMs: number;
}

/** Prices per agent pool, in one currency. */
export interface NodeCost {
  /** ISO 4217 code (`JPY`); it only labels the amounts. */
  currency: string;
  /** Per pool: one VM per hour while not deallocated (compute, plus its disks if you want them counted). */
  vmHour: Readonly<Record<string, number>>;
  /** Per pool: one deallocated VM per hour (the OS disk it keeps). Pools not named: 0. */
  deallocatedDiskHour: Readonly<Record<string, number>>;
}

export interface WorkerPolicy {
  name: string;
  namespace: string;
  deployment: string;
  queues: readonly string[];
  jobsPerWorker: number;
  /** Messages needed to start the first worker from zero replicas. Default 1. */
  activationMessages: number;
  minReplicas: number;
  maxReplicas: number;
  maxQueueDelayMs: number;
  scaleDownDelayMs: number;
  /** No scale-down within this long of the last change of replicas. Default 30m. */
  scaleDownIntervalMs: number;
  /** The dead band, in percent of the replicas (at least one replica): fewer surplus workers are kept. Default 50. */
  scaleDownMarginPercent: number;
  schedule: readonly ReplicaWindow[];
}

export type BalanceMeasure = 'memory' | 'count';

export interface DeschedulerPolicy {
  /** The text as written, for reasons. */
  podSelectorText: string;
  podSelector: LabelSelector;
  nodeSelectorText: string;
  nodeSelector: LabelSelector;
  balanceBy: BalanceMeasure;
  maxEvictionsPerRun: number;
  minPodAgeMs: number;
  /** A workload (controller) that had a pod evicted is left alone for this long. Default 30m. */
  workloadCooldownMs: number;
  /** Move opted-in pods that do not tolerate the stays taint off the nodes that stay, as far as the pods that tolerate it need the room (stays-room.ts). Default true. */
  staysRoom: boolean;
}

export interface Policy {
  /** Per scaler: off, observe (plan and record, do nothing) or act. Default observe. */
  modes: Modes;
  /** IANA time zone for schedules and holidays. Default `Asia/Tokyo`. */
  timezone: string;
  /** Local dates (`YYYY-MM-DD`) treated like Sunday. */
  holidays: ReadonlySet<string>;
  /** The holidays given a name, by date: said wherever a holiday opens a window. */
  holidayNames?: ReadonlyMap<string, string>;
  nodes: NodePolicy | undefined;
  workers: readonly WorkerPolicy[];
  descheduler: DeschedulerPolicy | undefined;
}
