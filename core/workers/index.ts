// The worker planner: BG replicas follow the job queue's depth, not CPU (the seed's second script).
// Up at once (need.ts); down slow and gentle (scale-down.ts): after the scale-down delay, at most
// once per interval, by at least a margin, and never below the busy workers, idle ones first
// (idle-first.ts).

import { BUSY } from '../annotations';
import { effectiveBounds } from '../bounds';
import type { Skip, WorkerSummary } from '../decision';
import type { WorkerMemory } from '../memory';
import { overridesFor } from '../overrides';
import { iso, type PlannerInput, type PlannerOutput } from '../planner';
import type { WorkerPolicy } from '../policy';
import type { PodView } from '../views';
import { activeWindows, windowName } from '../schedule';
import { stabilise } from '../stabilisation';
import { deletionCosts, idleFirst, nodeOutlook } from './idle-first';
import { workerNeed } from './need';
import { considerScaleDown } from './scale-down';

export { BUSY_DELETION_COST, IDLE_DELETION_COST, IDLE_LEAVING_DELETION_COST, IDLE_STAYING_DELETION_COST } from './idle-first';
export { scaleDownMargin } from './scale-down';

type WorkersOutput = PlannerOutput<Record<string, WorkerMemory>, WorkerSummary[]>;

export function planWorkers(input: PlannerInput): WorkersOutput {
  const out: WorkersOutput = { actions: [], skipped: [], memory: {}, summary: [], notes: [] };
  for (const worker of input.policy.workers) planWorker(input, worker, out);
  return out;
}

function planWorker(input: PlannerInput, worker: WorkerPolicy, out: WorkersOutput): void {
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
    activeWindows(worker.schedule, input.clock).map((w) => ({
      label: windowName(w, input.clock, input.policy.holidays, input.policy.holidayNames),
      min: w.minReplicas,
      max: w.maxReplicas,
    })),
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

  const { desired, why } = workerNeed(worker, { messages, oldestAgeSeconds: oldest }, { current, ready: deployment.readyReplicas }, bounds);
  summary.desired = desired;
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
  // Up at once: no rule of the scale-down side ever delays it.
  if (desired > current) {
    scale(desired, 'workers-scale-up', `${current} → ${desired}: ${why}`);
    return;
  }
  if (desired === current) return;
  // Which workers are busy matters only on a tick that may scale down.
  const pods = idleFirst(input.index.podsOf(deployment));
  const lastScale = previous.lastScale === undefined ? undefined : Date.parse(previous.lastScale);
  const verdict = considerScaleDown({
    worker,
    now,
    current,
    why,
    stab,
    bounds,
    pods,
    lastScale: Number.isFinite(lastScale) ? lastScale : undefined,
  });
  if (!verdict.scale) {
    skip(target, verdict.rule, verdict.reason);
    return;
  }
  if (pods.signal) {
    // By the node's number (ClusterIndex.listedNode): no map of every node per tick.
    const nodeOf = (pod: PodView) => (pod.node === undefined ? undefined : input.index.listedNode(pod.node));
    out.actions.push(...deletionCosts(pods, worker, current - verdict.to, (pod) => nodeOutlook(nodeOf(pod))));
  } else
    skip(
      target,
      'no-busy-signal',
      `no ${worker.name} worker publishes the ${BUSY} annotation: the ReplicaSet chooses which pods go; each still gets its full grace period`,
    );
  scale(verdict.to, 'workers-scale-down', verdict.reason);
}
