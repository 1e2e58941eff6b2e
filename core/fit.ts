// Would the scheduler accept this pod on this node? Only the predicates that matter for our moves:
// node selector, taints/tolerations, and room (pods, cpu, memory requests).

import { SHUTDOWN_TAINT } from './annotations';
import type { NodeView, PodView, Resources, Taint, Toleration } from './views';

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
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
    if (!pod.tolerations.some((t) => tolerates(t, taint))) return false;
  }
  return true;
}

export function selectsNode(pod: PodView, node: NodeView): boolean {
  for (const key in pod.nodeSelector) {
    if (node.labels[key] !== pod.nodeSelector[key]) return false;
  }
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
