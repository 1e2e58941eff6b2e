// What the summary compares, measured at every step: billed and running VMs (and each pool's billed
// and deallocated VM-hours, for the money), pods waiting for a node, the memory spread across user
// nodes, the managed pools below the schedule's minimum (an invariant), what the run's own pods need
// and the cordoned nodes (for where the node-hours went: attribution.ts), and a sample for the
// report's charts every so often.

import { AGENT_POOL_LABEL } from '../../core/annotations';
import { podsTargetAt } from '../../core/nodes/sizing';
import type { Policy } from '../../core/policy';
import { activeWindows, localClock, type LocalClock } from '../../core/schedule';
import type { SimCluster } from '../model/cluster';
import { isNodeReady, type DeepReadonly, type Node } from '../model/objects';
import type { StepRecord } from './attribution';
import type { SimJobQueue } from './in-process-ports';
import type { Violation } from './invariants';
import { nodesFor, type NodeCapacity } from './oracle';
import { MINUTE } from './traffic';
import { NAMESPACE, USER_POOL } from './world';
import { UserPoolLoad } from './user-pool-load';

export interface Sample {
  at: number;
  runningNodes: number;
  billedNodes: number;
  pendingPods: number;
  queueDepth: number;
  bgReplicas: number;
  mdmReplicas: number;
  /** The longest wait of the BG jobs taken since the previous sample (seconds; 0 when none was taken). */
  bgWaitMaxSeconds: number;
  /** Evictions so far (accepted Eviction API calls). */
  evictions: number;
  /** BG and batch jobs interrupted so far (their worker or pod died with them). */
  jobsInterrupted: number;
  /** The node scaler's pre-warming forecast for the coming quarter hour (nodes); undefined before it has learned any. */
  forecastNodes?: number;
}

/** What the run counts elsewhere, read when a sample is taken. */
export interface SampleCounters {
  mdmReplicas: number;
  evictions: number;
  jobsInterrupted: number;
  forecastNodes: number | undefined;
  /** The longest BG wait since the last call, then forgotten. */
  takeBgWaitMaxSeconds(): number;
}

/** The schedule's minimum for the node scaler at `now`. */
export function scheduleMinimum(policy: Policy, now: number): number {
  return scheduleMinimumAt(policy, localClock(now, policy.timezone, policy.holidays));
}

/** The same, at a local clock already worked out. */
function scheduleMinimumAt(policy: Policy, clock: LocalClock): number {
  const nodes = policy.nodes;
  if (!nodes) return 0;
  let min = nodes.minNodes;
  for (const w of activeWindows(nodes.schedule, clock))
    if (w.minNodes !== undefined) min = Math.max(min, Math.min(w.minNodes, nodes.maxNodes));
  return min;
}

function isUserNode(node: DeepReadonly<Node>): boolean {
  return node.metadata.labels?.[AGENT_POOL_LABEL] === USER_POOL;
}

/** Each step's numbers, for the attribution and the morning-surge check. */
export interface StepSeries extends StepRecord {
  start: number;
  stepMs: number;
  billed: Uint16Array;
  need: Uint16Array;
  target: Uint16Array;
  minimum: Uint16Array;
  cordoned: Uint16Array;
  pending: Uint16Array;
}

export class Measures {
  nodeMs = 0;
  userNodeMs = 0;
  /** Per agent pool: VM-milliseconds billed (not deallocated) and deallocated. */
  readonly poolMs = new Map<string, { billed: number; deallocated: number }>();
  readonly series: StepSeries;
  peakNodes = 0;
  pendingPodMs = 0;
  maxPendingMs = 0;
  readonly samples: Sample[] = [];
  private spreadSum = 0;
  private spreadCount = 0;
  private belowSince: number | undefined;
  private minimum = 0;
  private podsTarget = 0;
  private readonly poolScaleSets: Map<string, string>;
  private readonly managedPools: Set<string>;
  private readonly userScaleSet: string | undefined;
  private readonly load: UserPoolLoad;

  constructor(
    private readonly cluster: SimCluster,
    private readonly policy: Policy,
    private readonly queues: ReadonlyMap<string, SimJobQueue>,
    private readonly violations: Violation[],
    private readonly stepMs: number,
    private readonly sampleEvery: number,
    steps: number,
    start: number,
    private readonly capacity: NodeCapacity,
  ) {
    this.poolScaleSets = new Map(cluster.agentPools().map((p) => [p.scaleSet, p.name]));
    this.userScaleSet = cluster.agentPools().find((p) => p.name === USER_POOL)?.scaleSet;
    this.managedPools = new Set(policy.nodes?.pools ?? [USER_POOL]);
    for (const pool of this.poolScaleSets.values()) this.poolMs.set(pool, { billed: 0, deallocated: 0 });
    this.load = new UserPoolLoad(cluster);
    this.series = {
      start,
      stepMs,
      billed: new Uint16Array(steps),
      need: new Uint16Array(steps),
      target: new Uint16Array(steps),
      minimum: new Uint16Array(steps),
      cordoned: new Uint16Array(steps),
      pending: new Uint16Array(steps),
    };
  }

