// What a stateless function must remember between ticks. It is plain JSON (times as ISO strings) so
// it can live in a ConfigMap, be printed by `plan`, and be fed back with `--memory` to step through
// time. Every field is optional on input: a missing memory is an empty one.

import { SCALER_NAMES, type ScalerName } from './scalers';

export type { ScalerName } from './scalers';

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
  /**
   * When the first `stop-node` of this drain was issued, kept across retries: a VM that will not
   * deallocate for long is given back (core/nodes/failed-stops.ts).
   */
  stopFirstRequestedAt?: string;
}

export interface StartMemory {
  since: string;
  /** The node was cordoned when stopped: uncordon it once it is Ready again. */
  uncordonWhenReady: boolean;
  /**
   * When the runner found the VM still deallocated with an operation in progress, after ARM had had
   * time to report the start (runner/observe-starts.ts): the start hangs in Azure, so the node is not
   * counted as on its way (core/nodes/failed-starts.ts), though it stays remembered until its timeout.
   */
  stalled?: string;
}

export interface ProvisionMemory {
  pool: string;
  count: number;
  since: string;
  /** Nodes of the pool that existed when the request was made; new ones are counted against it. */
  nodesBefore: number;
}

/**
 * When and why something refused: an agent pool that would not grow (a VmRefusal on add-nodes, new
 * nodes go to the next pool meanwhile), or a VM that would not start (other VMs go first meanwhile).
 */
export interface PoolRefusalMemory {
  at: string;
  reason: string;
}

/** The refusal remembered for `name` in `record` if it happened less than `keepMs` before `now`. */
export function recentRefusal(
  record: Record<string, PoolRefusalMemory> | undefined,
  name: string,
  now: number,
  keepMs: number,
): PoolRefusalMemory | undefined {
  const refusal = record?.[name];
  return refusal && now - Date.parse(refusal.at) < keepMs ? refusal : undefined;
}

export interface NodeMemory {
  recommendations: Recommendation[];
  drains: Record<string, DrainMemory>;
  starting: Record<string, StartMemory>;
  provisioning: ProvisionMemory[];
  /** Pools that refused add-nodes, by pool, remembered for POOL_REFUSAL_MS (core/nodes/scale-up.ts). */
  refusedPools?: Record<string, PoolRefusalMemory>;
  /**
   * VMs whose start failed, was refused or never made the node Ready, by node, remembered for
   * START_FAILURE_MS (core/nodes/scale-up.ts): other stopped VMs are started first meanwhile.
   */
  failedStarts?: Record<string, PoolRefusalMemory>;
  /**
   * VMs that would not deallocate and were given back (uncordoned), by node, remembered for
   * STOP_FAILURE_MS (core/nodes/failed-stops.ts): other nodes are drained first meanwhile.
   */
  failedStops?: Record<string, PoolRefusalMemory>;
  /**
   * The learned demand profile (core/nodes/demand.ts): nodes the load needed per quarter hour of each
   * local weekday (`1:07:30`), of weekdays and rest days (`work:07:30`, `rest:07:30`), each slot's
   * last peaks (`1:07:30@0`, newest, to `1:07:30@4`), and the slot being observed
   * (`open:<date>:<weekday>:<slot>`).
   */
  demand?: Record<string, number>;
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

// --- reading memory back ---------------------------------------------------------------------------
// Memory comes back from a ConfigMap or a file a person may have edited: check every field and name
// the bad ones, rather than let a typo silently reset a 20-hour drain.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));

class MemoryReader {
  readonly problems: string[] = [];

  obj(v: unknown, path: string): Obj {
    if (v === undefined) return {};
    if (isObj(v)) return v;
    this.problems.push(`${path}: expected an object, got ${JSON.stringify(v)}`);
    return {};
  }

  list(v: unknown, path: string): unknown[] {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    this.problems.push(`${path}: expected a list, got ${JSON.stringify(v)}`);
    return [];
  }

  time(v: unknown, path: string): string {
    if (isTime(v)) return v;
    this.problems.push(`${path}: expected an ISO 8601 time, got ${JSON.stringify(v)}`);
    return new Date(0).toISOString();
  }

  optTime(v: unknown, path: string): string | undefined {
    return v === undefined ? undefined : this.time(v, path);
  }

  str(v: unknown, path: string): string {
    if (typeof v === 'string') return v;
    this.problems.push(`${path}: expected a string, got ${JSON.stringify(v)}`);
    return '';
  }

