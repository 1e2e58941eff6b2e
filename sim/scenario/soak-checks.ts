// What the fault soak checks at every step, besides the simulation's own invariants (invariants.ts:
// no VM stopped with workload pods, no protected node cordoned, no batch Job interrupted):
// - no BG job interrupted (a worker killed with a job in hand);
// - no protected node touched: no pod evicted from it, its VM neither stopped nor started;
// - never below the schedule's minimum for longer than a VM start plus two node ticks;
// - no cordon left behind: a running, Ready node cordoned by the scaler with nothing terminating on
//   it for over an hour;
// - no pod pending longer than 4 minutes (at a fault rate of 10 % or less);
// - memory always readable (a tick never fails for what the memory ConfigMap holds).

import { AGENT_POOL_LABEL, DRAINING_SINCE } from '../../core/annotations';
import type { Policy } from '../../core/policy';
import type { SimCluster } from '../model/cluster';
import { DEFAULT_DURATIONS } from '../model/cluster/state';
import { isNodeReady } from '../model/objects';
import type { Violation } from './invariants';
import { scheduleMinimum } from './measures';
import { MINUTE } from './traffic';
import { BATCH_LABEL, type World } from './world';

export const PENDING_LIMIT_MS = 4 * MINUTE;
/** A VM start plus two node ticks (the timer fires every minute). */
export const BELOW_MINIMUM_LIMIT_MS = DEFAULT_DURATIONS.vmStartMs + 2 * MINUTE;
export const CORDON_LIMIT_MS = 60 * MINUTE;

export class SoakChecks {
  readonly violations: Violation[] = [];
  /** Longest any pod waited for a node (ms). */
  maxPendingMs = 0;
  private readonly managedPools: Set<string>;
  private belowSince: number | undefined;
  private minimum = 0;
  private readonly cordonedSince = new Map<string, number>();
  private readonly pendingReported = new Set<string>();
  private vmCallsSeen = 0;

  constructor(
    private readonly world: World,
    private readonly policy: Policy,
    private readonly stepMs: number,
    /** Whether a pod pending past PENDING_LIMIT_MS is a violation (faults at 10 % or less). */
    private readonly pendingIsViolation: boolean,
  ) {
    this.managedPools = new Set(policy.nodes?.pools ?? []);
    const { cluster, actions } = world;
    cluster.subscribe({
      interrupted: (i) => {
        if (i.owner?.kind === 'ReplicaSet' && i.owner.name.startsWith('bg-') && i.workEndsAt !== undefined && i.workEndsAt > i.at) {
          this.add(
            i.at,
            'bg-job-interrupted',
            `${i.namespace}/${i.name} on ${i.node ?? '?'} (${i.cause}), its job had ${Math.round((i.workEndsAt - i.at) / MINUTE)} min to go`,
          );
        }
      },
    });
    const evict = actions.evict.bind(actions);
    actions.evict = async (namespace, pod) => {
      const node = cluster.pod(namespace, pod)?.spec.nodeName;
      if (node !== undefined && isProtected(cluster, node))
        this.add(cluster.now(), 'protected-node-touched', `pod ${namespace}/${pod} evicted from protected node ${node}`);
      return evict(namespace, pod);
    };
  }

  add(at: number, kind: Violation['kind'], detail: string): void {
    this.violations.push({ at, kind, detail });
  }

  /** After the step's ticks. */
  step(i: number, now: number): void {
    const { cluster, vms } = this.world;
    for (; this.vmCallsSeen < vms.calls.length; this.vmCallsSeen++) {
      const call = vms.calls[this.vmCallsSeen]!;
      if (call.op !== 'add-nodes' && isProtected(cluster, call.node))
        this.add(call.at, 'protected-node-touched', `${call.op} of protected node ${call.node}`);
    }
    this.checkMinimum(i, now);
    this.checkPending(now);
    if (i % Math.max(1, Math.round((5 * MINUTE) / this.stepMs)) === 0) this.checkCordons(now);
  }

  private checkMinimum(i: number, now: number): void {
    if (i % Math.max(1, Math.round((5 * MINUTE) / this.stepMs)) === 0) this.minimum = scheduleMinimum(this.policy, now);
    let schedulable = 0;
    for (const node of this.world.cluster.nodes()) {
      if (node.spec.unschedulable !== true && isNodeReady(node) && this.managedPools.has(node.metadata.labels?.[AGENT_POOL_LABEL] ?? ''))
        schedulable++;
    }
    if (schedulable >= this.minimum) {
      this.belowSince = undefined;
      return;
    }
    this.belowSince ??= now;
    // Reported once, as the limit is passed.
    if (now - this.belowSince > BELOW_MINIMUM_LIMIT_MS && now - this.belowSince <= BELOW_MINIMUM_LIMIT_MS + this.stepMs) {
      this.add(
        now,
        'below-minimum',
        `${schedulable} schedulable node(s) < minimum ${this.minimum} since ${new Date(this.belowSince).toISOString()} (over ${BELOW_MINIMUM_LIMIT_MS / 1000} s)`,
      );
    }
  }

  private checkPending(now: number): void {
    for (const pod of this.world.cluster.pendingPods()) {
      const waited = now - Date.parse(pod.metadata.creationTimestamp);
      if (waited > this.maxPendingMs) this.maxPendingMs = waited;
      if (!this.pendingIsViolation || waited <= PENDING_LIMIT_MS || this.pendingReported.has(pod.metadata.uid)) continue;
      this.pendingReported.add(pod.metadata.uid);
      this.add(
        now,
        'pod-pending-too-long',
        `${pod.metadata.namespace}/${pod.metadata.name} pending over ${PENDING_LIMIT_MS / MINUTE} min (since ${pod.metadata.creationTimestamp})`,
      );
    }
  }

  private checkCordons(now: number): void {
    const { cluster } = this.world;
    const seen = new Set<string>();
    for (const node of cluster.nodes()) {
      const name = node.metadata.name;
      const ours = node.spec.unschedulable === true && node.metadata.annotations?.[DRAINING_SINCE] !== undefined;
      if (!ours || !isNodeReady(node) || cluster.podsOnNode(name).some((p) => p.metadata.deletionTimestamp !== undefined)) continue;
      seen.add(name);
      const since = this.cordonedSince.get(name) ?? now;
      this.cordonedSince.set(name, since);
      if (now - since > CORDON_LIMIT_MS && now - since <= CORDON_LIMIT_MS + 5 * MINUTE) {
        this.add(
          now,
          'cordon-left-behind',
          `${name} cordoned by graceful-scaler, running and Ready with nothing terminating since ${new Date(since).toISOString()}`,
        );
      }
    }
    for (const name of this.cordonedSince.keys()) if (!seen.has(name)) this.cordonedSince.delete(name);
  }
}

function isProtected(cluster: SimCluster, node: string): boolean {
  return cluster.node(node)?.metadata.labels?.[BATCH_LABEL] !== undefined;
}
