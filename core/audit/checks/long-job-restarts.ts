// 12. A long Job that an eviction restarts from zero: the seed's 20-hour batch lost its day that
// way. "Long" is at least the audit's longWorkSec (default 600 s, cluster-autoscaler's grace cap),
// by the first of: our expected-duration annotation, activeDeadlineSeconds, the longest finished run
// of the CronJob's Jobs, the age of a running pod.

import { annotation, RESUMABLE, workLength } from '../context';
import { atTemplate, metaPath, specPath } from '../workloads';
import { DO_NOT_DISRUPT, jobVerdicts, SAFE_TO_EVICT, somePods, type Check } from './kit';
import { formatDuration } from '../../duration';

/** Volumes that outlive the pod: a run could resume from them. */
const NOT_DURABLE = new Set(['name', 'emptyDir', 'hostPath', 'configMap', 'secret', 'projected', 'downwardAPI', 'gitRepo']);

export const longJobRestarts: Check = {
  info: {
    number: 12,
    id: 'long-job-restarts',
    title: 'Long Job that restarts from scratch when evicted',
    severity: 'not-graceful',
    help: 'A Job running longer than the disrupters\' grace (cluster-autoscaler gives at most 10 minutes, an AKS upgrade 30) cannot finish during a drain; if it is not Indexed and keeps no checkpoint (no persistent volume, no graceful-scaler.io/resumable annotation) the eviction restarts it from zero. Make it resumable (a checkpoint on a PersistentVolumeClaim, or Indexed in small pieces), or ask the disrupters to wait for it: cluster-autoscaler.kubernetes.io/safe-to-evict: "on-completion" and karpenter.sh/do-not-disrupt: "true" (an AKS upgrade still evicts it: plan upgrades between runs). Long means at least 10 minutes by graceful-scaler.io/expected-duration, activeDeadlineSeconds, the longest finished run of the CronJob, or the age of a running pod.',
  },
  workload(w, ctx) {
    if (!w.job || w.job.spec.completionMode === 'Indexed') return [];
    const length = workLength(ctx, w);
    if (!length || length.seconds < ctx.settings.longWorkSec) return [];
    if (annotation(w, RESUMABLE) === 'true') return [];
    const annotations = w.template.metadata.annotations;
    if (annotations[SAFE_TO_EVICT] === 'on-completion' && annotations[DO_NOT_DISRUPT] === 'true') return [];
    const durable = (w.template.spec.volumes ?? []).filter((v) => Object.keys(v).some((k) => !NOT_DURABLE.has(k)));
    if (durable.length > 0) return [];
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} runs ${formatDuration(length.seconds * 1000)} (${length.source}) with no checkpoint: an eviction restarts it from scratch`,
        evidence: [
          {
            path: length.path,
            value: length.value ?? formatDuration(length.seconds * 1000),
            ...(length.object ? { object: length.object } : {}),
          },
          { path: `${w.job.path}.completionMode`, value: w.job.spec.completionMode ?? 'NonIndexed' },
          { path: specPath(w, 'volumes'), value: (w.template.spec.volumes ?? []).map((v) => v.name) },
          { path: `${metaPath(w, 'annotations')}.${RESUMABLE}`, value: null },
        ],
        pods: somePods(w),
        verdicts: jobVerdicts('evicts it; the run starts again from zero'),
        fix: {
          type: 'strategic',
          target: w.ref,
          patch: atTemplate(w, { metadata: { annotations: { [SAFE_TO_EVICT]: 'on-completion', [DO_NOT_DISRUPT]: 'true' } } }),
          description:
            'let cluster-autoscaler (>= 1.36) and Karpenter wait for the run to finish; better still, checkpoint it and declare graceful-scaler.io/resumable: "true"',
        },
      },
    ];
  },
};
