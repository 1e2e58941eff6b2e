// Where a pending pod goes: the default kube-scheduler's filters that matter here, in its order
// (NodeUnschedulable, TaintToleration, NodeAffinity via nodeSelector, NodeResourcesFit), then the
// feasible node with the least requested cpu and memory (LeastAllocated), ties to the node with
// fewer pods, then by name so a seed replays exactly. A pod that fits nowhere gets the scheduler's
// own message: `0/9 nodes are available: 3 node(s) had untolerated taint {…}, 6 Too many pods. …`.
//
// Pods are placed in batches of the same shape (requests, nodeSelector, tolerations: one
// Deployment's pods), each batch over a heap of its feasible nodes, so 150,000 pods on 5,000 nodes
// take O(pods · log nodes + batches · nodes), not pods · nodes.

import { MinHeap } from './heap';
import type { Taint, Toleration } from './objects';

export interface SchedulingNode {
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  unschedulable: boolean;
  allocatable: { pods: number; cpu: number; memory: number };
  /** Requested by the pods already bound (updated as pods are placed). */
  used: { pods: number; cpu: number; memory: number };
}

export interface PendingPod {
  key: string;
  priority: number;
  /** Creation time (epoch ms): equal priority goes first come, first served. */
  created: number;
  nodeSelector: Readonly<Record<string, string>> | undefined;
  tolerations: readonly Toleration[];
  /** Millicores and bytes. */
  requests: { cpu: number; memory: number };
  /** podShape() of the pod, when the caller keeps it (pods are immutable where it matters). */
  shape?: string;
}

export interface ScheduleResult {
  bound: { pod: string; node: string }[];
  unschedulable: { pod: string; message: string }[];
}

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  // An empty key only goes with Exists; Equal (the default) compares values.
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function toleratesTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const toleration of tolerations) if (tolerates(toleration, taint)) return true;
  return false;
}

/** Why the node cannot take pods of this shape whatever its load, or undefined when it can. */
function staticRejection(pod: PendingPod, node: SchedulingNode): string | undefined {
  if (node.unschedulable && !toleratesTaint(pod.tolerations, UNSCHEDULABLE_TAINT)) return 'node(s) were unschedulable';
  for (const taint of node.taints) {
    // PreferNoSchedule only lowers a score; it never filters.
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!toleratesTaint(pod.tolerations, taint)) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  if (pod.nodeSelector !== undefined) {
    for (const [key, value] of Object.entries(pod.nodeSelector)) {
      if (node.labels[key] !== value) return "node(s) didn't match Pod's node affinity/selector";
    }
  }
  return undefined;
}

/** NodeResourcesFit's reasons (all of them, as it reports them), empty when the pod fits. */
function resourceRejections(pod: PendingPod, node: SchedulingNode): string[] {
  const reasons: string[] = [];
  if (node.used.pods + 1 > node.allocatable.pods) reasons.push('Too many pods');
  if (pod.requests.cpu > 0 && node.used.cpu + pod.requests.cpu > node.allocatable.cpu) reasons.push('Insufficient cpu');
  if (pod.requests.memory > 0 && node.used.memory + pod.requests.memory > node.allocatable.memory) reasons.push('Insufficient memory');
  return reasons;
}

function fits(pod: PendingPod, node: SchedulingNode): boolean {
  return (
    node.used.pods + 1 <= node.allocatable.pods &&
    (pod.requests.cpu <= 0 || node.used.cpu + pod.requests.cpu <= node.allocatable.cpu) &&
    (pod.requests.memory <= 0 || node.used.memory + pod.requests.memory <= node.allocatable.memory)
  );
}

/** The requested fraction of cpu and memory once the pod is there (LeastAllocated's inverse). */
function loadAfter(pod: PendingPod, node: SchedulingNode): number {
  const cpu = node.allocatable.cpu > 0 ? (node.used.cpu + pod.requests.cpu) / node.allocatable.cpu : 1;
  const memory = node.allocatable.memory > 0 ? (node.used.memory + pod.requests.memory) / node.allocatable.memory : 1;
  return (cpu + memory) / 2;
}

/** What makes pods interchangeable for placement: requests, nodeSelector, tolerations. */
export function podShape(pod: Pick<PendingPod, 'nodeSelector' | 'tolerations' | 'requests'>): string {
  return JSON.stringify([pod.nodeSelector ?? null, pod.tolerations, pod.requests.cpu, pod.requests.memory]);
}

/** The FitError message: reasons counted over all nodes, sorted as strings, as the scheduler prints them. */
function fitError(pod: PendingPod, nodes: readonly SchedulingNode[]): string {
  const histogram = new Map<string, number>();
  for (const node of nodes) {
    const rejection = staticRejection(pod, node);
    const reasons = rejection !== undefined ? [rejection] : resourceRejections(pod, node);
    for (const reason of reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  }
  const reasons = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  const n = nodes.length;
  return `0/${n} nodes are available: ${reasons.join(', ')}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
}

interface Candidate {
  node: SchedulingNode;
  load: number;
}

/**
 * Places `pods` on `nodes` (whose `used` it updates), highest priority first, then oldest. Returns
 * the bindings and, for each pod that fits nowhere, the scheduler's message.
 */
export function schedule(pods: readonly PendingPod[], nodes: readonly SchedulingNode[]): ScheduleResult {
  const result: ScheduleResult = { bound: [], unschedulable: [] };
  const ordered = [...pods].sort(
    (a, b) => b.priority - a.priority || a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const batches = new Map<string, PendingPod[]>();
  for (const pod of ordered) {
    const shape = pod.shape ?? podShape(pod);
    const batch = batches.get(shape);
    if (batch === undefined) batches.set(shape, [pod]);
    else batch.push(pod);
  }
  for (const batch of batches.values()) {
    const first = batch[0]!;
    const heap = new MinHeap<Candidate>(
      (a, b) =>
        a.load < b.load ||
        (a.load === b.load &&
          (a.node.used.pods < b.node.used.pods || (a.node.used.pods === b.node.used.pods && a.node.name < b.node.name))),
    );
    for (const node of nodes) {
      if (staticRejection(first, node) === undefined && fits(first, node)) heap.push({ node, load: loadAfter(first, node) });
    }
    let message: string | undefined;
    for (const pod of batch) {
      const best = heap.pop();
      if (best === undefined) {
        message ??= fitError(pod, nodes);
        result.unschedulable.push({ pod: pod.key, message });
        continue;
      }
      const node = best.node;
      node.used.pods += 1;
      node.used.cpu += pod.requests.cpu;
      node.used.memory += pod.requests.memory;
      result.bound.push({ pod: pod.key, node: node.name });
      if (fits(pod, node)) heap.push({ node, load: loadAfter(pod, node) });
    }
  }
  return result;
}
