// The decision core's one entry point: snapshot + policy + memory + now in, a Decision out.
// Pure: no I/O, no clock, no randomness. The same call serves timers, HTTP, the CLI and the simulator.

import { indexCluster } from './cluster';
import type { Decision } from './decision';
import { emptyMemory, type Memory } from './memory';
import { describeOverride, splitOverrides } from './overrides';
import type { PlannerInput, PlannerOutputs } from './planner';
import { PLANNERS } from './planners';
import type { Policy } from './policy';
import { checkSanity } from './sanity';
import { SCALER_NAMES, type ScalerName } from './scalers';
import { localClock } from './schedule';
import type { Snapshot } from './views';

export const ALL_SCALERS: readonly ScalerName[] = SCALER_NAMES;

export interface PlanRequest {
  snapshot: Snapshot;
  policy: Policy;
  memory?: Memory;
  /** Epoch milliseconds. */
  now: number;
  /** Which scalers run this tick (each timer runs its own); the others' memory passes through. Default: all. */
  scalers?: readonly ScalerName[];
}

export function plan(request: PlanRequest): Decision {
  const { snapshot, policy, now } = request;
  const memory = request.memory ?? emptyMemory();
  const asked = request.scalers ?? ALL_SCALERS;
  // A scaler whose input makes no sense is not planned at all: its memory passes through untouched.
  const refused = checkSanity(snapshot, policy, asked);
  const scalers = new Set(asked.filter((s) => !refused.some((r) => r.scaler === s)));
  const { active, expired } = splitOverrides(memory.overrides, now);
  const input: PlannerInput = {
    snapshot,
    index: indexCluster(snapshot, policy, { optedIn: scalers.has('descheduler'), workers: scalers.has('workers'), now }),
    policy,
    memory,
    now,
    clock: localClock(now, policy.timezone, policy.holidays),
    overrides: active,
  };

  const out: Partial<PlannerOutputs> = {};
  for (const planner of PLANNERS) {
    if (!scalers.has(planner.name)) continue;
    const result = planner.run(input, out);
    if (result) (out as Record<ScalerName, typeof result>)[planner.name] = result;
  }
  const ran = PLANNERS.flatMap((p) => out[p.name] ?? []);
  const { nodes, workers, descheduler } = out;

  const decision: Decision = {
    now: new Date(now).toISOString(),
    actions: ran.flatMap((o) => o.actions),
    skipped: ran.flatMap((o) => o.skipped),
    refused,
    memory: {
      version: 1,
      nodes: nodes?.memory ?? memory.nodes,
      workers: workers ? workers.memory : memory.workers,
      descheduler: descheduler?.memory ?? memory.descheduler,
      overrides: active,
    },
    summary: {
      ...(nodes ? { nodes: nodes.summary } : {}),
      workers: workers?.summary ?? [],
      ...(descheduler ? { descheduler: descheduler.summary } : {}),
    },
    notes: [...expired.map((o) => `${describeOverride(o)} expired and no longer applies`), ...ran.flatMap((o) => o.notes)],
    ...(expired.length > 0 ? { expiredOverrides: expired } : {}),
  };
  for (const o of expired) {
    decision.skipped.push({
      scaler: o.scaler === 'all' ? 'nodes' : o.scaler,
      target: `override/${o.id}`,
      rule: 'override-expired',
      reason: `${describeOverride(o)} expired`,
    });
  }
  return decision;
}
