// Decisions are data, refusals too. Every action and every skip names the rule that produced it
// (a string-literal type an operator can grep for) and says in words which numbers it saw.

import type { VmsByPool } from './cost';
import type { Memory, Override, ScalerName } from './memory';

/** Why an action is proposed. */
export type ActionRule =
  | 'scale-up-cancel-drain'
  | 'scale-up-start-node'
  | 'scale-up-add-nodes'
  | 'start-uncordon'
  | 'started-node-ready'
  | 'scale-down-cordon'
  | 'drain-cordon'
  | 'drain-evict'
  | 'drain-complete-stop'
  | 'stop-retry'
  | 'stop-given-up'
  | 'drain-blocked-uncordon'
  | 'drain-candidate-taint'
  | 'drain-candidate-untaint'
  | 'stays-label'
  | 'stays-unlabel'
  | 'stays-taint'
  | 'stays-untaint'
  | 'workers-scale-up'
  | 'workers-scale-down'
  | 'workers-deletion-cost'
  | 'deschedule-balance'
  | 'deschedule-stays-room';

/** Why something was not done (or not done now). */
export type SkipRule =
  | 'paused'
  | 'not-managed'
  | 'ignored'
  | 'protected-label'
  | 'scale-down-disabled'
  | 'do-not-disrupt'
  | 'blocked-by-pod'
  | 'not-ready'
  | 'cordoned-by-someone-else'
  | 'not-needed-long-enough'
  | 'at-minimum'
  | 'at-maximum'
  | 'drain-limit'
  | 'budget-exhausted'
  | 'waiting-for-termination'
  | 'waiting-for-completion'
  | 'stuck-terminating'
  | 'prewarm-forecast-only'
  | 'not-enough-pdb'
  | 'no-room-elsewhere'
  | 'scale-down-packing'
  | 'pdb-blocks'
  | 'start-in-progress'
  | 'start-timed-out'
  | 'provision-in-progress'
  | 'provision-timed-out'
  | 'stop-in-progress'
  | 'not-cordoned'
  | 'no-pool-to-grow'
  | 'queue-unknown'
  | 'deployment-not-found'
  | 'no-busy-signal'
  | 'workers-busy'
  | 'scale-down-interval'
  | 'within-dead-band'
  | 'descheduler-unsettled'
  | 'descheduler-balanced'
  | 'no-eligible-nodes'
  | 'workload-cooldown'
  | 'no-fitting-node'
  | 'override-expired'
  | 'aks-operation-in-progress'
  | 'aks-operation-failed'
  | 'stop-failed-recently';

export interface ActionBase {
  scaler: ScalerName;
  rule: ActionRule;
  reason: string;
}

/**
 * The node scaler's placement marks (core/nodes/drain-candidates.ts, core/nodes/stays.ts): the
 * `graceful-scaler.io/drain-candidate` PreferNoSchedule taint on the nodes it would drain next, and
 * the `graceful-scaler.io/stays=true` label on those it expects to keep longest, and (policy
 * `nodes.staysTaint`) the `graceful-scaler.io/stays=true` PreferNoSchedule taint on the same nodes.
 */
export type NodeMark = 'drain-candidate' | 'stays' | 'stays-taint';

export type Action =
  | (ActionBase & { type: 'cordon'; node: string })
  | (ActionBase & { type: 'uncordon'; node: string })
  | (ActionBase & { type: 'evict'; namespace: string; pod: string; node: string | undefined })
  | (ActionBase & { type: 'stop-node'; node: string })
  | (ActionBase & { type: 'start-node'; node: string })
  | (ActionBase & { type: 'add-nodes'; pool: string; count: number })
  | (ActionBase & { type: 'scale'; namespace: string; deployment: string; replicas: number; from: number })
  | (ActionBase & { type: 'set-deletion-cost'; namespace: string; pod: string; cost: number })
  /** Puts the mark on the node (`set`) or takes ours off; only ever on nodes of the managed pools. */
  | (ActionBase & { type: 'mark-node'; node: string; mark: NodeMark; set: boolean });

