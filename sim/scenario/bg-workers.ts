// The BG workers at work: each ready worker takes jobs from the queues (the priority queue first),
// short jobs back to back inside a step, a long one declared to the kubelet as the pod's work and
// marked busy on the pod; a worker that dies with its job gives the message back. Records each
// job's wait for the report.

import { BUSY } from '../../core/annotations';
import type { SimCluster } from '../model/cluster';
import type { DeepReadonly, Pod } from '../model/objects';
import { PODS } from '../model/resources';
import type { SimJobQueue } from './in-process-ports';
import { StoreMirror } from './store-mirror';
import { NAMESPACE } from './world';

interface Busy {
  /** The pod's namespace and name: it is looked up again when it is no longer among the BG pods. */
  namespace: string;
  name: string;
  uid: string;
  jobId: number;
  queue: SimJobQueue;
  endsAt: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

export class BgWorkers {
  /** Jobs whose worker died with them: the message reappeared. */
  interrupted = 0;
  private readonly busy = new Map<string, Busy>();
  private waits = new Float64Array(1024);
  private waitCount = 0;
  private windowMaxWait = 0;
  private readonly interruptedUids = new Set<string>();
  // The BG pods in the order a walk over every pod meets them (which worker takes which job
  // depends on it), kept on every write rather than found by that walk each step.
  private readonly bgPods: StoreMirror<DeepReadonly<Pod>, { key: string; pod: DeepReadonly<Pod> }>;

  constructor(
    private readonly cluster: SimCluster,
    private readonly mainQueue: SimJobQueue,
    private readonly priorityQueue: SimJobQueue,
    private readonly stepMs: number,
  ) {
    cluster.subscribe({
      interrupted: (i) => {
        this.interruptedUids.add(i.uid);
      },
    });
    const bgSelector = (pod: DeepReadonly<Pod>) => pod.metadata.namespace === NAMESPACE && pod.metadata.labels?.app === 'bg';
    this.bgPods = new StoreMirror<DeepReadonly<Pod>, { key: string; pod: DeepReadonly<Pod> }>(cluster, 'Pod', bgSelector, (pod, key) => ({
      key,
      pod,
    }));
  }

  /** Jobs taken so far (each with its wait). */
  get jobs(): number {
    return this.waitCount;
  }

  /** The longest wait (seconds) of the jobs taken since the previous call. */
  takeWindowMaxWait(): number {
    const max = this.windowMaxWait;
    this.windowMaxWait = 0;
    return max;
  }

  /** The median and 95th percentile of the jobs' waits, in seconds. */
  waitPercentiles(): { p50: number; p95: number } {
    const sorted = this.waits.slice(0, this.waitCount).sort();
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
  }

  /** Jobs still waiting at the end count with the wait they have had so far. */
  drainWaiting(queues: Iterable<SimJobQueue>, end: number): void {
    for (const q of queues) {
      for (let job = q.dequeue(); job !== undefined; job = q.dequeue()) this.recordWait(end - job.enqueuedAt);
    }
  }

  run(now: number): void {
    const { cluster, busy } = this;
    // The list is a snapshot: the patches below make the next call build a new one.
    for (const { key, pod } of this.bgPods.views()) {
      const current = busy.get(key);
      if (current !== undefined) {
        if (current.uid !== pod.metadata.uid || this.interruptedUids.has(current.uid)) {
          // The worker died with its job (VM stopped, grace period ended): the message reappears.
          current.queue.giveBack(current.jobId);
          busy.delete(key);
          this.interrupted++;
        } else if (current.endsAt <= now) {
          current.queue.complete(current.jobId);
          busy.delete(key);
        } else continue;
      }
      const terminal = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
      if (terminal) continue;
      const ready = pod.status.phase === 'Running' && pod.metadata.deletionTimestamp === undefined;
      if (!ready) continue;
      const long = this.takeJobs(pod, now);
      if (long !== undefined) {
        busy.set(key, long);
        cluster.setPodWork(
          { namespace: pod.metadata.namespace, name: pod.metadata.name },
          { endsAt: long.endsAt, then: 'idle', onSigterm: 'finish-work' },
        );
        this.setBusy(pod, true);
      } else this.setBusy(pod, false);
    }
    for (const [key, current] of busy) {
      // Workers gone without being seen above (deleted between steps).
      const pod = cluster.pod(current.namespace, current.name);
      if (pod === undefined || pod.metadata.uid !== current.uid) {
        if (current.endsAt <= now && !this.interruptedUids.has(current.uid)) current.queue.complete(current.jobId);
        else {
          current.queue.giveBack(current.jobId);
          this.interrupted++;
        }
        busy.delete(key);
      }
    }
  }

  /** Take jobs until one outlasts this step: short jobs run back to back inside the step. Returns the long one. */
  private takeJobs(pod: DeepReadonly<Pod>, now: number): Busy | undefined {
    let t = now;
    for (;;) {
      const queue = this.priorityQueue.visibleCount > 0 ? this.priorityQueue : this.mainQueue;
      const job = queue.dequeue();
      if (job === undefined) return undefined;
      this.recordWait(Math.max(0, t - job.enqueuedAt));
      t += job.durationMs;
      if (t - now >= this.stepMs) {
        return { namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, jobId: job.id, queue, endsAt: t };
      }
      queue.complete(job.id);
    }
  }

  private setBusy(pod: DeepReadonly<Pod>, value: boolean): void {
    if ((pod.metadata.annotations?.[BUSY] === 'true') === value) return;
    this.cluster.patch(
      PODS,
      { namespace: pod.metadata.namespace, name: pod.metadata.name },
      { metadata: { annotations: { [BUSY]: value ? 'true' : 'false' } } },
      'merge',
    );
  }

  private recordWait(ms: number): void {
    if (this.waitCount === this.waits.length) {
      const grown = new Float64Array(this.waits.length * 2);
      grown.set(this.waits);
      this.waits = grown;
    }
    this.waits[this.waitCount++] = ms / 1000;
    this.windowMaxWait = Math.max(this.windowMaxWait, ms / 1000);
  }
}
