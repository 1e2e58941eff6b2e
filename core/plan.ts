// The decision core's one entry point: snapshot + policy + memory + now in, a Decision out.
// Pure: no I/O, no clock, no randomness. The same call serves timers, HTTP, the CLI and the simulator.

import { indexCluster } from './cluster';
import type { Decision } from './decision';
import { planDescheduler } from './descheduler';
import { emptyMemory, type Memory, type ScalerName } from './memory';
import { planNodes } from './nodes';
import { describeOverride, splitOverrides } from './overrides';
import type { PlannerInput } from './planner';
import type { Policy } from './policy';
import { localClock } from './schedule';
import type { Snapshot } from './views';
import { planWorkers } from './workers';

export const ALL_SCALERS: readonly ScalerName[] = ['nodes', 'workers', 'descheduler'];

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
  const scalers = new Set(request.scalers ?? ALL_SCALERS);
  const { active, expired } = splitOverrides(memory.overrides, now);
  const input: PlannerInput = {
    snapshot,
    index: indexCluster(snapshot, policy, { optedIn: scalers.has('descheduler') }),
    policy,
    memory,
    now,
    clock: localClock(now, policy.timezone, policy.holidays),
    overrides: active,
  };

  const nodes = scalers.has('nodes') ? planNodes(input) : undefined;
  const workers = scalers.has('workers') ? planWorkers(input) : undefined;
  const descheduler = scalers.has('descheduler') ? planDescheduler(input, nodes?.memory ?? memory.nodes) : undefined;

  const decision: Decision = {
    now: new Date(now).toISOString(),
    actions: [...(nodes?.actions ?? []), ...(workers?.actions ?? []), ...(descheduler?.actions ?? [])],
    skipped: [...(nodes?.skipped ?? []), ...(workers?.skipped ?? []), ...(descheduler?.skipped ?? [])],
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
    notes: [
      ...expired.map((o) => `${describeOverride(o)} expired and no longer applies`),
      ...(nodes?.notes ?? []),
      ...(workers?.notes ?? []),
      ...(descheduler?.notes ?? []),
    ],
  };
  for (const o of expired) {
    decision.skipped.push({ scaler: o.scaler === 'all' ? 'nodes' : o.scaler, target: `override/${o.id}`, rule: 'override-expired', reason: `${describeOverride(o)} expired` });
  }
  return decision;
}
