// Nodes and the VMs under them: what a VM's lifecycle does to Kubernetes (a node registers or comes
// back, the containers on a powered-off node die, the node lifecycle controller and the taint
// manager act on a deallocated one, a deleted VM takes its node along), and the cordon taint.

import type { PoolState, VmLifecycle, VmState } from '../../azure/agent-pools';
import { aksNode, UNREACHABLE_TAINT } from '../aks-objects';
import { notFound } from '../api-errors';
import { formatTime } from '../clock';
import { controllerOf, isTerminal, type DeepReadonly, type Node, type Pod, type Taint } from '../objects';
import { cordonTainted, startedNode, stoppedNode } from '../node-status';
import { markNotReady, markReady } from '../pod-status';
import { NODES } from '../resources';
import { toleratesTaint } from '../scheduler';
import type { PodLifecycle } from './pod-lifecycle';
import { isDaemonPod, isMirrorPod, podKeyOf, type ClusterState } from './state';
import type { StoreWrites } from './writes';

export class NodeLifecycle {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
    private readonly pods: PodLifecycle,
  ) {}

  /** What the agent pools call as a VM moves through its lifecycle. */
  vmLifecycle(): VmLifecycle {
    return {
      vmRunning: (pool, vm) => this.vmRunning(pool, vm),
      vmPoweredOff: (_pool, vm, cause) => this.vmPoweredOff(vm, cause),
      vmDeallocated: (_pool, vm) => this.vmDeallocated(vm),
      vmDeleted: (_pool, vm) => {
        this.state.nodeVms.delete(vm.computerName);
        if (this.state.store.get('Node', undefined, vm.computerName) !== undefined) this.deleteNode(vm.computerName, 'vm-deleted');
      },
    };
  }

  /** Node lifecycle: the cordon taint follows spec.unschedulable. Returns whether the node was written. */
  taintCordoned(node: DeepReadonly<Node>): boolean {
    const tainted = cordonTainted(node, formatTime(this.state.now()));
    if (tainted === undefined) return false;
    this.writes.writeObject(NODES, node as Node, tainted);
    return true;
  }

  /** A VM is up: a new node registers Ready, or a stopped one comes back and its kubelet catches up. */
  private vmRunning(pool: PoolState, vm: VmState): void {
    const state = this.state;
    const name = vm.computerName;
    state.nodeVms.set(name, { pool, vm });
    const existing = state.store.get<Node>('Node', undefined, name);
    const now = formatTime(state.now());
    if (existing === undefined) {
      const node = aksNode(
        {
          name,
          pool: pool.name,
          mode: pool.mode,
          instance: vm.instance,
          vmSize: pool.vmSize,
          maxPods: pool.maxPods,
          labels: pool.labels,
          taints: pool.taints,
          uid: '',
          createdAt: now,
          ipIndex: state.nodeVms.size,
        },
        state.identity,
      );
      this.writes.createObject(NODES, node);
      return;
    }
    this.writes.writeObject(NODES, existing, startedNode(existing, now));
    // The kubelet is back: deleted pods are confirmed gone, dead containers restart, pods start.
    for (const pod of state.podsOnNode(name)) {
      const key = podKeyOf(pod);
      const runtime = state.podIndex.runtime(key);
      const restarted = runtime?.dead === true;
      if (runtime !== undefined) runtime.dead = false;
      if (pod.metadata.deletionTimestamp !== undefined) this.writes.removeObject('Pod', pod as Pod, false);
      else if (pod.status.phase === 'Pending') this.pods.scheduleStart(key, pod.metadata.uid);
      else if (!isTerminal(pod)) this.writes.updatePod(key, (p) => markReady(p, now, restarted));
    }
  }

  /** The OS is gone: every container on the node dies; workload pods lose their work. */
  private vmPoweredOff(vm: VmState, cause: 'vm-deallocated' | 'vm-deleted'): void {
    for (const pod of this.state.podsOnNode(vm.computerName)) {
      const runtime = this.state.podIndex.runtime(podKeyOf(pod));
      if (runtime === undefined || runtime.dead || isTerminal(pod)) continue;
      runtime.dead = true;
      if (pod.status.phase === 'Running' && !isDaemonPod(pod) && !isMirrorPod(pod)) {
        this.pods.interrupt(pod, cause, runtime.work?.endsAt);
        runtime.work = runtime.work === undefined ? undefined : { ...runtime.work, endsAt: undefined };
        runtime.workToken++;
        // A Job's pod (restartPolicy Never) fails with its node.
        if (controllerOf(pod)?.kind === 'Job') this.pods.completePod(podKeyOf(pod), 'Failed');
      }
    }
  }

  /**
   * Deallocated: the node lifecycle controller marks the node Unknown and taints it unreachable, the
   * cloud provider adds the shutdown taint, the pods on it turn NotReady, and the taint manager
   * starts counting down each pod's tolerationSeconds.
   */
  private vmDeallocated(vm: VmState): void {
    const state = this.state;
    const name = vm.computerName;
    const node = state.store.get<Node>('Node', undefined, name);
    if (node === undefined) return;
    const now = state.now();
    this.writes.writeObject(NODES, node, stoppedNode(node, formatTime(now)));
    const unreachable: Taint = { key: UNREACHABLE_TAINT, effect: 'NoExecute' };
    for (const pod of state.podsOnNode(name)) {
      const key = podKeyOf(pod);
      if (isTerminal(pod)) continue;
      this.writes.updatePod(key, (p) => markNotReady(p, formatTime(now)));
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      // The taint manager: a pod that does not tolerate the NoExecute taint is evicted at once,
      // one that tolerates it for tolerationSeconds (300 by default) after that.
      const toleration = (pod.spec.tolerations ?? []).find((t) => toleratesTaint([t], unreachable));
      if (toleration !== undefined && toleration.tolerationSeconds === undefined) continue;
      const uid = pod.metadata.uid;
      const evict = (): void => {
        const current = state.store.getByKey<Pod>('Pod', key);
        if (
          current === undefined ||
          current.metadata.uid !== uid ||
          current.metadata.deletionTimestamp !== undefined ||
          isTerminal(current)
        )
          return;
        if (state.nodeUp(current.spec.nodeName)) return;
        this.pods.deletePod(key, undefined, 'DeletionByTaintManager');
      };
      state.timeline.schedule(now + Math.max(0, toleration?.tolerationSeconds ?? 0) * 1000, evict);
    }
  }

  /** A node object goes: the pod garbage collector force-deletes what was bound to it. */
  deleteNode(name: string, cause: 'vm-deleted' | 'node-deleted'): DeepReadonly<Node> {
    const state = this.state;
    const node = state.store.get<Node>('Node', undefined, name);
    if (node === undefined) throw notFound(NODES, name);
    for (const pod of state.podsOnNode(name)) {
      const runtime = state.podIndex.runtime(podKeyOf(pod));
      if (
        cause === 'node-deleted' &&
        runtime !== undefined &&
        !runtime.dead &&
        pod.status.phase === 'Running' &&
        !isDaemonPod(pod) &&
        !isMirrorPod(pod)
      ) {
        this.pods.interrupt(pod, cause, runtime.work?.endsAt);
      }
      this.writes.removeObject('Pod', pod as Pod, false);
    }
    state.store.remove('Node', undefined, name);
    state.podIndex.forgetNode(name);
    state.dirtyNodes.delete(name);
    state.schedulingNeeded = true;
    return node;
  }
}
