// What the node lifecycle controller and the cloud provider write on a Node as its VM stops and
// starts, and the taint that follows a cordon: each function returns the new version of the node
// (or undefined when nothing changes), never touching the stored one.

import { NOT_READY_TAINT, readyConditions, SHUTDOWN_TAINT, unknownConditions, UNREACHABLE_TAINT, UNSCHEDULABLE_TAINT } from './aks-objects';
import { cloneJson, type DeepReadonly, type Node, type Taint } from './objects';

function withTaint(taints: Taint[], taint: Taint): void {
  if (!taints.some((t) => t.key === taint.key && t.effect === taint.effect)) taints.push(taint);
}

/**
 * The kubelet stopped posting status and the cloud says the VM is shut down: conditions Unknown,
 * the unreachable taints (NoSchedule and NoExecute) and the cloud provider's shutdown taint.
 */
export function stoppedNode(node: DeepReadonly<Node>, now: string): Node {
  const next = cloneJson(node) as Node;
  next.status.conditions = unknownConditions(next.status.conditions ?? readyConditions(now), now);
  const taints = (next.spec.taints ?? []).filter((t) => t.key !== NOT_READY_TAINT);
  withTaint(taints, { key: UNREACHABLE_TAINT, effect: 'NoSchedule', timeAdded: now });
  withTaint(taints, { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: now });
  withTaint(taints, { key: SHUTDOWN_TAINT, effect: 'NoSchedule' });
  next.spec.taints = taints;
  return next;
}

/** The kubelet posts Ready again: the conditions reset, the unreachable and shutdown taints go; a cordon stays. */
export function startedNode(node: DeepReadonly<Node>, now: string): Node {
  const next = cloneJson(node) as Node;
  next.status.conditions = readyConditions(now);
  const taints = (next.spec.taints ?? []).filter(
    (t) => t.key !== UNREACHABLE_TAINT && t.key !== NOT_READY_TAINT && t.key !== SHUTDOWN_TAINT,
  );
  if (taints.length > 0) next.spec.taints = taints;
  else delete next.spec.taints;
  return next;
}

/**
 * The `node.kubernetes.io/unschedulable:NoSchedule` taint follows `spec.unschedulable`
 * (TaintNodesByCondition): the new node when it has to be added or removed, else undefined.
 */
export function cordonTainted(node: DeepReadonly<Node>, now: string): Node | undefined {
  const cordoned = node.spec.unschedulable === true;
  const tainted = (node.spec.taints ?? []).some((t) => t.key === UNSCHEDULABLE_TAINT && t.effect === 'NoSchedule');
  if (cordoned === tainted) return undefined;
  const next = cloneJson(node) as Node;
  const taints = (next.spec.taints ?? []).filter((t) => !(t.key === UNSCHEDULABLE_TAINT && t.effect === 'NoSchedule'));
  if (cordoned) taints.unshift({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: now });
  if (taints.length > 0) next.spec.taints = taints;
  else delete next.spec.taints;
  return next;
}