  /** Max−min requested memory across schedulable user nodes (GiB), averaged over samples. */
  get memorySpreadGiB(): number {
    return this.spreadCount === 0 ? 0 : this.spreadSum / this.spreadCount;
  }

  /** Measures step `i` (at `now`); `counters` are read at the steps that take a sample. */
  measure(i: number, now: number, counters: SampleCounters): void {
    const { cluster, stepMs, sampleEvery } = this;
    let running = 0;
    let billed = 0;
    let userBilled = 0;
    for (const [scaleSet, pool] of this.poolScaleSets) {
      const ms = this.poolMs.get(pool)!;
      for (const [power, count] of cluster.scaleSetPowerStates(scaleSet) ?? []) {
        if (power !== 'deallocated') {
          billed += count;
          ms.billed += count * stepMs;
          if (pool === USER_POOL) userBilled += count;
        } else ms.deallocated += count * stepMs;
        if (pool === USER_POOL && power === 'running') running += count;
      }
    }
    this.nodeMs += billed * stepMs;
    this.userNodeMs += userBilled * stepMs;
    this.peakNodes = Math.max(this.peakNodes, running);
    const pending = cluster.pendingPods();
    this.pendingPodMs += pending.length * stepMs;
    for (const pod of pending) this.maxPendingMs = Math.max(this.maxPendingMs, now - Date.parse(pod.metadata.creationTimestamp));

    const nodes = cluster.nodes();
    let schedulable = 0;
    let minMem = Infinity;
    let maxMem = -Infinity;
    let managedSchedulable = 0;
    for (const node of nodes) {
      if (node.spec.unschedulable === true || !isNodeReady(node)) continue;
      if (this.managedPools.has(node.metadata.labels?.[AGENT_POOL_LABEL] ?? '')) managedSchedulable++;
      if (!isUserNode(node)) continue;
      schedulable++;
      if (i % sampleEvery === 0) {
        const mem = cluster.nodeUsage(node.metadata.name).memory;
        minMem = Math.min(minMem, mem);
        maxMem = Math.max(maxMem, mem);
      }
    }
    if (i % sampleEvery === 0 && schedulable > 1) {
      this.spreadSum += (maxMem - minMem) / 2 ** 30;
      this.spreadCount++;
    }
    this.checkMinimum(i, now, managedSchedulable);
    this.record(i, userBilled, pending.length);

    if (i % sampleEvery === 0) {
      let queueDepth = 0;
      for (const q of this.queues.values()) queueDepth += q.visibleCount + q.inFlightCount;
      this.samples.push({
        at: now,
        runningNodes: running,
        billedNodes: billed,
        pendingPods: pending.length,
        queueDepth,
        bgReplicas: cluster.deployment(NAMESPACE, 'bg')?.spec.replicas ?? 0,
        mdmReplicas: counters.mdmReplicas,
        bgWaitMaxSeconds: counters.takeBgWaitMaxSeconds(),
        evictions: counters.evictions,
        jobsInterrupted: counters.jobsInterrupted,
        ...(counters.forecastNodes !== undefined ? { forecastNodes: counters.forecastNodes } : {}),
      });
    }
  }

  private record(i: number, billed: number, pending: number): void {
    const { series, load } = this;
    series.billed[i] = billed;
    series.pending[i] = pending;
    series.need[i] = nodesFor(load.pods, load.cpuMilli, load.memoryBytes, this.capacity);
    series.target[i] = this.podsTarget > 0 ? Math.ceil(load.pods / this.podsTarget) : 0;
    series.minimum[i] = this.minimum;
    let cordoned = 0;
    if (load.cordoned.size > 0 && this.userScaleSet !== undefined) {
      for (const vm of this.cluster.scaleSetVms(this.userScaleSet) ?? [])
        if (vm.powerState !== 'deallocated' && load.cordoned.has(vm.computerName)) cordoned++;
    }
    series.cordoned[i] = cordoned;
  }

  /** Below the schedule's minimum for longer than a VM start: a violation. */
  private checkMinimum(i: number, now: number, managedSchedulable: number): void {
    // Windows start and end on the minute; the minimum is computed every 5 minutes (Intl is slow).
    if (i % Math.max(1, Math.round((5 * MINUTE) / this.stepMs)) === 0) {
      const { nodes, timezone, holidays } = this.policy;
      const clock = localClock(now, timezone, holidays);
      this.minimum = scheduleMinimumAt(this.policy, clock);
      // The pods per node the policy sizes for now (a window may lower it): the headroom's measure.
      this.podsTarget = nodes ? podsTargetAt(nodes, clock, holidays).pods : 0;
    }
    // (The minimum counts the nodes of the pools the scaler manages, as the node planner does.)
    if (managedSchedulable < this.minimum) {
      this.belowSince ??= now;
      if (now - this.belowSince === 10 * MINUTE) {
        this.violations.push({
          at: now,
          kind: 'below-minimum',
          detail: `${managedSchedulable} schedulable node(s) in managed pools < minimum ${this.minimum} for 10 minutes`,
        });
      }
    } else this.belowSince = undefined;
  }
}
