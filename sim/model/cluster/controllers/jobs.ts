// The Job controller (batch/v1) for Jobs created through the API (`kubectl create job`, `apply`):
// pods from the template up to `parallelism` until `completions` have succeeded, a Failed
// condition past `backoffLimit`, and the status `kubectl get jobs` prints (active, succeeded,
// start and completion times, conditions).
//
// The simulated kubelet runs no containers, so a Job's pod works for the seconds of a
// `sleep <seconds>` command when it has one, JOB_POD_DEFAULT_RUN_MS otherwise, then succeeds.
// Jobs stored otherwise (imported from a dump, the simulator's Job pods without a Job object) are
// left as they are: their pods tell their story.

import { formatTime } from '../../clock';
import { objectKey } from '../../object-store';
import { cloneJson, isTerminal, setCondition, type Condition, type KubeObject, type Pod, type ReplicaSet } from '../../objects';
import { PODS } from '../../resources';
import { podFromTemplate } from '../../workloads';
import type { PodLifecycle } from '../pod-lifecycle';
import type { ClusterState } from '../state';
import { withStatus, type StoreWrites } from '../writes';

export const JOB_POD_DEFAULT_RUN_MS = 30_000;

interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  template: ReplicaSet['spec']['template'];
}

type Job = KubeObject & { spec: JobSpec; status?: Record<string, unknown> & { conditions?: Condition[] } };

/** `sleep 45`, `sh -c "sleep 45"`: how long the command keeps the container busy. */
function runMsOf(template: JobSpec['template']): number {
  for (const container of template.spec.containers) {
    const words = [...((container.command as string[] | undefined) ?? []), ...((container.args as string[] | undefined) ?? [])].join(' ');
    const match = /(?:^|\s|")sleep\s+(\d+(?:\.\d+)?)/.exec(words);
    if (match !== null) return Number(match[1]) * 1000;
  }
  return JOB_POD_DEFAULT_RUN_MS;
}

export class JobController {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
    private readonly pods: PodLifecycle,
  ) {}

  sync(): void {
    const state = this.state;
    const keys = [...state.dirtyJobs];
    state.dirtyJobs.clear();
    for (const key of keys) {
      const job = state.store.getByKey<Job>('Job', key);
      if (job === undefined || !state.managedJobs.has(job.metadata.uid)) continue;
      this.syncJob(job);
    }
  }

  private syncJob(job: Job): void {
    const state = this.state;
    const now = formatTime(state.now());
    const conditions = cloneJson(job.status?.conditions ?? []);
    if (conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) return;
    const owned = state.podsByKeys(state.podIndex.ownedBy(job.metadata.uid));
    const succeeded = owned.filter((p) => p.status.phase === 'Succeeded').length;
    const failed = owned.filter((p) => p.status.phase === 'Failed').length;
    const active = owned.filter((p) => !isTerminal(p) && p.metadata.deletionTimestamp === undefined);
    const completions = job.spec.completions ?? 1;
    const parallelism = job.spec.parallelism ?? 1;
    const status: Record<string, unknown> = { startTime: job.status?.startTime ?? now };
    let running = active.length;
    if (failed > (job.spec.backoffLimit ?? 6)) {
      for (const pod of active) this.pods.deletePod(objectKey(pod.metadata.namespace, pod.metadata.name), undefined);
      running = 0;
      setCondition(conditions, {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        lastTransitionTime: now,
        lastProbeTime: now,
      });
    } else if (succeeded >= completions) {
      setCondition(conditions, {
        type: 'SuccessCriteriaMet',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
        lastTransitionTime: now,
        lastProbeTime: now,
      });
      setCondition(conditions, {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
        lastTransitionTime: now,
        lastProbeTime: now,
      });
      status.completionTime = now;
    } else {
      for (let i = active.length; i < Math.min(parallelism, completions - succeeded); i++) this.createPod(job);
      running = Math.min(parallelism, completions - succeeded);
    }
    if (running > 0) status.active = running;
    if (succeeded > 0) status.succeeded = succeeded;
    if (failed > 0) status.failed = failed;
    status.ready = active.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (conditions.length > 0) status.conditions = conditions;
    status.uncountedTerminatedPods = {};
    const latest = state.store.getByKey<Job>('Job', objectKey(job.metadata.namespace, job.metadata.name))!;
    if (JSON.stringify(latest.status) !== JSON.stringify(status)) state.store.put('Job', withStatus(latest, status));
  }

  private createPod(job: Job): void {
    const namespace = job.metadata.namespace ?? 'default';
    let name: string;
    do name = `${job.metadata.name}-${this.state.random.safeString(5)}`;
    while (this.state.store.get('Pod', namespace, name) !== undefined);
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, namespace };
    const created = this.writes.createObject(PODS, podFromTemplate(owner, job.spec.template, name)) as Pod;
    this.pods.setWork(
      { namespace, name: created.metadata.name },
      { then: 'succeed', runsForMs: runMsOf(job.spec.template), onSigterm: 'exit' },
    );
  }
}
