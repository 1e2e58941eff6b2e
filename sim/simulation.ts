// A simulated stretch of days: one SimCluster in simulated time, the traffic applied to it (MDM
// replicas follow the request rate like an HPA, BG workers take jobs from a queue, a daily batch Job
// on the protected pool), a scaling strategy acting on it (graceful-scaler through the real runner,
// or one of the comparisons in strategies.ts), and the measures the summary compares.
//
// Time moves in steps (30 s by default); the model only does work for what changed in a step, and
// the reader's views follow the model's writes (sim/store-mirror.ts) rather than being rebuilt by a
// walk over every pod at each of a week's 30,000 ticks, so a week of a 60-node cluster runs in seconds.

import { parsePolicyText } from '../adapters/policy-file';
import { AGENT_POOL_LABEL, BATCH_DEPLOYABLE_LABEL, BUSY } from '../core/annotations';
import type { Policy, WorkerPolicy } from '../core/policy';
import { activeWindows, localClock } from '../core/schedule';
import type { NodeView } from '../core/views';
import type { Logger } from '../runner/ports';
import type { RunnerDeps } from '../runner/run-tick';
import { SimCluster } from './cluster';
import { controllerOf, isNodeReady, type DeepReadonly, type Node, type Pod } from './objects';
import {
  InMemoryLease,
  InMemoryStore,
  ListEventSink,
  SimClusterReader,
  SimJobQueue,
  SimKubernetesActions,
  SimNodeVms,
  SimQueueDepths,
} from './in-process-ports';
import { StoreMirror } from './store-mirror';
import { jobPodObject } from './workloads';
import { PODS } from './resources';
import { SeededRandom } from './random';
import { HOUR, MINUTE, type Traffic } from './traffic';

/** The policy the simulator uses without --policy: policy.example.yaml's rules, sized for a 60-node pool. */
export const SIM_POLICY_YAML = `
modes: { nodes: act, workers: act, descheduler: act }
timezone: Asia/Tokyo
holidays: ["2026-11-23", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-11"]
nodes:
  pools: [user]
  targetPodsPerNode: 20
  minNodes: 2
  maxNodes: 60
  schedule:
    - { days: Mon-Fri, hours: "07:30-21:00", minNodes: 5 }
    - { days: Sat-Sun, hours: "09:00-18:00", minNodes: 3 }
  protectedNodeLabels: ["clomo/BatchDeployable"]
  scaleDownDelay: 10m
  maxConcurrentDrains: 3
  maxEvictionsPerRun: 40
  maxStopsPerRun: 4
workers:
  - name: bg
    namespace: clomo
    deployment: bg
    queues: [clomo-jobs, clomo-jobs-priority]
    jobsPerWorker: 4
    minReplicas: 1
    maxReplicas: 40
    maxQueueDelay: 2m
    scaleDownDelay: 5m
    schedule:
      - { days: Mon-Fri, hours: "08:00-20:00", minReplicas: 4 }
descheduler:
  podSelector: "clomo/descheduling=enabled"
  nodeSelector: "kubernetes.azure.com/agentpool=user"
  balanceBy: memory
  maxEvictionsPerRun: 5
  minPodAge: 15m
`;

export function simPolicy(): Policy {
  return parsePolicyText(SIM_POLICY_YAML, 'built-in simulation policy');
}

export const NAMESPACE = 'clomo';
export const USER_POOL = 'user';
export const BATCH_LABEL = BATCH_DEPLOYABLE_LABEL;
const DESCHEDULING = { 'clomo/descheduling': 'enabled' };

export interface WorkloadShape {
  /** MDM requests per second one replica serves. */
  rpsPerMdmPod: number;
  mdmMin: number;
  mdmMax: number;
  panelReplicas: number;
}

export const DEFAULT_WORKLOADS: WorkloadShape = { rpsPerMdmPod: 1, mdmMin: 3, mdmMax: 1100, panelReplicas: 3 };

export interface SimulationOptions {
  traffic: Traffic;
  policy: Policy;
  strategy: Strategy;
  seed?: number;
  /** VMs in the user pool (running or deallocated); default the policy's maxNodes, at least the static peak. */
  userPoolSize?: number;
  workloads?: Partial<WorkloadShape>;
  /** Called every simulated hour with the fraction done. */
  progress?: (fraction: number) => void;
  /** Samples for the report every this often; default 10 minutes. */
  sampleEveryMs?: number;
}

