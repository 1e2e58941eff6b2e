// Where a pending pod goes: the default kube-scheduler's filters that matter here, in its order
// (NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector and required terms), NodeResourcesFit), then the
// best-scored feasible node. A pod that fits nowhere gets the scheduler's own message:
// `0/9 nodes are available: 3 node(s) had untolerated taint {…}, 6 Too many pods. …`.
//
// Scoring follows the default profile's plugins that matter here, by their weights: TaintToleration
// (weight 3: fewer untolerated PreferNoSchedule taints), NodeAffinity (weight 2: the summed weights
// of the preferred terms a node matches), NodeResourcesFit LeastAllocated (weight 1: the least
// requested cpu and memory). Each plugin's score is normalised to 0-100 before weighting, so a
// node that avoids an untolerated PreferNoSchedule taint gains up to 300, one that matches the only
// preferred term 200, the least loaded at most 100: compared lexicographically in that order (then
// fewer pods, then the name, so a seed replays exactly) is a faithful approximation. It differs only
// where the weights would trade against each other (several PreferNoSchedule taints on one node
// against a preferred term, a near-empty node against a partly matched term), which nothing here does.
//
// Pods are placed in batches of the same shape (requests, nodeSelector, required and preferred node affinity,
// tolerations: one Deployment's pods), each batch over a heap of its feasible nodes, so 150,000 pods
// on 5,000 nodes take O(pods · log nodes + batches · nodes), not pods · nodes.

import { MinHeap } from './heap';
import { termMatches } from '../../core/fit';
import type { AffinePod, InterPodAntiAffinity } from './inter-pod-anti-affinity';
import type { NodeSelectorTerm, PreferredSchedulingTerm, Taint, Toleration } from './objects';

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
  /** `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, when set: one must match. */
  required?: readonly NodeSelectorTerm[] | undefined;
  /** `affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`, when set. */
  preferred?: readonly PreferredSchedulingTerm[] | undefined;
  tolerations: readonly Toleration[];
  /** Millicores and bytes. */
  requests: { cpu: number; memory: number };
  /** podShape() of the pod, when the caller keeps it (pods are immutable where it matters). */
  shape?: string;
  /** Its namespace, labels and required anti-affinity: given when some pod in the cluster has such a term. */
  affine?: AffinePod | undefined;
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
  if (pod.required !== undefined && !pod.required.some((term) => matchesTerm(term, node)))
    return "node(s) didn't match Pod's node affinity/selector";
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

/** TaintToleration's score input: the node's PreferNoSchedule taints the pod does not tolerate. */
function untoleratedPreferences(pod: PendingPod, node: SchedulingNode): number {
  let n = 0;
  for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !toleratesTaint(pod.tolerations, taint)) n++;
  return n;
}

/** NodeAffinity's score input: the summed weights of the preferred terms the node matches. */
function preferredWeight(pod: PendingPod, node: SchedulingNode): number {
  if (pod.preferred === undefined) return 0;
  let weight = 0;
  for (const term of pod.preferred) if (matchesTerm(term.preference, node)) weight += term.weight;
  return weight;
}

/** A node selector term: every requirement holds (an empty term matches nothing, as in kube-scheduler). */
function matchesTerm(term: NodeSelectorTerm, node: SchedulingNode): boolean {
  return termMatches(term, node.labels, node.name);
}

/** What makes pods interchangeable for placement: requests, nodeSelector, required and preferred node affinity, tolerations. */
export function podShape(pod: Pick<PendingPod, 'nodeSelector' | 'required' | 'preferred' | 'tolerations' | 'requests'>): string {
  return JSON.stringify([
    pod.nodeSelector ?? null,
    pod.required ?? null,
    pod.preferred ?? null,
    pod.tolerations,
    pod.requests.cpu,
    pod.requests.memory,
  ]);
}

