// 14. A grace period longer than a disrupter will wait: cluster-autoscaler evicts with at most
// max-graceful-termination-sec (600 s), an AKS upgrade's drain gives up after drainTimeoutInMinutes
// (30), a Karpenter NodePool's terminationGracePeriod deletes the pod when it runs out.

import { graceSeconds, workLength } from '../context';
import { formatDuration } from '../../duration';
import { atTemplate, fixTarget, specPath } from '../workloads';
import { isEvicted, somePods, verdicts, type Check } from './kit';

export const graceAboveCap: Check = {
  info: {
    number: 14,
    id: 'grace-above-cap',
    title: "Grace period above a disrupter's cap",
    severity: 'not-graceful',
    help: "cluster-autoscaler evicts with min(terminationGracePeriodSeconds, max-graceful-termination-sec), 600 s by default on AKS, so the kubelet kills the pod after 10 minutes; an AKS upgrade waits drainTimeoutInMinutes (30 by default, at most 24 h) per node and then stops; Karpenter deletes the pod when its NodePool's terminationGracePeriod runs out. graceful-scaler and the descheduler honour the pod's own grace. A grace period above these caps is a promise those disrupters do not keep: make the work checkpoint or hand back within the cap (check 20), or keep those disrupters away from the pool.",
  },
  workload(w, ctx) {
    if (!isEvicted(w)) return [];
    const grace = graceSeconds(w);
    const { caMaxGracefulTerminationSec: ca, aksDrainTimeoutSec: aks } = ctx.settings;
    const karpenter = ctx.karpenterGraceSec;
    const caps = [ca, aks, ...(karpenter !== undefined ? [karpenter] : [])];
    if (grace.value <= Math.min(...caps)) return [];
    const length = workLength(ctx, w);
    const to = length && length.seconds + 30 <= ca ? Math.ceil(length.seconds) + 30 : ca;
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} asks for ${formatDuration(grace.value * 1000)} to stop; cluster-autoscaler gives ${formatDuration(ca * 1000)}${grace.value > aks ? `, an AKS upgrade drain ${formatDuration(aks * 1000)}` : ''}${karpenter !== undefined && grace.value > karpenter ? `, Karpenter ${formatDuration(karpenter * 1000)}` : ''}`,
        evidence: [{ path: specPath(w, 'terminationGracePeriodSeconds'), value: grace.value }],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['waits', `honours the ${formatDuration(grace.value * 1000)}; the node is held that long`],
          'cluster-autoscaler':
            grace.value > ca
              ? ['disrupts', `evicts with a ${ca} s grace: SIGKILL after ${formatDuration(ca * 1000)}`]
              : ['ok', 'within max-graceful-termination-sec'],
          karpenter:
            karpenter === undefined
              ? ['waits', 'no NodePool terminationGracePeriod in the dump: waits']
              : grace.value > karpenter
                ? ['disrupts', `deleted when the NodePool's terminationGracePeriod (${formatDuration(karpenter * 1000)}) runs out`]
                : ['ok', "within the NodePool's terminationGracePeriod"],
          descheduler: ['waits', "evicts with the pod's own grace"],
          drain:
            grace.value > aks
              ? [
                  'refuses',
                  `an AKS upgrade's drain times out after ${formatDuration(aks * 1000)} and the upgrade stops; kubectl drain waits`,
                ]
              : ['waits', 'within the AKS drain timeout'],
        }),
        fix: {
          type: 'strategic',
          target: fixTarget(w),
          patch: atTemplate(w, { spec: { terminationGracePeriodSeconds: to } }),
          description: `only once the work checkpoints or hands back within ${formatDuration(to * 1000)}: a grace every disrupter honours`,
        },
      },
    ];
  },
};
