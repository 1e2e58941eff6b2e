// 13. SIGKILL comes terminationGracePeriodSeconds after SIGTERM: a grace shorter than the work (30 s
// when unset) kills the unit of work in progress. The work's length comes from our
// expected-duration annotation; a queue worker whose length nobody declared is asked to declare it.

import { EXPECTED_DURATION, graceSeconds, isQueueWorker, workLength } from '../context';
import { formatDuration } from '../../duration';
import { atTemplate, fixTarget, specPath } from '../workloads';
import { isEvicted, somePods, verdicts, type Check } from './kit';

/** Time to hand a message back or write a checkpoint after the work: added to the work for the fix. */
const MARGIN_SEC = 30;

export const graceShorterThanWork: Check = {
  info: {
    number: 13,
    id: 'grace-shorter-than-work',
    title: 'terminationGracePeriodSeconds unset or shorter than the work',
    severity: 'not-graceful',
    help: `Every disrupter sends SIGTERM and, terminationGracePeriodSeconds later (30 s when unset), SIGKILL. A worker whose unit of work runs longer loses it in every drain. Declare how long the work runs (${EXPECTED_DURATION}: "45m" on the pod template) and give the pods a grace period that covers it, or make the work short (check 20). Checked for workloads that declare the length and for queue workers (graceful-scaler's worker policy, or pods publishing graceful-scaler.io/busy); Jobs are checks 11, 12 and 19.`,
  },
  workload(w, ctx) {
    if (!isEvicted(w) || w.job) return [];
    const grace = graceSeconds(w);
    const length = workLength(ctx, w);
    const worker = isQueueWorker(ctx, w);
    if (length ? length.seconds <= grace.value : !(worker && !grace.set)) return [];
    const want = length ? Math.ceil(length.seconds) + MARGIN_SEC : ctx.settings.caMaxGracefulTerminationSec;
    const disrupts = ['disrupts', `SIGKILL after ${grace.value} s: the work in progress is lost`] as ['disrupts', string];
    return [
      {
        message: length
          ? `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} runs work of ${formatDuration(length.seconds * 1000)} (${length.source}) but has ${grace.value} s to stop${grace.set ? '' : ' (unset: the default)'}`
          : `queue worker ${w.ref.kind} ${w.ref.namespace}/${w.ref.name} has the default 30 s to stop, and the length of its work is not declared`,
        evidence: [
          { path: specPath(w, 'terminationGracePeriodSeconds'), value: grace.set ? grace.value : null },
          ...(length
            ? [
                {
                  path: length.path,
                  value: length.value ?? formatDuration(length.seconds * 1000),
                  ...(length.object ? { object: length.object } : {}),
                },
              ]
            : []),
        ],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': disrupts,
          'cluster-autoscaler': disrupts,
          karpenter: disrupts,
          descheduler: disrupts,
          drain: disrupts,
        }),
        fix: {
          type: 'strategic',
          target: fixTarget(w),
          patch: atTemplate(w, { spec: { terminationGracePeriodSeconds: want } }),
          description: length
            ? `a grace period covering the work plus ${MARGIN_SEC} s`
            : `a grace period of ${want} s (cluster-autoscaler's cap); declare the work's length with ${EXPECTED_DURATION} and size it to that`,
        },
      },
    ];
  },
};
