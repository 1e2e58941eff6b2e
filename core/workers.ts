// The worker planner: BG replicas follow the job queue's depth, not CPU (the seed's second script).
// Azure's approximate count includes messages being worked on, so busy workers are never counted
// away. Up at once; down only to the highest need seen during the scale-down delay, idle workers first.

import { BUSY, POD_DELETION_COST } from './annotations';
import { effectiveBounds } from './bounds';
import type { Action, Skip, WorkerSummary } from './decision';
import { formatDuration } from './duration';
import type { WorkerMemory } from './memory';
import { overridesFor } from './overrides';
import { iso, plural, type PlannerInput, type PlannerOutput } from './planner';
import type { WorkerPolicy } from './policy';
import { activeWindows } from './schedule';
import { stabilise } from './stabilisation';
import type { PodView } from './views';

/** Deletion costs: the ReplicaSet controller removes the lowest cost first; 0 is also the default. */
export const BUSY_DELETION_COST = 1000;
export const IDLE_DELETION_COST = 0;

export function planWorkers(input: PlannerInput): PlannerOutput<Record<string, WorkerMemory>, WorkerSummary[]> {
  const out: PlannerOutput<Record<string, WorkerMemory>, WorkerSummary[]> = {
    actions: [],
    skipped: [],
    memory: {},
    summary: [],
    notes: [],
  };
  for (const worker of input.policy.workers) planWorker(input, worker, out);
  return out;
}

function planWorker(input: PlannerInput, worker: WorkerPolicy, out: PlannerOutput<Record<string, WorkerMemory>, WorkerSummary[]>): void {
  const { now, snapshot } = input;
  const skip = (target: string, rule: Skip['rule'], reason: string) => out.skipped.push({ scaler: 'workers', target, rule, reason });
  const previous = input.memory.workers[worker.name] ?? { recommendations: [] };
  out.memory[worker.name] = previous;
  const target = `deployment/${worker.namespace}/${worker.deployment}`;

  const deployment = snapshot.workloads.find((w) => w.namespace === worker.namespace && w.name === worker.deployment);
  if (!deployment) {
    skip(
      target,
      'deployment-not-found',
      `worker ${worker.name}: Deployment ${worker.namespace}/${worker.deployment} is not in the snapshot; nothing scaled`,
    );
    return;
  }
  let messages = 0;
  let oldest: number | undefined;
  const unknown: string[] = [];
  for (const name of worker.queues) {
    const q = snapshot.queues.find((v) => v.name === name);
    if (!q) {
      unknown.push(name);
      continue;
    }
    messages += q.messages;
    if (q.oldestAgeSeconds !== undefined) oldest = Math.max(oldest ?? 0, q.oldestAgeSeconds);
  }
  const bounds = effectiveBounds(
    worker.minReplicas,
    worker.maxReplicas,
    activeWindows(worker.schedule, input.clock).map((w) => ({ label: w.label, min: w.minReplicas, max: w.maxReplicas })),
    overridesFor(input.overrides, 'workers', worker.name),
  );
  const current = deployment.replicas;
  const summary: WorkerSummary = {
    name: worker.name,
    desired: current,
    current,
    messages,
    oldestAgeSeconds: oldest,
    minReplicas: bounds.min,
    maxReplicas: bounds.max,
  };
  out.summary.push(summary);
  if (unknown.length > 0) {
    // Acting on half the queues would scale down workers that are busy with the other half.
    skip(
      `queue/${unknown.join(',')}`,
      'queue-unknown',
      `worker ${worker.name}: depth of ${unknown.join(', ')} unknown; replicas left at ${current}`,
    );
    return;
  }

  // From zero, the first worker starts only at `activationMessages`; once one runs, any message keeps it.
  const dormant = current === 0 && messages < worker.activationMessages;
  const byQueue = messages > 0 && !dormant ? Math.max(1, Math.ceil(messages / worker.jobsPerWorker)) : 0;
  const terms = [
    { value: bounds.min, text: `minimum ${bounds.min} (${bounds.because.join('; ')})` },
    dormant && messages > 0
      ? {
          value: 0,
          text: `${plural(messages, 'message')}, below the ${worker.activationMessages} that start the first worker (activationMessages) = 0`,
        }
      : {
          value: byQueue,
          text: `${plural(messages, 'message')} (waiting and in progress) / ${worker.jobsPerWorker} per worker = ${byQueue}`,
        },
  ];
  if (oldest !== undefined && oldest * 1000 > worker.maxQueueDelayMs) {
    if (deployment.readyReplicas >= current) {
      const more = Math.max(1, Math.ceil(current / 2));
      terms.push({
        value: current + more,
        text: `oldest message waited ${formatDuration(oldest * 1000)} > ${formatDuration(worker.maxQueueDelayMs)}: all ${current} workers are busy, adding ${more}`,
      });
    } else {
      terms.push({
        value: current,
        text: `oldest message waited ${formatDuration(oldest * 1000)}, but ${deployment.readyReplicas}/${current} workers are ready: waiting for them before adding more`,
      });
    }
  }
  const wanted = Math.max(...terms.map((t) => t.value));
  const desired = Math.max(bounds.min, Math.min(wanted, bounds.max));
  summary.desired = desired;
  const decisive = terms.filter((t) => t.value === wanted).map((t) => t.text);
  const why = `desired ${desired} workers: ${decisive.join(' and ')}${wanted > desired ? `, capped at the maximum ${bounds.max}${bounds.max < worker.maxReplicas ? ` (${bounds.because.slice(1).join('; ')})` : ''}` : ''}`;

  const stab = stabilise(previous.recommendations, now, worker.scaleDownDelayMs, desired);
  const memory: WorkerMemory = { ...previous, recommendations: stab.history };
  out.memory[worker.name] = memory;

  if (bounds.paused) {
    skip(target, 'paused', `worker ${worker.name} scaling is paused: ${bounds.because.slice(1).join('; ')}; desired would be ${desired}`);
    return;
  }
  const scale = (replicas: number, rule: 'workers-scale-up' | 'workers-scale-down', reason: string) => {
    out.actions.push({
      type: 'scale',
      namespace: worker.namespace,
      deployment: worker.deployment,
      replicas,
      from: current,
      scaler: 'workers',
      rule,
      reason,
    });
    memory.lastScale = iso(now);
  };
  if (desired > current) {
    scale(desired, 'workers-scale-up', `${current} → ${desired}: ${why}`);
    return;
  }
  if (desired === current) return;
  // A lowered maximum (schedule window, override) is an explicit ceiling: no waiting above it.
  const ceiling = current > bounds.max;
  const floor = ceiling ? Math.min(stab.floor, bounds.max) : stab.floor;
  if (!ceiling && !stab.covered) {
    // First ticks after a start or after memory was lost: never scale down on assumption.
    const observed = now - Date.parse(stab.history[0]?.at ?? new Date(now).toISOString());
    skip(
      target,
      'not-needed-long-enough',
      `${current} workers, ${why}; observed for only ${formatDuration(observed)} of the ${formatDuration(worker.scaleDownDelayMs)} scale-down delay: not scaling down before the whole delay has been seen`,
    );
    return;
  }
  if (!ceiling && stab.floor >= current) {
    skip(
      target,
      'not-needed-long-enough',
      `${current} workers, ${why}; lower for ${formatDuration(now - stab.lowSince)} of the ${formatDuration(worker.scaleDownDelayMs)} scale-down delay, but ${stab.floor} were needed within it`,
    );
    return;
  }
  const to = floor;
  const order = idleFirst(input.index.podsOf(deployment));
  if (order.signal) out.actions.push(...deletionCosts(order, worker, current - to));
  else
    skip(
      target,
      'no-busy-signal',
      `no ${worker.name} worker publishes the ${BUSY} annotation: the ReplicaSet chooses which pods go; each still gets its full grace period`,
    );
  const busyNote = order.signal ? `; ${order.busy.length} of ${current} busy, idle ones go first` : '';
  const wait = ceiling ? `above the maximum ${bounds.max}` : `for the whole ${formatDuration(worker.scaleDownDelayMs)} scale-down delay`;
  scale(to, 'workers-scale-down', `${current} → ${to}: ${why}, ${wait}${busyNote}`);
}

