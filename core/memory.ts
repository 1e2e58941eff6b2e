// What a stateless function must remember between ticks. It is plain JSON (times as ISO strings) so
// it can live in a ConfigMap, be printed by `plan`, and be fed back with `--memory` to step through
// time. Every field is optional on input: a missing memory is an empty one.

export type ScalerName = 'nodes' | 'workers' | 'descheduler';

/** One recommendation of a scaler at one tick; kept for the length of the stabilisation window. */
export interface Recommendation {
  at: string;
  value: number;
}

export interface DrainMemory {
  since: string;
  reason: string;
  /** Set once `stop-node` was issued; the node is then waited on to show as stopped. */
  stopRequestedAt?: string;
}

export interface StartMemory {
  since: string;
  /** The node was cordoned when stopped: uncordon it once it is Ready again. */
  uncordonWhenReady: boolean;
}

export interface ProvisionMemory {
  pool: string;
  count: number;
  since: string;
  /** Nodes of the pool that existed when the request was made; new ones are counted against it. */
  nodesBefore: number;
}

export interface NodeMemory {
  recommendations: Recommendation[];
  drains: Record<string, DrainMemory>;
  starting: Record<string, StartMemory>;
  provisioning: ProvisionMemory[];
  lastScaleUp?: string;
  lastScaleDown?: string;
}

export interface WorkerMemory {
  recommendations: Recommendation[];
  lastScale?: string;
}

export interface EvictionMemory {
  namespace: string;
  /** `Kind/name` of the controller whose pod was evicted. */
  workload: string;
  at: string;
}

export interface DeschedulerMemory {
  recentEvictions: EvictionMemory[];
}

export type OverrideMode = 'pause' | 'pin' | 'bounds';

export interface Override {
  id: string;
  /** `nodes`, `descheduler`, `workers` (with `worker`: one entry; without: every worker), or `all`. */
  scaler: ScalerName | 'all';
  worker?: string;
  mode: OverrideMode;
  /** pin: the exact count. */
  count?: number;
  /** bounds: narrows the effective minimum and/or maximum. */
  min?: number;
  max?: number;
  reason: string;
  createdAt: string;
  createdBy?: string;
  expiresAt: string;
}

export interface Memory {
  version: 1;
  nodes: NodeMemory;
  workers: Record<string, WorkerMemory>;
  descheduler: DeschedulerMemory;
  overrides: Override[];
}

export function emptyMemory(): Memory {
  return {
    version: 1,
    nodes: { recommendations: [], drains: {}, starting: {}, provisioning: [] },
    workers: {},
    descheduler: { recentEvictions: [] },
    overrides: [],
  };
}
