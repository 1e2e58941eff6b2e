// The shape every planner shares: the same inputs, and actions, refusals, memory and figures out.

import type { ClusterIndex } from './cluster';
import type { Action, DeschedulerSummary, NodeSummary, Skip, WorkerSummary } from './decision';
import type { DeschedulerMemory, Memory, NodeMemory, Override, WorkerMemory } from './memory';
import type { Policy } from './policy';
import type { ScalerName } from './scalers';
import type { LocalClock } from './schedule';
import type { Snapshot } from './views';

export interface PlannerInput {
  snapshot: Snapshot;
  index: ClusterIndex;
  policy: Policy;
  /** Memory as read at the start of the tick. */
  memory: Memory;
  now: number;
  clock: LocalClock;
  /** Overrides still in force now (expired ones were already dropped, with a note). */
  overrides: readonly Override[];
}

export interface PlannerOutput<M, S> {
  actions: Action[];
  skipped: Skip[];
  memory: M;
  summary: S;
  notes: string[];
}

/** What each scaler's planner hands back: its memory and its figures differ, the rest is shared. */
export interface PlannerOutputs {
  nodes: PlannerOutput<NodeMemory, NodeSummary>;
  workers: PlannerOutput<Record<string, WorkerMemory>, WorkerSummary[]>;
  descheduler: PlannerOutput<DeschedulerMemory, DeschedulerSummary>;
}

/** One scaler's planner. Undefined from `run`: the policy has no section for this scaler. */
export interface Planner<N extends ScalerName = ScalerName> {
  name: N;
  /** The planners whose output of this tick it reads; each is listed, and runs, before it. */
  reads: readonly ScalerName[];
  run(input: PlannerInput, earlier: Readonly<Partial<PlannerOutputs>>): PlannerOutputs[N] | undefined;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