interface WorkerPods {
  /** Whether any worker publishes the busy annotation at all. */
  signal: boolean;
  busy: PodView[];
  idle: PodView[];
}

/** Asked only on a scale-down tick: the one time it matters which workers go. */
function idleFirst(pods: readonly PodView[]): WorkerPods {
  const result: WorkerPods = { signal: false, busy: [], idle: [] };
  for (const pod of pods) {
    const busy = pod.annotations[BUSY];
    if (busy !== undefined) result.signal = true;
    (busy === 'true' ? result.busy : result.idle).push(pod);
  }
  return result;
}

/** Patch only pods whose cost is not already right, so a repeated tick patches nothing. */
function deletionCosts(order: WorkerPods, worker: WorkerPolicy, removing: number): Action[] {
  const actions: Action[] = [];
  const set = (pod: PodView, cost: number, why: string) => {
    const currentCost = Number(pod.annotations[POD_DELETION_COST] ?? '0');
    if (currentCost === cost) return;
    actions.push({
      type: 'set-deletion-cost',
      namespace: pod.namespace,
      pod: pod.name,
      cost,
      scaler: 'workers',
      rule: 'workers-deletion-cost',
      reason: why,
    });
  };
  const summary = `removing ${removing} of ${order.busy.length + order.idle.length} ${worker.name} workers, ${order.busy.length} busy`;
  for (const pod of order.busy) set(pod, BUSY_DELETION_COST, `${summary}: busy (${BUSY}=true), goes last`);
  for (const pod of order.idle) set(pod, IDLE_DELETION_COST, `${summary}: idle, goes first`);
  return actions;
}
