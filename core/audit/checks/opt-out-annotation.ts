// 4. "Never move me": safe-to-evict=false keeps a node from cluster-autoscaler for as long as the
// pod lives, do-not-disrupt=true keeps it from Karpenter. On a pod that runs to completion that may
// be the intent (cluster-autoscaler >= 1.36 has on-completion for it); on a long-running service it
// pins the node for good.

import type { Draft } from './kit';
import { atTemplate, fixTarget, metaPath, type Workload } from '../workloads';
import { DO_NOT_DISRUPT, isEvicted, SAFE_TO_EVICT, somePods, verdicts, type Check } from './kit';

/** A Job's pod, or a bare pod that does not restart: it ends by itself. */
function runsToCompletion(w: Workload): boolean {
  return (
    w.shape === 'Job' ||
    w.shape === 'CronJob' ||
    (w.shape === 'Pod' && w.template.spec.restartPolicy !== undefined && w.template.spec.restartPolicy !== 'Always')
  );
}

export const optOutAnnotation: Check = {
  info: {
    number: 4,
    id: 'opt-out-annotation',
    title: 'Opt-out annotation that pins the node',
    severity: 'blocks',
    help: 'cluster-autoscaler.kubernetes.io/safe-to-evict: "false" makes cluster-autoscaler keep the node as long as the pod exists (NotSafeToEvictAnnotation); karpenter.sh/do-not-disrupt: "true" makes Karpenter never disrupt it voluntarily. graceful-scaler honours both. For a pod that runs to completion use safe-to-evict: "on-completion" (cluster-autoscaler >= 1.36): the node waits for the pod to finish. For a long-running pod remove the opt-out; give it a PodDisruptionBudget and a grace period that covers its work (Karpenter >= 1.12 also accepts a duration, do-not-disrupt: "2h", counted from the pod\'s start).',
  },
  workload(w) {
    if (!isEvicted(w)) return [];
    const annotations = w.template.metadata.annotations;
    const out: Draft[] = [];
    const once = runsToCompletion(w);
    if (annotations[SAFE_TO_EVICT] === 'false') {
      out.push({
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} is annotated ${SAFE_TO_EVICT}=false: its node never scales down while it runs${once ? '' : ', and it runs until someone stops it'}`,
        evidence: [{ path: `${metaPath(w, 'annotations')}.${SAFE_TO_EVICT}`, value: 'false' }],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['refuses', 'safe-to-evict-false'],
          'cluster-autoscaler': ['refuses', 'NotSafeToEvictAnnotation'],
          karpenter: ['disrupts', "does not read cluster-autoscaler's annotation: evicts it"],
          descheduler: ['disrupts', 'does not read it: evicts it'],
          drain: ['disrupts', 'does not read it: evicts it'],
        }),
        fix: {
          type: 'strategic',
          target: fixTarget(w),
          patch: atTemplate(w, { metadata: { annotations: { [SAFE_TO_EVICT]: once ? 'on-completion' : null } } }),
          description: once
            ? 'let the node wait for the pod to finish instead (cluster-autoscaler >= 1.36)'
            : 'remove the opt-out; protect the workload with a PodDisruptionBudget and a grace period that covers its work',
        },
      });
    }
    if (annotations[DO_NOT_DISRUPT] === 'true' && !once) {
      out.push({
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} is annotated ${DO_NOT_DISRUPT}=true but never finishes: Karpenter never consolidates its node`,
        evidence: [{ path: `${metaPath(w, 'annotations')}.${DO_NOT_DISRUPT}`, value: 'true' }],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['refuses', 'do-not-disrupt'],
          'cluster-autoscaler': ['disrupts', "does not read Karpenter's annotation: evicts it"],
          karpenter: ['refuses', 'never disrupts it voluntarily (expiry and a NodePool terminationGracePeriod still do)'],
          descheduler: ['disrupts', 'does not read it: evicts it'],
          drain: ['disrupts', 'does not read it: evicts it'],
        }),
        fix: {
          type: 'strategic',
          target: fixTarget(w),
          patch: atTemplate(w, { metadata: { annotations: { [DO_NOT_DISRUPT]: null } } }),
          description:
            'remove the opt-out; protect the workload with a PodDisruptionBudget (Karpenter >= 1.12 also takes a duration, e.g. "2h" from the pod\'s start)',
        },
      });
    }
    return out;
  },
};
