// The traffic applied to the cluster at each step: BG job arrivals on the queues (one in twenty on
// the priority queue), the daily batch Job's pod on the protected pool, and MDM's replicas following
// the request rate as its HorizontalPodAutoscaler would.

import type { SimCluster } from '../model/cluster';
import { PODS } from '../model/resources';
import { SeededRandom } from '../model/random';
import { jobPodObject } from '../model/workloads';
import type { SimJobQueue } from './in-process-ports';
import { MINUTE, type Traffic } from './traffic';
import { BATCH_LABEL, mdmReplicasFor, NAMESPACE, type WorkloadShape } from './world';

/**
 * MDM's HorizontalPodAutoscaler on the request rate: up at once, down to the highest recommendation
 * of the last 5 minutes, and not at all within its 10 % tolerance. A function of the traffic alone,
 * so every strategy (and the oracle bound) sees the same replicas.
 */
export class MdmHpa {
  private readonly window: number[] = [];
  /** The replicas as the HPA last set them. */
  replicas: number;

  constructor(
    private readonly traffic: Traffic,
    private readonly shape: WorkloadShape,
  ) {
    this.replicas = mdmReplicasFor(traffic.mdmRps[0] ?? 0, shape);
  }

  /** Step `i`'s recommendation; true when the replicas changed. */
  step(i: number): boolean {
    const desired = mdmReplicasFor(this.traffic.mdmRps[i] ?? 0, this.shape);
    this.window.push(desired);
    if (this.window.length > Math.round((5 * MINUTE) / this.traffic.stepMs)) this.window.shift();
    const target = Math.max(...this.window);
    if (target === this.replicas || Math.abs(target / this.replicas - 1) <= 0.1) return false;
    this.replicas = target;
    return true;
  }
}

export class TrafficDriver {
  private readonly random: SeededRandom;
  private jobIndex = 0;
  private batchIndex = 0;
  private batchNumber = 0;
  private readonly hpa: MdmHpa;

  constructor(
    private readonly cluster: SimCluster,
    private readonly traffic: Traffic,
    shape: WorkloadShape,
    private readonly mainQueue: SimJobQueue,
    private readonly priorityQueue: SimJobQueue,
    seed: number,
  ) {
    this.random = new SeededRandom(seed ^ 0x5eed);
    this.hpa = new MdmHpa(traffic, shape);
  }

  /** MDM's replicas as the HPA last set them. */
  get mdmReplicas(): number {
    return this.hpa.replicas;
  }

  /** Applies step `i` (at `now`) of the traffic. */
  apply(i: number, now: number): void {
    this.enqueueJobs(now);
    this.startBatchJobs(now);
    this.scaleMdm(i);
  }

  private enqueueJobs(now: number): void {
    const allJobs = this.traffic.jobs;
    while (this.jobIndex < allJobs.length && allJobs[this.jobIndex]!.at <= now) {
      const job = allJobs[this.jobIndex++]!;
      (this.random.next() < 0.05 ? this.priorityQueue : this.mainQueue).enqueue(job.at, job.durationMs);
    }
  }

  private startBatchJobs(now: number): void {
    const { traffic, random, cluster } = this;
    while (this.batchIndex < traffic.batchStarts.length && traffic.batchStarts[this.batchIndex]! <= now) {
      this.batchIndex++;
      this.batchNumber++;
      const pod = jobPodObject(
        {
          job: `clomo-daily-batch-${29_012_340 + this.batchNumber}`,
          namespace: NAMESPACE,
          cpu: '1500m',
          memory: '6Gi',
          nodeSelector: { [BATCH_LABEL]: 'true' },
          tolerations: [{ key: BATCH_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
          grace: 30,
        },
        random.safeString(5),
        random.uuid(),
      );
      const created = cluster.create(PODS, pod, NAMESPACE);
      cluster.setPodWork(
        { namespace: NAMESPACE, name: created.metadata.name },
        { runsForMs: traffic.batchRunMs, then: 'succeed', onSigterm: 'ignore' },
      );
    }
  }

  private scaleMdm(i: number): void {
    if (this.hpa.step(i)) this.cluster.replaceScale({ namespace: NAMESPACE, name: 'mdm' }, { spec: { replicas: this.hpa.replicas } });
  }
}
