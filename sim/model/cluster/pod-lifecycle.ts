// Pods on their node, as the kubelet runs them: binding, start (Running, Ready), the work a pod
// declares and its end, graceful termination (SIGTERM, grace period, removal) and the record of
// work cut short. Deletion of a pod through the API comes here too.

import { notFound } from '../api-errors';
import { formatTime, parseTime } from '../clock';
import { objectKey } from '../object-store';
import { cloneJson, controllerOf, isPodReady, isTerminal, type Condition, type DeepReadonly, type Node, type Pod } from '../objects';
import type { PodRuntime, PodWork } from '../pod-index';
import { markFinished, markNotReady, markReady, markRunning, markScheduled, markTerminating, type DisruptionReason } from '../pod-status';
import { PODS } from '../resources';
import { isDaemonPod, type ClusterState, type Interruption } from './state';
import type { StoreWrites } from './writes';

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

export class PodLifecycle {
  private nextIp = 0;
  private readonly conditionCache = new Map<string, Condition>();
  private conditionCacheTime = '';

  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
  ) {}

  /** Sets the work a pod is doing (see PodWork); the simulator's hook into the kubelet. */
  setWork(ref: { namespace: string; name: string }, work: PodWork): void {
    const key = objectKey(ref.namespace, ref.name);
    const pod = this.state.store.getByKey<Pod>('Pod', key);
    const runtime = this.state.podIndex.runtime(key);
    if (pod === undefined || runtime === undefined) throw notFound(PODS, ref.name);
    runtime.work = { ...work };
    runtime.workToken++;
    if (runtime.work.endsAt === undefined && runtime.work.runsForMs !== undefined && pod.status.phase === 'Running') {
      runtime.work.endsAt = this.state.now() + runtime.work.runsForMs;
    }
    this.scheduleWork(key, runtime);
    if (pod.metadata.deletionTimestamp !== undefined) this.scheduleTermination(key, runtime);
  }

  /**
   * What a readiness probe reports: the kubelet sets the pod's Ready and ContainersReady conditions
   * (a running pod only). The simulator's hook for a sick or overloaded replica.
   */
  setReady(ref: { namespace: string; name: string }, ready: boolean): void {
    const key = objectKey(ref.namespace, ref.name);
    const pod = this.state.store.getByKey<Pod>('Pod', key);
    if (pod === undefined) throw notFound(PODS, ref.name);
    if (pod.status.phase !== 'Running' || isPodReady(pod) === ready) return;
    const now = formatTime(this.state.now());
    this.writes.updatePod(key, (p) => (ready ? markReady(p, now, false) : markNotReady(p, now, 'ContainersNotReady')));
  }

  work(namespace: string, name: string): Readonly<PodWork> | undefined {
    const work = this.state.podIndex.runtime(objectKey(namespace, name))?.work;
    return work === undefined ? undefined : { ...work };
  }

  bindPod(key: string, node: string): void {
    const now = formatTime(this.state.now());
    // Settling: the kubelet starts the pod in the same write that binds it (half the writes).
    const startNow = this.state.instant && this.state.nodeUp(node);
    const pod = this.writes.updatePod(key, (p) => {
      markScheduled(p, node, now);
      if (startNow) this.markRunningNow(p);
    });
    if (pod === undefined) return;
    if (startNow) this.afterStart(key);
    else this.scheduleStart(key, pod.metadata.uid);
  }

  scheduleStart(key: string, uid: string): void {
    if (this.state.instant) this.startPod(key, uid);
    else this.state.timeline.schedule(this.state.now() + this.state.durations.podStartMs, () => this.startPod(key, uid));
  }

  /** The kubelet runs the pod (once its node is up): Running, Ready. */
  private startPod(key: string, uid: string): void {
    const pod = this.state.store.getByKey<Pod>('Pod', key);
    if (pod === undefined || pod.metadata.uid !== uid || pod.status.phase !== 'Pending' || pod.metadata.deletionTimestamp !== undefined)
      return;
    if (!this.state.nodeUp(pod.spec.nodeName)) return;
    this.writes.updatePod(key, (p) => this.markRunningNow(p));
    this.afterStart(key);
  }

  markRunningNow(p: Pod): void {
    const node = this.state.store.get<Node>('Node', undefined, p.spec.nodeName ?? '');
    const hostIP = node?.status.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const now = formatTime(this.state.now());
    // DaemonSet pods of AKS use the host network; others get an Azure CNI address from the subnet.
    const podIP = isDaemonPod(p) && hostIP !== undefined ? hostIP : this.nextPodIp();
    markRunning(p, now, { hostIP, podIP }, (type) => this.trueCondition(type, now));
  }

  /**
   * `{type, status: 'True', lastTransitionTime: now}`, one object per type and second shared by all
   * pods that start then (conditions are replaced, never edited, so sharing is safe).
   */
  private trueCondition(type: string, now: string): Condition {
    if (this.conditionCacheTime !== now) {
      this.conditionCache.clear();
      this.conditionCacheTime = now;
    }
    return getOrAdd(
      this.conditionCache,
      type,
      () => Object.freeze({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now }) as Condition,
    );
  }

  /** Work declared as a duration starts counting when the pod runs. */
  private afterStart(key: string): void {
    const runtime = this.state.podIndex.runtime(key);
    if (runtime?.work !== undefined && runtime.work.endsAt === undefined && runtime.work.runsForMs !== undefined) {
      runtime.work.endsAt = this.state.now() + runtime.work.runsForMs;
      runtime.workToken++;
      this.scheduleWork(key, runtime);
    }
  }

  private nextPodIp(): string {
    const n = this.nextIp++;
    return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 4}`;
  }

  private scheduleWork(key: string, runtime: PodRuntime): void {
    const endsAt = runtime.work?.endsAt;
    if (endsAt === undefined) return;
    const token = runtime.workToken;
    const uid = runtime.uid;
    this.state.timeline.schedule(endsAt, () => this.workEnded(key, uid, token));
  }

  private workEnded(key: string, uid: string, token: number): void {
    const runtime = this.state.podIndex.runtime(key);
    const pod = this.state.store.getByKey<Pod>('Pod', key);
    if (runtime === undefined || pod === undefined || runtime.uid !== uid || runtime.workToken !== token || runtime.dead) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.finishTermination(key, uid);
      return;
    }
    if (pod.status.phase !== 'Running') return;
    if (runtime.work?.then === 'succeed') {
      runtime.work = { ...runtime.work, endsAt: undefined };
      this.completePod(key, 'Succeeded');
    } else if (runtime.work !== undefined) {
      runtime.work = { ...runtime.work, endsAt: undefined };
    }
    const after = this.state.store.getByKey<Pod>('Pod', key);
    if (after !== undefined) for (const listener of this.state.listeners) listener.workEnded?.(after);
  }

  completePod(key: string, phase: 'Succeeded' | 'Failed'): void {
    const now = formatTime(this.state.now());
    this.writes.updatePod(key, (p) => markFinished(p, phase, now));
  }

  /**
   * Graceful deletion: deletionTimestamp = now + grace, SIGTERM to the process, the pod removed
   * when it exits or the grace runs out. A pod that never ran on a node, or has finished, goes at once.
   */
  /** What deletePod would answer, without deleting (a dry run): the pod as it would be Terminating, or as it is when it would go at once. */
  previewDelete(pod: Pod, graceSeconds: number | undefined): Pod {
    const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const bound = pod.spec.nodeName !== undefined && pod.spec.nodeName !== '';
    if (!bound || isTerminal(pod) || grace === 0 || pod.metadata.deletionTimestamp !== undefined) return pod;
    const preview = cloneJson(pod);
    markTerminating(preview, formatTime(this.state.now() + grace * 1000), grace, undefined, formatTime(this.state.now()));
    return preview;
  }

  deletePod(key: string, graceSeconds: number | undefined, disruption?: DisruptionReason): Pod {
    const pod = this.state.store.getByKey<Pod>('Pod', key)!;
    const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const bound = pod.spec.nodeName !== undefined && pod.spec.nodeName !== '';
    if (!bound || isTerminal(pod) || grace === 0) {
      this.writes.removeObject('Pod', pod, false);
      return pod;
    }
    const now = this.state.now();
    const deadline = now + grace * 1000;
    const current = pod.metadata.deletionTimestamp !== undefined ? parseTime(pod.metadata.deletionTimestamp) : undefined;
    // A second delete may only shorten the grace period.
    if (current !== undefined && current <= deadline) return pod;
    const next = this.writes.updatePod(key, (p) =>
      markTerminating(p, formatTime(deadline), grace, disruption, formatTime(this.state.now())),
    )!;
    const runtime = this.state.podIndex.runtime(key)!;
    runtime.sigtermAt ??= this.state.now();
    this.scheduleTermination(key, runtime);
    return next;
  }

  /** When the kubelet will see the process gone: by its SIGTERM behaviour, never after the deadline. */
  private plannedExit(pod: Pod, runtime: PodRuntime): number {
    const now = this.state.now();
    const deadline = parseTime(pod.metadata.deletionTimestamp!) ?? now;
    if (pod.status.phase !== 'Running' || runtime.dead) return Math.min(now, deadline);
    const prompt = (runtime.sigtermAt ?? now) + this.state.durations.sigtermExitMs;
    const behaviour = runtime.work?.onSigterm ?? 'exit';
    const exit = behaviour === 'ignore' ? deadline : behaviour === 'finish-work' ? (runtime.work?.endsAt ?? prompt) : prompt;
    return Math.min(exit, deadline);
  }

  private scheduleTermination(key: string, runtime: PodRuntime): void {
    const pod = this.state.store.getByKey<Pod>('Pod', key);
    if (pod === undefined || pod.metadata.deletionTimestamp === undefined) return;
    const uid = runtime.uid;
    this.state.timeline.schedule(this.plannedExit(pod, runtime), () => this.finishTermination(key, uid));
  }

  private finishTermination(key: string, uid: string): void {
    const pod = this.state.store.getByKey<Pod>('Pod', key);
    const runtime = this.state.podIndex.runtime(key);
    if (pod === undefined || runtime === undefined || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp === undefined) return;
    // With its node down nobody reports the pod gone: it stays Terminating until the node is back.
    if (!this.state.nodeUp(pod.spec.nodeName)) return;
    const now = this.state.now();
    if (this.plannedExit(pod, runtime) > now) return;
    const endsAt = runtime.work?.endsAt;
    if (endsAt !== undefined && endsAt > now && pod.status.phase === 'Running') this.interrupt(pod, 'grace-period-expired', endsAt);
    this.writes.removeObject('Pod', pod, false);
  }

  /** Records a pod whose work was cut short and tells the listeners. */
  interrupt(pod: DeepReadonly<Pod>, cause: Interruption['cause'], workEndsAt: number | undefined): void {
    const owner = controllerOf(pod);
    const record: Interruption = {
      at: this.state.now(),
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      node: pod.spec.nodeName,
      owner: owner === undefined ? undefined : { kind: owner.kind, name: owner.name },
      cause,
      workEndsAt,
    };
    this.state.interruptions.push(record);
    for (const listener of this.state.listeners) listener.interrupted?.(record);
  }
}
