// A simulated stretch of days: one SimCluster in simulated time, the traffic applied to it (MDM
// replicas follow the request rate like an HPA, BG workers take jobs from a queue, a daily batch Job
// on the protected pool), a scaling strategy acting on it (graceful-scaler through the real runner,
// or one of the comparisons in strategies.ts), and the measures the summary compares.
//
// Time moves in steps (30 s by default); the model only does work for what changed in a step, and
// the reader's views follow the model's writes (store-mirror.ts) rather than being rebuilt by a
// walk over every pod at each of a week's 30,000 ticks, so a week of a 60-node cluster runs in seconds.
//
// runSimulation is the run loop; each of its steps lives in its own module: the world (world.ts),
// the invariants (invariants.ts), the traffic (traffic-driver.ts), the BG workers (bg-workers.ts),
// the measures (measures.ts) and the churn (churn.ts); after the run, the oracle bound (oracle.ts)
// and where the node-hours went (attribution.ts).

import { parsePolicyText } from '../../adapters/policy-file';
import type { Policy, WorkerPolicy } from '../../core/policy';
import { attributeHours, attributeSteps, REASONS, type Attribution, type Reason } from './attribution';
import { BgWorkers } from './bg-workers';
import { Churn, type ChurnCounts } from './churn';
import { watchInvariants, type Violation } from './invariants';
import { Measures, type Sample, type SampleCounters, type StepSeries } from './measures';
import { oracleBound, trafficDemand, userNodeCapacity, type NodeCapacity } from './oracle';
import { HOUR, MINUTE, type Traffic } from './traffic';
import { TrafficDriver } from './traffic-driver';
import type { ClusterDump } from './cluster-dump';
import { checkDump } from './dump-world';
import { buildWorld, DEFAULT_WORKLOADS, staticPeakNodes, type WorkloadShape, type World } from './world';

export {
  BATCH_LABEL,
  DEFAULT_WORKLOADS,
  NAMESPACE,
  staticPeakNodes,
  USER_POOL,
  workloadPodsOn,
  type WorkloadShape,
  type World,
} from './world';
export type { Violation } from './invariants';
export { scheduleMinimum, type Sample, type StepSeries } from './measures';
export type { ChurnCounts } from './churn';
export type { Attribution, Reason } from './attribution';

