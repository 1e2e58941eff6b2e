// 19. An Indexed Job by default replaces an evicted pod as soon as it starts terminating, so two pods
// of one index may run at once, and every eviction counts against the Job's one backoffLimit.

import { atJob } from '../workloads';
import { jobVerdicts, somePods, type Check } from './kit';

export const indexedJobReplacement: Check = {
  info: {
    number: 19,
    id: 'indexed-job-replacement',
    title: 'Indexed Job without podReplacementPolicy: Failed or backoffLimitPerIndex',
    severity: 'not-graceful',
    help: "An Indexed Job creates the replacement of an evicted pod as soon as the old one is terminating (podReplacementPolicy TerminatingOrFailed, the default without a podFailurePolicy): two pods of the same index run at once while the old one shuts down. podReplacementPolicy: Failed waits for the old pod to finish (Kubernetes >= 1.29 beta); backoffLimitPerIndex (>= 1.29 beta, GA 1.33) keeps one index's failures from failing the others. Job specs are immutable: change the manifest or the CronJob's jobTemplate.",
  },
  workload(w) {
    const job = w.job;
    if (!job || job.spec.completionMode !== 'Indexed') return [];
    if (job.spec.podReplacementPolicy === 'Failed' || job.spec.backoffLimitPerIndex !== undefined) return [];
    return [
      {
        message: `Indexed ${w.ref.kind} ${w.ref.namespace}/${w.ref.name}: an evicted index is replaced while it still terminates`,
        evidence: [
          { path: `${job.path}.completionMode`, value: 'Indexed' },
          { path: `${job.path}.podReplacementPolicy`, value: job.spec.podReplacementPolicy ?? null },
          { path: `${job.path}.backoffLimitPerIndex`, value: null },
        ],
        pods: somePods(w),
        verdicts: jobVerdicts('its replacement starts while the evicted pod of the same index still runs'),
        fix: {
          type: 'merge',
          target: w.ref,
          patch: atJob(w, { podReplacementPolicy: 'Failed' }),
          description: 'start a replacement only once the evicted pod has finished',
        },
      },
    ];
  },
};
