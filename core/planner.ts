// The shape every planner shares: the same inputs, and actions, refusals, memory and figures out.

import type { ClusterIndex } from './cluster';
import type { Action, Skip } from './decision';
import type { Memory, Override } from './memory';
import type { Policy } from './policy';
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

export const iso = (ms: number): string => new Date(ms).toISOString();

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
