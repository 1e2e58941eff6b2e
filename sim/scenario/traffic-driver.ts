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

export class TrafficDriver {
  private readonly random: SeededRandom;
  private jobIndex = 0;
  private batchIndex = 0;
  private batchNumber = 0;
  private readonly mdmWindow: number[] = [];
  /** MDM's replicas as the HPA last set them. */
  mdmReplicas: number;

  constructor(
    private readonly cluster: SimCluster,
    private readonly traffic: Traffic,
    private readonly shape: WorkloadShape,
    private readonly mainQueue: SimJobQueue,
    private readonly priorityQueue: SimJobQueue,
    seed: number,
  ) {
    this.random = new SeededRandom(seed ^ 0x5eed);
    this.mdmReplicas = mdmReplicasFor(traffic.mdmRps[0] ?? 0, shape);
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
      cluster.setPodWork({ namespace: NAMESPACE, name: created.metadata.name }, { runsForMs: traffic.batchRunMs, then: 'succeed', onSigterm: 'ignore' });
    }
  }

  private scaleMdm(i: number): void {
    const stepMs = this.traffic.stepMs;
    const desired = mdmReplicasFor(this.traffic.mdmRps[i] ?? 0, this.shape);
    this.mdmWindow.push(desired);
    if (this.mdmWindow.length > Math.round((5 * MINUTE) / stepMs)) this.mdmWindow.shift();
    // HPA: up at once, down to the highest recommendation of the last 5 minutes, and not at all
    // within its 10 % tolerance.
    const target = Math.max(...this.mdmWindow);
    if (target !== this.mdmReplicas && Math.abs(target / this.mdmReplicas - 1) > 0.1) {
      this.cluster.replaceScale({ namespace: NAMESPACE, name: 'mdm' }, { spec: { replicas: target } });
      this.mdmReplicas = target;
    }
  }
}
