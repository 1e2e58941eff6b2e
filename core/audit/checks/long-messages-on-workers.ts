// 20. A queue worker scaled by replicas holds its node for as long as its longest message: every
// scale-down and drain either waits hours or kills a message half done. A Job per message ends by
// itself, and its node can be taken as soon as it has.

import { graceSeconds, isQueueWorker, workLength } from '../context';
import { formatDuration } from '../../duration';
import { specPath } from '../workloads';
import { isEvicted, somePods, verdicts, type Check } from './kit';

export const longMessagesOnWorkers: Check = {
  info: {
    number: 20,
    id: 'long-messages-on-workers',
    title: 'Queue-fed workers scaled by replicas that run long messages',
    severity: 'not-graceful',
    help: 'A Deployment of queue workers that take a long time per message (graceful-scaler\'s worker policy, or pods publishing graceful-scaler.io/busy; long = the declared graceful-scaler.io/expected-duration or a grace period of at least 10 minutes) makes every scale-down choose between waiting for hours and killing a message half done; cluster-autoscaler and AKS upgrades do not wait that long. Run a Job per message instead (a dispatcher, or KEDA\'s ScaledJob), with a podFailurePolicy that ignores disruptions (check 11) and cluster-autoscaler.kubernetes.io/safe-to-evict: "on-completion". There is no patch for this: it is a change of design.',
  },
  workload(w, ctx) {
    if (w.shape !== 'Deployment' || !isEvicted(w) || !isQueueWorker(ctx, w)) return [];
    const length = workLength(ctx, w);
    const grace = graceSeconds(w);
    const long = ctx.settings.longWorkSec;
    const seconds = length?.seconds ?? (grace.set ? grace.value : 0);
    if (seconds < long) return [];
    const shown = formatDuration(seconds * 1000);
    return [
      {
        message: `queue worker ${w.ref.namespace}/${w.ref.name} runs messages of up to ${shown} in long-lived replicas: run a Job per message instead`,
        evidence: [
          length
            ? { path: length.path, value: length.value ?? shown }
            : { path: specPath(w, 'terminationGracePeriodSeconds'), value: grace.value },
        ],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['waits', `waits for the message in progress, holding the node up to ${shown}`],
          'cluster-autoscaler':
            seconds > ctx.settings.caMaxGracefulTerminationSec
              ? ['disrupts', `kills the message after ${ctx.settings.caMaxGracefulTerminationSec} s`]
              : ['waits', 'within its grace cap'],
          karpenter:
            ctx.karpenterGraceSec !== undefined && seconds > ctx.karpenterGraceSec
              ? ['disrupts', "the NodePool's terminationGracePeriod runs out first"]
              : ['waits', "waits the pod's grace period"],
          descheduler: ['waits', "evicts with the pod's grace: the message finishes or is killed at its end"],
          drain:
            seconds > ctx.settings.aksDrainTimeoutSec
              ? ['refuses', "an AKS upgrade's drain times out first and the upgrade stops"]
              : ['waits', 'within the AKS drain timeout'],
        }),
      },
    ];
  },
};