export type ActionType = Action['type'];

export interface Skip {
  scaler: ScalerName;
  /** `node/<name>`, `pod/<ns>/<name>`, `deployment/<ns>/<name>`, `pool/<name>`, `queue/<name>` or the scaler itself. */
  target: string;
  rule: SkipRule;
  reason: string;
}

/**
 * Input that makes no sense for a scaler (no nodes at all, a pool or selector that matches nothing, a
 * worker's Deployment or queue that does not exist): the scaler is not planned and does nothing.
 */
export interface Refusal {
  scaler: ScalerName;
  /** The policy field (`nodes.pools[0]`) or the input (`snapshot.nodes`) at fault. */
  field: string;
  problem: string;
  /** What a person should do about it. */
  fix: string;
}

/** One line a person reads: `nodes.pools[0]: no node … ; fix: …`. */
export function describeRefusal(r: Refusal): string {
  return `${r.scaler} refused: ${r.field}: ${r.problem}; ${r.fix}`;
}

/** The figures an operator charts, per scaler. */
export interface NodeSummary {
  desired: number;
  running: number;
  starting: number;
  stopped: number;
  draining: number;
  workloadPods: number;
  podsPerRunningNode: number;
  minNodes: number;
  maxNodes: number;
  /** Which term set `desired`, in words. */
  why: string;
  /** The managed pools AKS is working on; the node scaler holds while there are any. */
  aksHolds: { pool: string; state: string; failed: boolean }[];
  /** Pods waiting for a node (no node, phase Pending), and the oldest one's age. */
  pendingPods: number;
  oldestPendingPodSeconds: number | undefined;
  /** The oldest drain's age, and how many drains run longer than their pods' grace periods explain. */
  oldestDrainSeconds: number | undefined;
  overdueDrains: number;
  /** Draining nodes that hold a drain slot (the others wait only for long work: drain-survey.ts). */
  drainsHoldingSlots: number;
  /** Every pool's VMs as found, managed or not: billed (not deallocated) and deallocated (core/cost.ts). */
  vms: VmsByPool;
  /** The learned demand for the coming quarter hour (core/nodes/demand.ts), and whether it is acted on. */
  forecast?: { nodes: number; slot: string; basis: 'weekday' | 'day kind'; peaks: number; days: number[]; mode: 'act' | 'forecast' };
}

export interface WorkerSummary {
  name: string;
  desired: number;
  current: number;
  messages: number;
  oldestAgeSeconds: number | undefined;
  minReplicas: number;
  maxReplicas: number;
}

export interface DeschedulerSummary {
  measure: string;
  spreadBefore: number;
  spreadAfter: number;
  evictions: number;
}

export interface Decision {
  now: string;
  actions: Action[];
  skipped: Skip[];
  /** Scalers not planned because their input makes no sense; empty when every scaler planned. */
  refused: Refusal[];
  memory: Memory;
  summary: {
    nodes?: NodeSummary;
    workers: WorkerSummary[];
    descheduler?: DeschedulerSummary;
  };
  /** Things an operator should know that are not tied to one action: overrides expired, paused scalers. */
  notes: string[];
  /** The overrides this tick found expired and dropped from memory, for the record of who did what. */
  expiredOverrides?: Override[];
}

/** What an action is about, as people name it: `ns/pod`, `ns/deployment`, `pool x`, or the node. */
export function actionTarget(a: Action): string {
  switch (a.type) {
    case 'evict':
    case 'set-deletion-cost':
      return `${a.namespace}/${a.pod}`;
    case 'scale':
      return `${a.namespace}/${a.deployment}`;
    case 'add-nodes':
      return `pool ${a.pool}`;
    default:
      return a.node;
  }
}