export interface Sample {
  at: number;
  runningNodes: number;
  billedNodes: number;
  pendingPods: number;
  queueDepth: number;
  bgReplicas: number;
  mdmReplicas: number;
}

export interface Violation {
  at: number;
  kind: 'stopped-with-workload' | 'protected-node-drained' | 'below-minimum' | 'batch-interrupted';
  detail: string;
}

export interface SimulationResult {
  strategy: string;
  days: number;
  /** VM-hours billed (not deallocated), all pools. */
  nodeHours: number;
  /** The same for the user pool only (system and batch pools are the same under every strategy). */
  userNodeHours: number;
  /** Most user-pool nodes running at once. */
  peakNodes: number;
  podMinutesPending: number;
  /** Longest any pod waited for a node (minutes). */
  maxPendingMinutes: number;
  bgWaitP50Seconds: number;
  bgWaitP95Seconds: number;
  bgJobs: number;
  bgJobsInterrupted: number;
  batchJobsInterrupted: number;
  evictions: number;
  /** Max−min requested memory across schedulable user nodes (GiB), averaged over samples. */
  memorySpreadGiB: number;
  violations: Violation[];
  samples: Sample[];
  /** Wall time of the run (ms). */
  wallMs: number;
}

/** What a strategy acts through. */
export interface World {
  cluster: SimCluster;
  policy: Policy;
  deps: RunnerDeps;
  /** The same ports, reading without PDBs: for the workers scaler, whose planner does not read them. */
  workerDeps: RunnerDeps;
  reader: SimClusterReader;
  actions: SimKubernetesActions;
  vms: SimNodeVms;
  queues: ReadonlyMap<string, SimJobQueue>;
  worker: WorkerPolicy | undefined;
  /** Peak user nodes needed by the traffic at the policy's pods per node (static provisioning). */
  staticNodes: number;
  /** Current user-pool VMs by node name, with their scale-set reference, as NodeViews. */
  userNodes(): NodeView[];
}

export interface Strategy {
  name: string;
  /** User nodes running at the start; the rest of the pool is deallocated. */
  initialNodes(world: Pick<World, 'policy' | 'staticNodes'>): number;
  /** BG replicas at the start. */
  initialBgReplicas(worker: WorkerPolicy | undefined): number;
  /** Called every step, after the traffic has been applied. */
  step(world: World, now: number, stepIndex: number): Promise<void>;
}

const silentLog: Logger = { info() {}, warn() {}, error() {} };

function isWorkloadPod(pod: DeepReadonly<Pod>): boolean {
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
  return controllerOf(pod)?.kind !== 'DaemonSet';
}