  count(v: unknown, path: string): number {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    this.problems.push(`${path}: expected a whole number >= 0, got ${JSON.stringify(v)}`);
    return 0;
  }

  optCount(v: unknown, path: string): number | undefined {
    return v === undefined ? undefined : this.count(v, path);
  }

  recommendations(v: unknown, path: string): Recommendation[] {
    return this.list(v, path).map((r, i) => {
      const o = this.obj(r, `${path}[${i}]`);
      return { at: this.time(o.at, `${path}[${i}].at`), value: this.count(o.value, `${path}[${i}].value`) };
    });
  }
}

const SCALERS = new Set<string>([...SCALER_NAMES, 'all']);
const MODES = new Set(['pause', 'pin', 'bounds']);

export function parseOverride(v: unknown, path: string, r: MemoryReader): Override {
  const o = r.obj(v, path);
  const scaler = r.str(o.scaler, `${path}.scaler`);
  if (!SCALERS.has(scaler)) r.problems.push(`${path}.scaler: expected one of ${[...SCALERS].join(', ')}, got ${JSON.stringify(o.scaler)}`);
  const mode = r.str(o.mode, `${path}.mode`);
  if (!MODES.has(mode)) r.problems.push(`${path}.mode: expected one of pause, pin, bounds, got ${JSON.stringify(o.mode)}`);
  const result: Override = {
    id: r.str(o.id, `${path}.id`),
    scaler: scaler as Override['scaler'],
    mode: mode as OverrideMode,
    reason: r.str(o.reason, `${path}.reason`),
    createdAt: r.time(o.createdAt, `${path}.createdAt`),
    expiresAt: r.time(o.expiresAt, `${path}.expiresAt`),
  };
  if (o.worker !== undefined) result.worker = r.str(o.worker, `${path}.worker`);
  if (o.createdBy !== undefined) result.createdBy = r.str(o.createdBy, `${path}.createdBy`);
  const count = r.optCount(o.count, `${path}.count`);
  const min = r.optCount(o.min, `${path}.min`);
  const max = r.optCount(o.max, `${path}.max`);
  if (count !== undefined) result.count = count;
  if (min !== undefined) result.min = min;
  if (max !== undefined) result.max = max;
  if (mode === 'pin' && count === undefined) r.problems.push(`${path}.count: a pin needs a count`);
  if (mode === 'bounds' && min === undefined && max === undefined) r.problems.push(`${path}: bounds need min, max or both`);
  return result;
}

/** A record of refusals by name (`nodes.refusedPools`, `nodes.failedStarts`, `nodes.failedStops`); undefined when empty. */
function readRefusals(r: MemoryReader, raw: unknown, path: string): Record<string, PoolRefusalMemory> | undefined {
  const entries = Object.entries(r.obj(raw, path));
  if (entries.length === 0) return undefined;
  const out: Record<string, PoolRefusalMemory> = {};
  for (const [name, v] of entries) {
    const o = r.obj(v, `${path}.${name}`);
    out[name] = { at: r.time(o.at, `${path}.${name}.at`), reason: r.str(o.reason ?? '', `${path}.${name}.reason`) };
  }
  return out;
}

// Quarter hours by their start (`1:07:30`); half hours by their index (`1:15`) as written before
// (read, then upgraded by core/nodes/demand.ts).
const SLOT = String.raw`(?:\d{2}:\d{2}|\d{1,2})`;
const DEMAND_KEY = new RegExp(String.raw`^(?:[0-6]|work|rest):${SLOT}(?:@\d)?$|^open:\d{4}-\d{2}-\d{2}:[0-6]:${SLOT}$`);

/** `nodes.demand`: slot keys to node counts; undefined when empty. */
function readDemand(r: MemoryReader, raw: unknown): Record<string, number> | undefined {
  const entries = Object.entries(r.obj(raw, 'nodes.demand'));
  if (entries.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const [key, value] of entries) {
    if (!DEMAND_KEY.test(key))
      r.problems.push(`nodes.demand.${key}: expected a slot key like "1:07:30", "work:07:30", "work:07:30@0" or "open:2026-11-30:1:07:30"`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      r.problems.push(`nodes.demand.${key}: expected a number of nodes >= 0, got ${JSON.stringify(value)}`);
    } else out[key] = value;
  }
  return out;
}

/** Reads memory written by an earlier tick (or a whole `plan` JSON output, whose `memory` is taken). */
export function parseMemory(raw: unknown): { ok: true; memory: Memory } | { ok: false; problems: string[] } {
  const r = new MemoryReader();
  let root = r.obj(raw, 'memory');
  if (isObj(root.memory) && Array.isArray(root.actions)) root = root.memory;
  if (root.version !== undefined && root.version !== 1) r.problems.push(`version: expected 1, got ${JSON.stringify(root.version)}`);

  const n = r.obj(root.nodes, 'nodes');
  const drains: Record<string, DrainMemory> = {};
  for (const [name, d] of Object.entries(r.obj(n.drains, 'nodes.drains'))) {
    const o = r.obj(d, `nodes.drains.${name}`);
    const drain: DrainMemory = {
      since: r.time(o.since, `nodes.drains.${name}.since`),
      reason: r.str(o.reason ?? '', `nodes.drains.${name}.reason`),
    };
    const stop = r.optTime(o.stopRequestedAt, `nodes.drains.${name}.stopRequestedAt`);
    if (stop) drain.stopRequestedAt = stop;
    const firstStop = r.optTime(o.stopFirstRequestedAt, `nodes.drains.${name}.stopFirstRequestedAt`);
    if (firstStop) drain.stopFirstRequestedAt = firstStop;
    drains[name] = drain;
  }
  const starting: Record<string, StartMemory> = {};
  for (const [name, s] of Object.entries(r.obj(n.starting, 'nodes.starting'))) {
    const o = r.obj(s, `nodes.starting.${name}`);
    starting[name] = {
      since: r.time(o.since, `nodes.starting.${name}.since`),
      uncordonWhenReady: o.uncordonWhenReady === true,
      ...(o.stalled !== undefined ? { stalled: r.time(o.stalled, `nodes.starting.${name}.stalled`) } : {}),
    };
  }
  const provisioning = r.list(n.provisioning, 'nodes.provisioning').map((p, i) => {
    const o = r.obj(p, `nodes.provisioning[${i}]`);
    return {
      pool: r.str(o.pool, `nodes.provisioning[${i}].pool`),
      count: r.count(o.count, `nodes.provisioning[${i}].count`),
      since: r.time(o.since, `nodes.provisioning[${i}].since`),
      nodesBefore: r.count(o.nodesBefore, `nodes.provisioning[${i}].nodesBefore`),
    };
  });
  const nodes: NodeMemory = {
    recommendations: r.recommendations(n.recommendations, 'nodes.recommendations'),
    drains,
    starting,
    provisioning,
  };
  const refusedPools = readRefusals(r, n.refusedPools, 'nodes.refusedPools');
  if (refusedPools) nodes.refusedPools = refusedPools;
  const failedStarts = readRefusals(r, n.failedStarts, 'nodes.failedStarts');
  if (failedStarts) nodes.failedStarts = failedStarts;
  const failedStops = readRefusals(r, n.failedStops, 'nodes.failedStops');
  if (failedStops) nodes.failedStops = failedStops;
  const demand = readDemand(r, n.demand);
  if (demand) nodes.demand = demand;
  const up = r.optTime(n.lastScaleUp, 'nodes.lastScaleUp');
  const down = r.optTime(n.lastScaleDown, 'nodes.lastScaleDown');
  if (up) nodes.lastScaleUp = up;
  if (down) nodes.lastScaleDown = down;

  const workers: Record<string, WorkerMemory> = {};
  for (const [name, w] of Object.entries(r.obj(root.workers, 'workers'))) {
    const o = r.obj(w, `workers.${name}`);
    workers[name] = { recommendations: r.recommendations(o.recommendations, `workers.${name}.recommendations`) };
    const last = r.optTime(o.lastScale, `workers.${name}.lastScale`);
    if (last) workers[name].lastScale = last;
  }
  const d = r.obj(root.descheduler, 'descheduler');
  const recentEvictions = r.list(d.recentEvictions, 'descheduler.recentEvictions').map((e, i) => {
    const o = r.obj(e, `descheduler.recentEvictions[${i}]`);
    return {
      namespace: r.str(o.namespace, `descheduler.recentEvictions[${i}].namespace`),
      workload: r.str(o.workload, `descheduler.recentEvictions[${i}].workload`),
      at: r.time(o.at, `descheduler.recentEvictions[${i}].at`),
    };
  });
  const overrides = r.list(root.overrides, 'overrides').map((o, i) => parseOverride(o, `overrides[${i}]`, r));
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return { ok: true, memory: { version: 1, nodes, workers, descheduler: { recentEvictions }, overrides } };
}