/** The policy the simulator uses without --policy: policy.example.yaml's rules, sized for a 60-node pool. */
export const SIM_POLICY_YAML = `
modes: { nodes: act, workers: act, descheduler: act }
timezone: Asia/Tokyo
holidays:
  - { date: "2026-11-23", name: 勤労感謝の日 }
  - { date: "2026-12-31", name: 年末休暇 }
  - { date: "2027-01-01", name: 元日 }
  - { date: "2027-01-02", name: 年始休暇 }
  - { date: "2027-01-11", name: 成人の日 }
nodes:
  pools: [user]
  # 23 of the 24 pods a node takes after its DaemonSets (was 22, first 20): the room check before a
  # drain, BG work kept on the nodes that stay and pre-warming carry what the wider margin did; the
  # weekday morning surge, when devices check in as people arrive, keeps the wider margin of 20
  # (a window's target), for steps above what the learned days needed (cli/simulate.ts, REFERENCE_POLICY_NOTE).
  targetPodsPerNode: 23
  minNodes: 2
  maxNodes: 60
  schedule:
    - { days: Mon-Fri, hours: "07:30-21:00", minNodes: 5 }
    - { days: Sat-Sun, hours: "09:00-18:00", minNodes: 3 }
    - { days: Mon-Fri, hours: "07:00-10:00", targetPodsPerNode: 20 }
  protectedNodeLabels: ["clomo/BatchDeployable"]
  # 5m (was 10m): a drain starts only where its pods find room elsewhere, the desired count holds what
  # the learned demand needs a lead ahead, and returning demand gives back the drain that evicted
  # least, so half the wait gives back few drains (cli/simulate.ts, REFERENCE_POLICY_NOTE).
  scaleDownDelay: 5m
  maxConcurrentDrains: 3
  maxEvictionsPerRun: 40
  maxStopsPerRun: 4
  # Long-running BG work is kept on the nodes that stay: they carry a PreferNoSchedule taint that
  # only the BG workers tolerate (README, "BG workers and placement").
  staysTaint: true
  prewarm: { mode: act, lead: 10m }
  # Prices for the report (an assumption as of December 2026, not a quote): Standard_D4s_v5 Linux
  # pay-as-you-go in Japan East, about US$0.248/h, plus its 128 GiB Premium SSD (P10) OS disk,
  # about US$0.031/h, at JPY 150 per US$. A deallocated VM still pays for its disk.
  cost:
    currency: JPY
    vmHour: { user: 42, system: 42, batch: 42 }
    deallocatedDiskHour: { user: 4.7, system: 4.7, batch: 4.7 }
workers:
  - name: bg
    namespace: clomo
    deployment: bg
    queues: [clomo-jobs, clomo-jobs-priority]
    jobsPerWorker: 4
    minReplicas: 1
    # The reference traffic keeps up to 46-54 long BG jobs running at once (seeds 1-3). With 40, the
    # workers' scale-down used to SIGTERM busy workers, which kept working while replacements
    # started, so more than 40 ran anyway; now that busy workers stay, the maximum is the real one.
    maxReplicas: 60
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

/** How far ahead a node above the desired count counts as started early (attribution.ts). */
export const ATTRIBUTION_LOOKAHEAD_MS = 30 * MINUTE;

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
  /** Asked before each step: true ends the run there, and the result covers the steps done. */
  stopped?: () => boolean;
  /** The RBAC manifest graceful-scaler runs under; default infra/kubernetes/rbac.yaml as it is. */
  rbacManifest?: string;
  /** A person's cluster (cluster-dump.ts) to start from instead of the reference cluster; the traffic is scaled to it. */
  dump?: ClusterDump;
  /**
   * The demand profile graceful-scaler starts with (its memory's `nodes.demand`), as it learned it
   * over an earlier run (warmUp): the pre-warming of a scaler that has been running for a while.
   */
  demandProfile?: Readonly<Record<string, number>>;
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
  /** What one user node hosts after its DaemonSet pods. */
  capacity: NodeCapacity;
  /** The oracle lower bound (oracle.ts): user node-hours, and its nodes at each sample. */
  oracle: { userNodeHours: number; nodes: number[] };
  /** Where the user node-hours went (attribution.ts), in hours, and in nodes at each sample. */
  attribution: Attribution;
  attributionSamples: Record<Reason, number[]>;
  churn: ChurnCounts;
  /** Per agent pool: VM-hours billed (not deallocated) and deallocated. */
  poolHours: Record<string, { billed: number; deallocated: number }>;
  series: StepSeries;
  /** graceful-scaler's demand profile at the end of the run (slots that ended), for a run that follows (warmUp). */
  learnedDemand: Record<string, number>;
  /** Wall time of the run (ms). */
  wallMs: number;
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

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const began = performance.now();
  const { policy, strategy } = options;
  const fitted = options.dump === undefined ? undefined : checkDump(options.dump, policy, options.traffic);
  const traffic = fitted?.traffic ?? options.traffic;
  const shape: WorkloadShape = { ...DEFAULT_WORKLOADS, ...fitted?.shape, ...options.workloads };
  const stepMs = traffic.stepMs;
  const sampleEvery = Math.max(1, Math.round((options.sampleEveryMs ?? 10 * MINUTE) / stepMs));
  const worker = policy.workers.find((w) => w.deployment === 'bg') ?? policy.workers[0];
  const staticNodes = staticPeakNodes(traffic, policy, shape);
  const poolSize = options.userPoolSize ?? Math.max(policy.nodes?.maxNodes ?? staticNodes, staticNodes);
  const initialNodes = Math.min(poolSize, strategy.initialNodes({ policy, staticNodes }));
  const seed = options.seed ?? 1;

  const world = buildWorld({
    traffic,
    policy,
    shape,
    seed,
    worker,
    staticNodes,
    poolSize,
    initialNodes,
    initialBgReplicas: strategy.initialBgReplicas(worker),
    holder: `simulator-${strategy.name}`,
    ...(options.rbacManifest !== undefined ? { rbacManifest: options.rbacManifest } : {}),
    ...(options.dump !== undefined ? { dump: options.dump } : {}),
  });
  const { cluster, queues } = world;
  if (options.demandProfile !== undefined) {
    const store = world.inProcess.memory;
    const { memory, version } = await store.load();
    await store.save({ ...memory, nodes: { ...memory.nodes, demand: { ...options.demandProfile } } }, version);
  }
  const queueNames = worker?.queues ?? ['clomo-jobs'];
  const mainQueue = queues.get(queueNames[0]!)!;
  const priorityQueue = queues.get(queueNames[1] ?? '') ?? mainQueue;
  const violations: Violation[] = [];
  watchInvariants(world, violations);
  // A request RBAC refuses fails where the adapter's would (a 403); each is also a violation.
  world.authorizer.onDenied = (error) => violations.push({ at: cluster.now(), kind: 'forbidden', detail: error.message });
  const churn = new Churn(cluster, world.actions, world.vms, worker);
  const workers = new BgWorkers(cluster, mainQueue, priorityQueue, stepMs);
  const load = new TrafficDriver(cluster, traffic, shape, mainQueue, priorityQueue, seed);
  const steps = traffic.mdmRps.length;
  const capacity = userNodeCapacity(world.reader.readNow());
  const measures = new Measures(cluster, policy, queues, violations, stepMs, sampleEvery, steps, traffic.start, capacity);
  const hourSteps = Math.round(HOUR / stepMs);
  let batchInterrupted = 0;
  cluster.subscribe({
    interrupted: (x) => {
      if (x.owner?.kind === 'Job') batchInterrupted++;
    },
  });
  const counters: SampleCounters = {
    get mdmReplicas() {
      return load.mdmReplicas;
    },
    get evictions() {
      return world.actions.evictions;
    },
    get jobsInterrupted() {
      return workers.interrupted + batchInterrupted;
    },
    get forecastNodes() {
      return world.forecastNodes;
    },
    takeBgWaitMaxSeconds: () => workers.takeWindowMaxWait(),
  };

  let done = 0;
  for (; done < steps && options.stopped?.() !== true; done++) {
    const i = done;
    const now = traffic.start + i * stepMs;
    if (cluster.now() < now) cluster.advance(now - cluster.now());
    load.apply(i, now);
    cluster.advance(0);
    workers.run(now);
    await strategy.step(world, now, i);
    measures.measure(i, now, counters);
    if (options.progress && i % hourSteps === 0) options.progress(i / steps);
  }
  cluster.advance(stepMs);
  workers.drainWaiting(queues.values(), traffic.start + done * stepMs);
  const waits = workers.waitPercentiles();
  const batchJobsInterrupted = cluster.interruptions.filter((x) => x.owner?.kind === 'Job').length;
  options.progress?.(done / steps);
  // A run stopped early is measured over the steps it did: the oracle and the series are cut there.
  const fullDemand = trafficDemand(traffic, shape, worker?.minReplicas ?? 1);
  const demand = {
    pods: fullDemand.pods.subarray(0, done),
    cpuMilli: fullDemand.cpuMilli.subarray(0, done),
    memoryBytes: fullDemand.memoryBytes.subarray(0, done),
  };
  const oracle = oracleBound(demand, capacity, stepMs);
  const series = done === steps ? measures.series : cutSeries(measures.series, done);
  const perStep = attributeSteps(series, {
    delaySteps: Math.round((policy.nodes?.scaleDownDelayMs ?? 0) / stepMs),
    lookaheadSteps: Math.round(ATTRIBUTION_LOOKAHEAD_MS / stepMs),
  });
  const sampled = (values: ArrayLike<number>) => Array.from({ length: Math.ceil(done / sampleEvery) }, (_, k) => values[k * sampleEvery]!);
  return {
    strategy: strategy.name,
    days: (done * stepMs) / (24 * HOUR),
    nodeHours: measures.nodeMs / HOUR,
    userNodeHours: measures.userNodeMs / HOUR,
    peakNodes: measures.peakNodes,
    podMinutesPending: measures.pendingPodMs / MINUTE,
    maxPendingMinutes: measures.maxPendingMs / MINUTE,
    bgWaitP50Seconds: waits.p50,
    bgWaitP95Seconds: waits.p95,
    bgJobs: workers.jobs,
    bgJobsInterrupted: workers.interrupted,
    batchJobsInterrupted,
    evictions: world.actions.evictions,
    memorySpreadGiB: measures.memorySpreadGiB,
    violations,
    samples: measures.samples,
    capacity,
    oracle: { userNodeHours: oracle.nodeHours, nodes: sampled(oracle.nodes) },
    attribution: attributeHours(perStep, stepMs),
    attributionSamples: Object.fromEntries(REASONS.map((r) => [r, sampled(perStep[r])])) as Record<Reason, number[]>,
    churn: churn.counts,
    poolHours: Object.fromEntries(
      [...measures.poolMs].map(([pool, ms]) => [pool, { billed: ms.billed / HOUR, deallocated: ms.deallocated / HOUR }]),
    ),
    series,
    learnedDemand: learnedDemand(world),
    wallMs: performance.now() - began,
  };
}

/** The profile's slots that ended (a slot still open is the run's last quarter hour, not a day's peak). */
function learnedDemand(world: World): Record<string, number> {
  const profile = world.inProcess.memory.current().nodes.demand ?? {};
  return Object.fromEntries(Object.entries(profile).filter(([key]) => !key.startsWith('open:')));
}

/** The first `steps` steps of a run's series. */
function cutSeries(series: StepSeries, steps: number): StepSeries {
  return {
    start: series.start,
    stepMs: series.stepMs,
    billed: series.billed.subarray(0, steps),
    need: series.need.subarray(0, steps),
    target: series.target.subarray(0, steps),
    minimum: series.minimum.subarray(0, steps),
    cordoned: series.cordoned.subarray(0, steps),
    pending: series.pending.subarray(0, steps),
  };
}