export function workloadPodsOn(cluster: SimCluster, node: string): DeepReadonly<Pod>[] {
  return cluster.podsOnNode(node).filter(isWorkloadPod);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

function mdmReplicasFor(rps: number, shape: WorkloadShape): number {
  return Math.max(shape.mdmMin, Math.min(shape.mdmMax, Math.ceil(rps / shape.rpsPerMdmPod)));
}

/** The user nodes the traffic needs at its peak, at the policy's target pods per node. */
export function staticPeakNodes(traffic: Traffic, policy: Policy, shape: WorkloadShape): number {
  let peak = 0;
  for (const rps of traffic.mdmRps) peak = Math.max(peak, mdmReplicasFor(rps, shape));
  const bg = policy.workers[0]?.maxReplicas ?? 0;
  const target = policy.nodes?.targetPodsPerNode ?? 20;
  return Math.max(policy.nodes?.minNodes ?? 1, Math.ceil((peak + bg + shape.panelReplicas) / target));
}

/** The schedule's minimum for the node scaler at `now`. */
export function scheduleMinimum(policy: Policy, now: number): number {
  const nodes = policy.nodes;
  if (!nodes) return 0;
  const clock = localClock(now, policy.timezone, policy.holidays);
  let min = nodes.minNodes;
  for (const w of activeWindows(nodes.schedule, clock)) if (w.minNodes !== undefined) min = Math.max(min, Math.min(w.minNodes, nodes.maxNodes));
  return min;
}

interface Busy {
  /** The pod's namespace and name: it is looked up again when it is no longer among the BG pods. */
  namespace: string;
  name: string;
  uid: string;
  jobId: number;
  queue: SimJobQueue;
  endsAt: number;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const began = performance.now();
  const { traffic, policy, strategy } = options;
  const shape: WorkloadShape = { ...DEFAULT_WORKLOADS, ...options.workloads };
  const stepMs = traffic.stepMs;
  const sampleEvery = Math.max(1, Math.round((options.sampleEveryMs ?? 10 * MINUTE) / stepMs));
  const worker = policy.workers.find((w) => w.deployment === 'bg') ?? policy.workers[0];
  const staticNodes = staticPeakNodes(traffic, policy, shape);
  const poolSize = options.userPoolSize ?? Math.max(policy.nodes?.maxNodes ?? staticNodes, staticNodes);
  const initialNodes = Math.min(poolSize, strategy.initialNodes({ policy, staticNodes }));
  const seed = options.seed ?? 1;

  // --- the cluster, its VMs settled before the start ----------------------------------------
  const warmup = 10 * MINUTE;
  const cluster = SimCluster.aks({
    seed,
    start: traffic.start - warmup,
    pools: [
      { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
      { name: USER_POOL, count: poolSize, scaleDownMode: 'Deallocate' },
      { name: 'batch', count: 2, scaleDownMode: 'Deallocate', labels: { [BATCH_LABEL]: 'true' }, taints: [`${BATCH_LABEL}=true:NoSchedule`] },
    ],
    namespaces: [NAMESPACE],
  });
  const reader = new SimClusterReader(cluster);
  const actions = new SimKubernetesActions(cluster);
  const vms = new SimNodeVms(cluster);
  const userNodes = (): NodeView[] => reader.readNow().nodes.filter((n) => n.pool === USER_POOL);
  for (const node of userNodes().slice(initialNodes)) if (node.vm) cluster.deallocateVm(node.vm.scaleSet, node.vm.instanceId);
  cluster.advance(5 * MINUTE);

  const rps0 = traffic.mdmRps[0] ?? 0;
  cluster.addDeployment({ name: 'panel', namespace: NAMESPACE, replicas: shape.panelReplicas, cpu: '250m', memory: '1Gi', labels: DESCHEDULING });
  cluster.addPdb({ name: 'panel', namespace: NAMESPACE, maxUnavailable: 1 });
  cluster.addDeployment({ name: 'mdm', namespace: NAMESPACE, replicas: mdmReplicasFor(rps0, shape), cpu: '150m', memory: '512Mi', labels: DESCHEDULING });
  cluster.addPdb({ name: 'mdm', namespace: NAMESPACE, maxUnavailable: '20%' });
  cluster.addDeployment({ name: 'bg', namespace: NAMESPACE, replicas: strategy.initialBgReplicas(worker), cpu: '200m', memory: '512Mi', grace: 72_000 });

  const queueNames = worker?.queues ?? ['clomo-jobs'];
  const queues = new Map(queueNames.map((name) => [name, new SimJobQueue(name)]));
  const mainQueue = queues.get(queueNames[0]!)!;
  const priorityQueue = queues.get(queueNames[1] ?? '') ?? mainQueue;

  const deps: RunnerDeps = {
    reader,
    queues: new SimQueueDepths(queues, () => cluster.now()),
    actions,
    vms,
    memory: new InMemoryStore(),
    lease: new InMemoryLease(() => cluster.now()),
    events: new ListEventSink(() => cluster.now(), 2000),
    status: undefined,
    log: silentLog,
    clock: () => cluster.now(),
    holder: `simulator-${strategy.name}`,
  };
  // The workers planner reads only its Deployments' pods (selected by `app` here), their queues and
  // the Deployments; a reader that leaves out the other pods and the PDBs gives it the same decision
  // for a fraction of the cost, which is most of a week's ticks.
  const workerApps = new Map<string, string>(policy.workers.map((w) => [w.deployment, w.namespace]));
  const workerDeps: RunnerDeps = {
    ...deps,
    reader: new SimClusterReader(cluster, {
      withPdbs: false,
      pods: (p) => {
        const app = p.metadata.labels?.app;
        return app !== undefined && workerApps.get(app) === p.metadata.namespace;
      },
    }),
  };
  const world: World = { cluster, policy, deps, workerDeps, reader, actions, vms, queues, worker, staticNodes, userNodes };

  // --- invariants, checked where they can break -----------------------------------------------
  const violations: Violation[] = [];
  vms.beforeDeallocate = (node) => {
    const pods = workloadPodsOn(cluster, node.name);
    if (pods.length > 0) {
      violations.push({ at: cluster.now(), kind: 'stopped-with-workload', detail: `${node.name} stopped with ${pods.length} workload pod(s): ${pods.slice(0, 3).map((p) => p.metadata.name).join(', ')}` });
    }
  };
  const cordon = actions.cordon.bind(actions);
  actions.cordon = async (node, drain) => {
    const labels = cluster.node(node)?.metadata.labels ?? {};
    if (labels[BATCH_LABEL] !== undefined) violations.push({ at: cluster.now(), kind: 'protected-node-drained', detail: `${node} (${BATCH_LABEL}) cordoned: ${drain.reason}` });
    return cordon(node, drain);
  };

  // --- BG workers and their jobs ---------------------------------------------------------------
  const busy = new Map<string, Busy>();
  let waits = new Float64Array(1024);
  let waitCount = 0;
  const recordWait = (ms: number) => {
    if (waitCount === waits.length) {
      const grown = new Float64Array(waits.length * 2);
      grown.set(waits);
      waits = grown;
    }
    waits[waitCount++] = ms / 1000;
  };
  let bgInterrupted = 0;
  const interruptedUids = new Set<string>();
  cluster.subscribe({
    interrupted(i) {
      interruptedUids.add(i.uid);
      if (i.owner?.kind === 'Job') violations.push({ at: i.at, kind: 'batch-interrupted', detail: `${i.namespace}/${i.name} on ${i.node ?? '?'}: ${i.cause}` });
    },
  });
  const setBusy = (pod: DeepReadonly<Pod>, value: boolean) => {
    if ((pod.metadata.annotations?.[BUSY] === 'true') === value) return;
    cluster.patch(PODS, { namespace: pod.metadata.namespace, name: pod.metadata.name }, { metadata: { annotations: { [BUSY]: value ? 'true' : 'false' } } }, 'merge');
  };
  const bgSelector = (pod: DeepReadonly<Pod>) => pod.metadata.namespace === NAMESPACE && pod.metadata.labels?.app === 'bg';
  // The BG pods in the order a walk over every pod meets them (which worker takes which job
  // depends on it), kept on every write rather than found by that walk each step.
  const bgPods = new StoreMirror<DeepReadonly<Pod>, { key: string; pod: DeepReadonly<Pod> }>(cluster, 'Pod', bgSelector, (pod, key) => ({ key, pod }));

  const runWorkers = (now: number) => {
    // The list is a snapshot: the patches below make the next call build a new one.
    for (const { key, pod } of bgPods.views()) {
      const current = busy.get(key);
      if (current !== undefined) {
        if (current.uid !== pod.metadata.uid || interruptedUids.has(current.uid)) {
          // The worker died with its job (VM stopped, grace period ended): the message reappears.
          current.queue.giveBack(current.jobId);
          busy.delete(key);
          bgInterrupted++;
        } else if (current.endsAt <= now) {
          current.queue.complete(current.jobId);
          busy.delete(key);
        } else continue;
      }
      const terminal = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
      if (terminal) continue;
      const ready = pod.status.phase === 'Running' && pod.metadata.deletionTimestamp === undefined;
      if (!ready) continue;
      // Take jobs until one outlasts this step: short jobs run back to back inside the step.
      let t = now;
      let long: Busy | undefined;
      for (;;) {
        const queue = priorityQueue.visibleCount > 0 ? priorityQueue : mainQueue;
        const job = queue.dequeue();
        if (job === undefined) break;
        recordWait(Math.max(0, t - job.enqueuedAt));
        t += job.durationMs;
        if (t - now >= stepMs) {
          long = { namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, jobId: job.id, queue, endsAt: t };
          break;
        }
        queue.complete(job.id);
      }
      if (long !== undefined) {
        busy.set(key, long);
        cluster.setPodWork({ namespace: pod.metadata.namespace, name: pod.metadata.name }, { endsAt: long.endsAt, then: 'idle', onSigterm: 'finish-work' });
        setBusy(pod, true);
      } else setBusy(pod, false);
    }
    for (const [key, current] of busy) {
      // Workers gone without being seen above (deleted between steps).
      const pod = cluster.pod(current.namespace, current.name);
      if (pod === undefined || pod.metadata.uid !== current.uid) {
        if (current.endsAt <= now && !interruptedUids.has(current.uid)) current.queue.complete(current.jobId);
        else {
          current.queue.giveBack(current.jobId);
          bgInterrupted++;
        }
        busy.delete(key);
      }
    }
  };

  // --- the run ---------------------------------------------------------------------------------
  const steps = traffic.mdmRps.length;
  const random = new SeededRandom(seed ^ 0x5eed);
  let jobIndex = 0;
  let batchIndex = 0;
  let batchNumber = 0;
  const mdmWindow: number[] = [];
  let mdmReplicas = mdmReplicasFor(rps0, shape);
  const poolScaleSets = new Map(cluster.agentPools().map((p) => [p.scaleSet, p.name]));
  let nodeMs = 0;
  let userNodeMs = 0;
  let peakNodes = 0;
  let pendingPodMs = 0;
  let maxPendingMs = 0;
  let spreadSum = 0;
  let spreadCount = 0;
  let belowSince: number | undefined;
  let minimum = 0;
  const managedPools = new Set(policy.nodes?.pools ?? [USER_POOL]);
  const samples: Sample[] = [];
  const hourSteps = Math.round(HOUR / stepMs);
  const allJobs = traffic.jobs;

  for (let i = 0; i < steps; i++) {
    const now = traffic.start + i * stepMs;
    if (cluster.now() < now) cluster.advance(now - cluster.now());

    // Traffic: BG job arrivals, the batch Job, MDM's HPA.
    while (jobIndex < allJobs.length && allJobs[jobIndex]!.at <= now) {
      const job = allJobs[jobIndex++]!;
      (random.next() < 0.05 ? priorityQueue : mainQueue).enqueue(job.at, job.durationMs);
    }
    while (batchIndex < traffic.batchStarts.length && traffic.batchStarts[batchIndex]! <= now) {
      batchIndex++;
      batchNumber++;
      const pod = jobPodObject(
        {
          job: `clomo-daily-batch-${29_012_340 + batchNumber}`,
          namespace: NAMESPACE,
          cpu: '1500m',
          memory: '6Gi',
          nodeSelector: { [BATCH_LABEL]: 'true' },
          tolerations: [{ key: BATCH_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
          grace: 30,
        },
        random.safeString(5),
        random.uuid(),
      );
      const created = cluster.create(PODS, pod, NAMESPACE);
      cluster.setPodWork({ namespace: NAMESPACE, name: created.metadata.name }, { runsForMs: traffic.batchRunMs, then: 'succeed', onSigterm: 'ignore' });
    }
    const desired = mdmReplicasFor(traffic.mdmRps[i] ?? 0, shape);
    mdmWindow.push(desired);
    if (mdmWindow.length > Math.round((5 * MINUTE) / stepMs)) mdmWindow.shift();
    // HPA: up at once, down to the highest recommendation of the last 5 minutes, and not at all
    // within its 10 % tolerance.
    const target = Math.max(...mdmWindow);
    if (target !== mdmReplicas && Math.abs(target / mdmReplicas - 1) > 0.1) {
      cluster.replaceScale({ namespace: NAMESPACE, name: 'mdm' }, { spec: { replicas: target } });
      mdmReplicas = target;
    }
    cluster.advance(0);
    runWorkers(now);

    await strategy.step(world, now, i);

    // Measures over this step.
    let running = 0;
    let billed = 0;
    let userBilled = 0;
    for (const [scaleSet, pool] of poolScaleSets) {
      for (const [power, count] of cluster.scaleSetPowerStates(scaleSet) ?? []) {
        if (power !== 'deallocated') {
          billed += count;
          if (pool === USER_POOL) userBilled += count;
        }
        if (pool === USER_POOL && power === 'running') running += count;
      }
    }
    nodeMs += billed * stepMs;
    userNodeMs += userBilled * stepMs;
    peakNodes = Math.max(peakNodes, running);
    const pending = cluster.pendingPods();
    pendingPodMs += pending.length * stepMs;
    for (const pod of pending) maxPendingMs = Math.max(maxPendingMs, now - Date.parse(pod.metadata.creationTimestamp));

    const nodes = cluster.nodes();
    let schedulable = 0;
    let minMem = Infinity;
    let maxMem = -Infinity;
    let managedSchedulable = 0;
    for (const node of nodes) {
      if (node.spec.unschedulable === true || !isNodeReady(node)) continue;
      if (managedPools.has(node.metadata.labels?.[AGENT_POOL_LABEL] ?? '')) managedSchedulable++;
      if (!isUserNode(node)) continue;
      schedulable++;
      if (i % sampleEvery === 0) {
        const mem = cluster.nodeUsage(node.metadata.name).memory;
        minMem = Math.min(minMem, mem);
        maxMem = Math.max(maxMem, mem);
      }
    }
    if (i % sampleEvery === 0 && schedulable > 1) {
      spreadSum += (maxMem - minMem) / 2 ** 30;
      spreadCount++;
    }
    // Below the schedule's minimum for longer than a VM start: a violation.
    // Windows start and end on the minute; the minimum is computed every 5 minutes (Intl is slow).
    if (i % Math.max(1, Math.round((5 * MINUTE) / stepMs)) === 0) minimum = scheduleMinimum(policy, now);
    // (The minimum counts the nodes of the pools the scaler manages, as the node planner does.)
    if (managedSchedulable < minimum) {
      belowSince ??= now;
      if (now - belowSince === 10 * MINUTE) violations.push({ at: now, kind: 'below-minimum', detail: `${managedSchedulable} schedulable node(s) in managed pools < minimum ${minimum} since ${new Date(belowSince).toISOString()}` });
    } else belowSince = undefined;

    if (i % sampleEvery === 0) {
      let queueDepth = 0;
      for (const q of queues.values()) queueDepth += q.visibleCount + q.inFlightCount;
      samples.push({
        at: now,
        runningNodes: running,
        billedNodes: billed,
        pendingPods: pending.length,
        queueDepth,
        bgReplicas: cluster.deployment(NAMESPACE, 'bg')?.spec.replicas ?? 0,
        mdmReplicas,
      });
    }
    if (options.progress && i % hourSteps === 0) options.progress(i / steps);
  }
  cluster.advance(stepMs);
  // Jobs still waiting count with the wait they have had so far.
  const end = traffic.start + steps * stepMs;
  for (const q of queues.values()) {
    for (let job = q.dequeue(); job !== undefined; job = q.dequeue()) recordWait(end - job.enqueuedAt);
  }
  const sorted = waits.slice(0, waitCount).sort();
  const batchInterrupted = cluster.interruptions.filter((x) => x.owner?.kind === 'Job').length;
  options.progress?.(1);
  return {
    strategy: strategy.name,
    days: (steps * stepMs) / (24 * HOUR),
    nodeHours: nodeMs / HOUR,
    userNodeHours: userNodeMs / HOUR,
    peakNodes,
    podMinutesPending: pendingPodMs / MINUTE,
    maxPendingMinutes: maxPendingMs / MINUTE,
    bgWaitP50Seconds: percentile(sorted, 0.5),
    bgWaitP95Seconds: percentile(sorted, 0.95),
    bgJobs: waitCount,
    bgJobsInterrupted: bgInterrupted,
    batchJobsInterrupted: batchInterrupted,
    evictions: actions.evictions,
    memorySpreadGiB: spreadCount === 0 ? 0 : spreadSum / spreadCount,
    violations,
    samples,
    wallMs: performance.now() - began,
  };
}

function isUserNode(node: DeepReadonly<Node>): boolean {
  return node.metadata.labels?.[AGENT_POOL_LABEL] === USER_POOL;
}