/** The FitError message: reasons counted over all nodes, sorted as strings, as the scheduler prints them. */
function fitError(pod: PendingPod, nodes: readonly SchedulingNode[], anti?: InterPodAntiAffinity): string {
  const histogram = new Map<string, number>();
  for (const node of nodes) {
    const rejection = staticRejection(pod, node);
    let reasons = rejection !== undefined ? [rejection] : resourceRejections(pod, node);
    // The filters run in order and a node fails at the first: InterPodAffinity comes after NodeResourcesFit.
    const interPod = reasons.length === 0 && anti !== undefined ? anti.rejection(pod.affine ?? NO_AFFINITY, node.name) : undefined;
    if (interPod !== undefined) reasons = [interPod];
    for (const reason of reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  }
  const reasons = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  const n = nodes.length;
  return `0/${n} nodes are available: ${reasons.join(', ')}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
}

interface Candidate {
  node: SchedulingNode;
  /** Untolerated PreferNoSchedule taints (fewer first). */
  avoid: number;
  /** Matched preferred-term weight (more first). */
  prefer: number;
  load: number;
}

/** Best first: TaintToleration, then NodeAffinity, then LeastAllocated, then fewer pods, then the name. */
const better = (a: Candidate, b: Candidate): boolean =>
  a.avoid < b.avoid ||
  (a.avoid === b.avoid &&
    (a.prefer > b.prefer ||
      (a.prefer === b.prefer &&
        (a.load < b.load ||
          (a.load === b.load &&
            (a.node.used.pods < b.node.used.pods || (a.node.used.pods === b.node.used.pods && a.node.name < b.node.name)))))));

/**
 * Places `pods` on `nodes` (whose `used` it updates), highest priority first, then oldest. Returns
 * the bindings and, for each pod that fits nowhere, the scheduler's message.
 */
export function schedule(pods: readonly PendingPod[], nodes: readonly SchedulingNode[], anti?: InterPodAntiAffinity): ScheduleResult {
  const result: ScheduleResult = { bound: [], unschedulable: [] };
  const ordered = [...pods].sort(
    (a, b) => b.priority - a.priority || a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const batches = new Map<string, PendingPod[]>();
  for (const pod of ordered) {
    // Under anti-affinity, a batch also shares what the terms read (namespace, labels, terms): a node
    // refused to one pod of it is then refused to every later one, as placements only add repulsion.
    const shape = anti === undefined ? (pod.shape ?? podShape(pod)) : `${pod.shape ?? podShape(pod)}\n${affineKey(pod.affine)}`;
    const batch = batches.get(shape);
    if (batch === undefined) batches.set(shape, [pod]);
    else batch.push(pod);
  }
  for (const batch of batches.values()) {
    const first = batch[0]!;
    const heap = new MinHeap<Candidate>(better);
    for (const node of nodes) {
      if (staticRejection(first, node) === undefined && fits(first, node))
        heap.push({
          node,
          avoid: node.taints.length === 0 ? 0 : untoleratedPreferences(first, node),
          prefer: preferredWeight(first, node),
          load: loadAfter(first, node),
        });
    }
    let message: string | undefined;
    for (const pod of batch) {
      let best = heap.pop();
      // Required pod anti-affinity depends on the pods already placed (each replica repels the next):
      // a node it refuses leaves this batch's heap for good (see the batches above).
      while (best !== undefined && anti !== undefined && anti.rejection(pod.affine ?? NO_AFFINITY, best.node.name) !== undefined)
        best = heap.pop();
      if (best === undefined) {
        message ??= fitError(pod, nodes, anti);
        result.unschedulable.push({ pod: pod.key, message });
        continue;
      }
      const node = best.node;
      node.used.pods += 1;
      node.used.cpu += pod.requests.cpu;
      node.used.memory += pod.requests.memory;
      anti?.add(pod.affine ?? NO_AFFINITY, node.name);
      result.bound.push({ pod: pod.key, node: node.name });
      if (fits(pod, node)) heap.push({ node, avoid: best.avoid, prefer: best.prefer, load: loadAfter(pod, node) });
    }
  }
  return result;
}

function affineKey(affine: AffinePod | undefined): string {
  return affine === undefined ? '' : JSON.stringify([affine.namespace, affine.labels, affine.antiAffinity ?? null]);
}

/** A pod the caller gave no labels for: selected by no term. */
const NO_AFFINITY: AffinePod = { namespace: '', labels: {} };
