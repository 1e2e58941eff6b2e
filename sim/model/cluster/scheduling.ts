// The scheduler at work on the cluster: the pending pods and every node's room handed to the
// placement algorithm (sim/model/scheduler.ts), the pods it places bound, the others marked
// Unschedulable with its message. It runs only when something changed that could help.

import { cpuMilli, memoryBytes, parseQuantity } from '../../../core/quantity';
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '../aks-objects';
import { formatTime, parseTime } from '../clock';
import { compileAntiAffinity, InterPodAntiAffinity, type AffinePod } from '../inter-pod-anti-affinity';
import { conditionOf, isNodeReady, isTerminal, type Node, type Pod } from '../objects';
import { markUnschedulable } from '../pod-status';
import { podShape, schedule as schedulePods, type PendingPod, type SchedulingNode } from '../scheduler';
import type { PodLifecycle } from './pod-lifecycle';
import type { ClusterState } from './state';
import type { StoreWrites } from './writes';

export class SchedulerBinding {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
    private readonly pods: PodLifecycle,
  ) {}

  run(): void {
    const state = this.state;
    if (!state.schedulingNeeded || state.podIndex.pending().size === 0) {
      state.schedulingNeeded = false;
      return;
    }
    state.schedulingNeeded = false;
    const nodes: SchedulingNode[] = [];
    for (const node of state.store.values<Node>('Node')) {
      const allocatable = node.status.allocatable ?? {};
      const used = state.podIndex.usage(node.metadata.name);
      const taints = node.spec.taints ?? [];
      nodes.push({
        name: node.metadata.name,
        labels: node.metadata.labels ?? {},
        // A node that is not Ready but lacks the lifecycle controller's taint (an imported dump) is still out.
        taints:
          isNodeReady(node) || taints.some((t) => t.key === NOT_READY_TAINT || t.key === UNREACHABLE_TAINT)
            ? taints
            : [...taints, { key: NOT_READY_TAINT, effect: 'NoSchedule' }],
        unschedulable: node.spec.unschedulable === true,
        allocatable: {
          pods: parseQuantity(allocatable.pods ?? '0') ?? 0,
          cpu: cpuMilli(allocatable.cpu),
          memory: memoryBytes(allocatable.memory),
        },
        used: { ...used },
      });
    }
    const pods: PendingPod[] = [];
    for (const key of state.podIndex.pending()) {
      const pod = state.store.getByKey<Pod>('Pod', key);
      const runtime = state.podIndex.runtime(key);
      if (pod === undefined || runtime === undefined) continue;
      const pending: PendingPod = {
        key,
        priority: pod.spec.priority ?? 0,
        created: parseTime(pod.metadata.creationTimestamp) ?? 0,
        nodeSelector: pod.spec.nodeSelector,
        required: pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
        preferred: pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
        tolerations: pod.spec.tolerations ?? [],
        requests: runtime.requests,
      };
      runtime.shape ??= podShape(pending);
      pending.shape = runtime.shape;
      pods.push(pending);
    }
    const result = schedulePods(pods, nodes, state.podIndex.antiAffinePods().size > 0 ? this.antiAffinity(pods, nodes) : undefined);
    for (const { pod, node } of result.bound) this.pods.bindPod(pod, node);
    const now = formatTime(state.now());
    for (const { pod: key, message } of result.unschedulable) {
      const pod = state.store.getByKey<Pod>('Pod', key);
      const current = conditionOf(pod?.status.conditions, 'PodScheduled');
      if (current?.reason === 'Unschedulable' && current.message === message) continue;
      this.writes.updatePod(key, (p) => markUnschedulable(p, message, now));
    }
    // Binding changed nothing that could help the rest: wait for a change before trying again.
    state.schedulingNeeded = false;
  }

  /** The anti-affinity filter over the pods bound to the nodes (read as asked); fills in the pending pods' own part. */
  private antiAffinity(pending: PendingPod[], nodes: readonly SchedulingNode[]): InterPodAntiAffinity {
    const { store, podIndex } = this.state;
    const affine = (pod: Pod): AffinePod => ({
      namespace: pod.metadata.namespace,
      labels: pod.metadata.labels ?? {},
      antiAffinity: compileAntiAffinity(
        pod.metadata.namespace,
        pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      ),
    });
    const running = (key: string): Pod | undefined => {
      const pod = store.getByKey<Pod>('Pod', key);
      return pod !== undefined && pod.spec.nodeName && !isTerminal(pod) ? pod : undefined;
    };
    const repelling: { pod: AffinePod; node: string }[] = [];
    for (const key of podIndex.antiAffinePods()) {
      const pod = running(key);
      if (pod !== undefined) repelling.push({ pod: affine(pod), node: pod.spec.nodeName! });
    }
    for (const p of pending) {
      const pod = store.getByKey<Pod>('Pod', p.key);
      if (pod !== undefined) p.affine = affine(pod);
    }
    const podsOn = (node: string): AffinePod[] => {
      const found: AffinePod[] = [];
      for (const key of podIndex.onNode(node)) {
        const pod = running(key);
        if (pod !== undefined) found.push(affine(pod));
      }
      return found;
    };
    return new InterPodAntiAffinity(new Map(nodes.map((n) => [n.name, n.labels])), repelling, podsOn);
  }
}
