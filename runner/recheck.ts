// Every destructive call is checked again against fresh state right before it is sent. A plan is
// made from a snapshot that may be seconds (or, after a slow call, a minute) old; meanwhile another
// tick or a person may have uncordoned a node and pods may have started on it. Like Karpenter's
// disruption queue, which re-validates a command shortly before acting, the runner re-reads just what
// the call depends on and refuses a stale one: it is not sent, and the next tick plans afresh.

import type { Action } from '../core/decision';
import { DRAINING_SINCE } from '../core/annotations';
import { isWorkloadPod } from '../core/evictability';
import type { NodeView } from '../core/views';
import type { ClusterReader, NodeVms } from './ports';

/** Undefined when the action may go ahead; otherwise why it is stale, for the 'refused' outcome. */
export async function recheck(
  action: Action,
  planned: NodeView | undefined,
  reader: ClusterReader,
  vms: NodeVms,
): Promise<string | undefined> {
  switch (action.type) {
    case 'stop-node':
      return recheckStop(action.node, reader);
    case 'evict':
      // Only a drain's eviction depends on our cordon; the descheduler's never cordons.
      return action.rule === 'drain-evict' && action.node !== undefined ? recheckDrain(action.node, reader) : undefined;
    case 'start-node':
      return planned === undefined ? undefined : recheckStart(planned, vms);
    case 'uncordon':
      return action.rule === 'stop-given-up' && planned !== undefined ? recheckGiveBack(planned, vms) : undefined;
    case 'mark-node':
      // Not destructive (a preference for the scheduler, a label), and its patch is conditional on the
      // node as read just before it (ports.ts, markNode): a concurrent write makes it wait a tick.
      return undefined;
    default:
      return undefined;
  }
}

/** A stop: the node is still cordoned by us (our annotation, unschedulable) and no workload pod runs on it. */
async function recheckStop(name: string, reader: ClusterReader): Promise<string | undefined> {
  const [node, pods] = await Promise.all([reader.readNode(name), reader.readPodsOn(name)]);
  if (node === undefined) return `stale: node ${name} is gone since the plan`;
  const problems: string[] = [];
  const cordon = cordonProblem(node);
  if (cordon) problems.push(cordon);
  // DaemonSet and mirror pods go down with any node; finished pods are not read. A terminating pod
  // still runs (a worker finishing its job within its grace period): it counts.
  const workload = pods.filter(isWorkloadPod);
  if (workload.length > 0) {
    const names = workload.slice(0, 3).map((p) => `${p.namespace}/${p.name}`);
    problems.push(
      `${workload.length} ${workload.length === 1 ? 'pod now runs' : 'pods now run'} on it (${names.join(', ')}${workload.length > 3 ? ', …' : ''})`,
    );
  }
  return problems.length === 0 ? undefined : `stale: node ${name} ${problems.join('; ')}`;
}

/** An eviction of a drain: the drain is still ours (the node still cordoned with our annotation). */
async function recheckDrain(name: string, reader: ClusterReader): Promise<string | undefined> {
  const node = await reader.readNode(name);
  if (node === undefined) return undefined; // the pod's node is gone: the eviction finds the pod gone too
  const problem = cordonProblem(node);
  return problem === undefined ? undefined : `stale: node ${name} ${problem}; its drain is no longer ours, the pod stays`;
}

/** A start: the VM is not already starting or running, and no operation on it is in progress. */
async function recheckStart(node: NodeView, vms: NodeVms): Promise<string | undefined> {
  const state = await vms.state(node);
  if (state.power === 'starting' || state.power === 'running')
    return `stale: the VM of node ${node.name} is already ${state.power}; not started again`;
  if (state.busy) return `stale: an operation on the VM of node ${node.name} is still in progress (${state.power}); not started now`;
  return undefined;
}

/**
 * A node given back after its VM would not stop: no operation on the VM is in progress, and it is not
 * on its way down. Uncordoned while a deallocate is still pending in Azure, the pods that land would
 * be killed when it completes.
 */
async function recheckGiveBack(node: NodeView, vms: NodeVms): Promise<string | undefined> {
  const state = await vms.state(node);
  if (state.busy)
    return `stale: an operation on the VM of node ${node.name} is still in progress (${state.power}); left cordoned until it ends`;
  if (state.power !== 'running') return `stale: the VM of node ${node.name} is ${state.power}; it is stopping after all, left cordoned`;
  return undefined;
}

function cordonProblem(node: NodeView): string | undefined {
  if (!node.cordoned) return 'was uncordoned since the plan';
  if (node.annotations[DRAINING_SINCE] === undefined) return 'is cordoned, but no longer by graceful-scaler (no draining-since annotation)';
  return undefined;
}
