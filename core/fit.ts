// Would the scheduler accept this pod on this node? Only the predicates that matter for our moves:
// node selector, taints/tolerations, and room (pods, cpu, memory requests).

import { SHUTDOWN_TAINT } from './annotations';
import type { NodeRequirement, NodeView, PodView, Resources, Taint, Toleration } from './views';

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * A PreferNoSchedule taint of the node that the pod does not tolerate, if any: the scheduler puts
 * such a pod on the node only when no node without one takes it (TaintToleration scoring).
 */
export function avoidedTaint(pod: PodView, node: NodeView): Taint | undefined {
  for (const taint of node.taints) {
    if (taint.effect === 'PreferNoSchedule' && !toleratesTaint(pod, taint)) return taint;
  }
  return undefined;
}

/** Does the pod tolerate this taint? */
export function toleratesTaint(pod: PodView, taint: Taint): boolean {
  return pod.tolerations.some((t) => tolerates(t, taint));
}

/** Taints that describe a node's passing state rather than what it accepts; a stopped or cordoned node of a pool still says what the pool accepts. */
const TRANSIENT_TAINTS = new Set([
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unschedulable',
  SHUTDOWN_TAINT,
  'ToBeDeletedByClusterAutoscaler',
]);

export function toleratesNode(pod: PodView, node: NodeView, ignoreTransient = false): boolean {
  for (const taint of node.taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (ignoreTransient && TRANSIENT_TAINTS.has(taint.key)) continue;
    if (!toleratesTaint(pod, taint)) return false;
  }
  return true;
}

/** Does the node meet the pod's nodeSelector and its required node affinity (the scheduler's NodeAffinity filter)? */
export function selectsNode(pod: PodView, node: NodeView): boolean {
  for (const key in pod.nodeSelector) {
    if (node.labels[key] !== pod.nodeSelector[key]) return false;
  }
  const terms = pod.requiredNodeTerms;
  return terms === undefined || terms.some((term) => termMatches(term, node.labels, node.name));
}

/** What Gt and Lt compare: a label value or bound that is an integer (the API validates the bound as one). */
export const INTEGER_VALUE = /^-?\d+$/;

/** A requirement as the core's views, the audit's raw objects and the simulator's write it. */
type LooseRequirement = Pick<NodeRequirement, 'key'> & { readonly operator: string; readonly values?: readonly string[] | undefined };

/**
 * One node selector requirement against a node's labels, as the API defines it: NotIn and
 * DoesNotExist hold where the label is absent; Gt and Lt compare integers and fail on anything else.
 * Shared by the audit and the simulated scheduler.
 */
export function requirementHolds(r: LooseRequirement, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return v !== undefined && values.includes(v);
    case 'NotIn':
      return v === undefined || !values.includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = values[0];
      if (v === undefined || !INTEGER_VALUE.test(v) || bound === undefined || !INTEGER_VALUE.test(bound)) return false;
      return r.operator === 'Gt' ? Number(v) > Number(bound) : Number(v) < Number(bound);
    }
    default:
      return false;
  }
}

/** A node selector term: every requirement holds; an empty term matches no node (as in kube-scheduler). */
export function termMatches(
  term: {
    readonly matchExpressions?: readonly LooseRequirement[] | undefined;
    readonly matchFields?: readonly LooseRequirement[] | undefined;
  },
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  for (const r of expressions) if (!requirementHolds(r, labels)) return false;
  // The only field a node selector term may name is metadata.name.
  for (const r of fields) if (!requirementHolds(r, { 'metadata.name': nodeName })) return false;
  return true;
}

/** Could a pod of this shape ever run on a node like this one (ignoring room and passing state)? */
export function podSuitsNode(pod: PodView, node: NodeView): boolean {
  return selectsNode(pod, node) && toleratesNode(pod, node, true);
}

/** What is left on a node: allocatable minus what its pods request. */
export interface Room extends Resources {
  pods: number;
}

export function hasRoom(room: Room, requests: Resources): boolean {
  return room.pods >= 1 && room.cpuMilli >= requests.cpuMilli && room.memoryBytes >= requests.memoryBytes;
}
