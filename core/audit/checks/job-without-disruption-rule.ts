// 11. Unless the Job ignores DisruptionTarget in its podFailurePolicy, every eviction counts as a
// failure against backoffLimit: a few node drains fail the Job.

import { atJob, atTemplate, specPath } from '../workloads';
import { jobVerdicts, mergeObjects, somePods, type Check } from './kit';

const IGNORE_DISRUPTION = { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] };

export const jobWithoutDisruptionRule: Check = {
  info: {
    number: 11,
    id: 'job-without-disruption-rule',
    title: 'Job without a podFailurePolicy rule Ignore on DisruptionTarget',
    severity: 'not-graceful',
    help: "A Job counts a pod evicted by a drain, a preemption or a taint as a failure against backoffLimit, unless its podFailurePolicy has a rule with action Ignore on the DisruptionTarget pod condition (Kubernetes >= 1.26). Add that rule (podFailurePolicy needs restartPolicy: Never). Job specs are immutable: change the manifest or the CronJob's jobTemplate; the next run takes it.",
  },
  workload(w) {
    if (!w.job) return [];
    const rules = w.job.spec.podFailurePolicy?.rules ?? [];
    const ignores = rules.some(
      (r) =>
        r.action === 'Ignore' && (r.onPodConditions ?? []).some((c) => c.type === 'DisruptionTarget' && (c.status ?? 'True') === 'True'),
    );
    if (ignores) return [];
    const backoff = w.job.spec.backoffLimit ?? 6;
    const restart = w.template.spec.restartPolicy;
    const patch = mergeObjects(
      atJob(w, { podFailurePolicy: { rules: [IGNORE_DISRUPTION, ...rules] } }),
      restart === 'Never' ? {} : atTemplate(w, { spec: { restartPolicy: 'Never' } }),
    );
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name}: each eviction counts as a failure against backoffLimit ${backoff}${w.job.spec.backoffLimit === undefined ? ' (default)' : ''}`,
        evidence: [
          { path: `${w.job.path}.podFailurePolicy`, value: w.job.spec.podFailurePolicy ?? null },
          { path: `${w.job.path}.backoffLimit`, value: w.job.spec.backoffLimit ?? null },
          { path: specPath(w, 'restartPolicy'), value: restart ?? null },
        ],
        pods: somePods(w),
        verdicts: jobVerdicts(`evicts it; the eviction counts against backoffLimit ${backoff}`),
        fix: {
          type: 'merge',
          target: w.ref,
          patch,
          description:
            'ignore disruptions in the failure count (the merge patch replaces the rules list: existing rules are kept after the new one)',
        },
      },
    ];
  },
};
