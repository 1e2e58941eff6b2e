// What the summary compares, measured at every step: billed and running VMs, pods waiting for a
// node, the memory spread across user nodes, the managed pools below the schedule's minimum (an
// invariant), and a sample for the report's charts every so often.

import { AGENT_POOL_LABEL } from '../../core/annotations';
import type { Policy } from '../../core/policy';
import { activeWindows, localClock } from '../../core/schedule';
import type { SimCluster } from '../model/cluster';
import { isNodeReady, type DeepReadonly, type Node } from '../model/objects';
import type { SimJobQueue } from './in-process-ports';
import type { Violation } from './invariants';
import { MINUTE } from './traffic';
import { NAMESPACE, USER_POOL } from './world';

export interface Sample {
  at: number;
  runningNodes: number;
  billedNodes: number;
  pendingPods: number;
  queueDepth: number;
  bgReplicas: number;
  mdmReplicas: number;
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

function isUserNode(node: DeepReadonly<Node>): boolean {
  return node.metadata.labels?.[AGENT_POOL_LABEL] === USER_POOL;
}

export class Measures {
  nodeMs = 0;
  userNodeMs = 0;
  peakNodes = 0;
  pendingPodMs = 0;
  maxPendingMs = 0;
  readonly samples: Sample[] = [];
  private spreadSum = 0;
  private spreadCount = 0;
  private belowSince: number | undefined;
  private minimum = 0;
  private readonly poolScaleSets: Map<string, string>;
  private readonly managedPools: Set<string>;

  constructor(
    private readonly cluster: SimCluster,
    private readonly policy: Policy,
    private readonly queues: ReadonlyMap<string, SimJobQueue>,
    private readonly violations: Violation[],
    private readonly stepMs: number,
    private readonly sampleEvery: number,
  ) {
    this.poolScaleSets = new Map(cluster.agentPools().map((p) => [p.scaleSet, p.name]));
    this.managedPools = new Set(policy.nodes?.pools ?? [USER_POOL]);
  }

  /** Max−min requested memory across schedulable user nodes (GiB), averaged over samples. */
  get memorySpreadGiB(): number {
    return this.spreadCount === 0 ? 0 : this.spreadSum / this.spreadCount;
  }

  /** Measures step `i` (at `now`); `mdmReplicas` as the HPA has them. */
  measure(i: number, now: number, mdmReplicas: number): void {
    const { cluster, stepMs, sampleEvery } = this;
    let running = 0;
    let billed = 0;
    let userBilled = 0;
    for (const [scaleSet, pool] of this.poolScaleSets) {
      for (const [power, count] of cluster.scaleSetPowerStates(scaleSet) ?? []) {
        if (power !== 'deallocated') {
          billed += count;
          if (pool === USER_POOL) userBilled += count;
        }
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
        mdmReplicas,
      });
    }
  }

  /** Below the schedule's minimum for longer than a VM start: a violation. */
  private checkMinimum(i: number, now: number, managedSchedulable: number): void {
    // Windows start and end on the minute; the minimum is computed every 5 minutes (Intl is slow).
    if (i % Math.max(1, Math.round((5 * MINUTE) / this.stepMs)) === 0) this.minimum = scheduleMinimum(this.policy, now);
    // (The minimum counts the nodes of the pools the scaler manages, as the node planner does.)
    if (managedSchedulable < this.minimum) {
      this.belowSince ??= now;
      if (now - this.belowSince === 10 * MINUTE) {
        this.violations.push({ at: now, kind: 'below-minimum', detail: `${managedSchedulable} schedulable node(s) in managed pools < minimum ${this.minimum} since ${new Date(this.belowSince).toISOString()}` });
      }
    } else this.belowSince = undefined;
  }
}
