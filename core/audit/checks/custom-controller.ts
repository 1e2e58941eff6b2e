// 2. A pod owned by a controller cluster-autoscaler does not know: it cannot tell whether anything
// recreates the pod, so by default (--skip-nodes-with-custom-controller-pods) it keeps the node.

import { controllerOf } from '../workloads';
import { isEvicted, SAFE_TO_EVICT, somePods, verdicts, type Check } from './kit';

export const customController: Check = {
  info: {
    number: 2,
    id: 'custom-controller',
    title: 'Pod owned by a custom controller',
    severity: 'blocks',
    help: 'cluster-autoscaler counts only ReplicationController, ReplicaSet, StatefulSet and Job pods as replicated (DaemonSet pods are left alone); with its default --skip-nodes-with-custom-controller-pods=true, which AKS does not let you change, a pod of any other controller (an operator\'s CRD) blocks the node (NotReplicated). If the controller recreates its pods, say so with cluster-autoscaler.kubernetes.io/safe-to-evict: "true" in the pod template the controller uses.',
  },
  workload(w) {
    if (w.shape !== 'custom' || !isEvicted(w)) return [];
    const pod = w.pods[0];
    if (!pod || w.template.metadata.annotations[SAFE_TO_EVICT] === 'true') return [];
    if (w.template.metadata.annotations['cluster-autoscaler.kubernetes.io/daemonset-pod'] === 'true') return [];
    const owner = controllerOf(pod);
    return [
      {
        message: `the pods of ${w.ref.kind} ${w.ref.namespace}/${w.ref.name} are owned by a controller cluster-autoscaler does not recognise`,
        evidence: [
          { path: 'metadata.ownerReferences[controller=true]', value: owner, object: `Pod ${pod.metadata.namespace}/${pod.metadata.name}` },
        ],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['ok', 'evicts it: any controller counts (its descheduler moves only ReplicaSet and StatefulSet pods)'],
          'cluster-autoscaler': ['refuses', 'NotReplicated (skip-nodes-with-custom-controller-pods, default true)'],
          karpenter: ['ok', 'evicts it; the controller recreates it'],
          descheduler: ['ok', 'evicts pods that have an owner'],
          drain: ['ok', 'evicts it; the controller recreates it'],
        }),
        fix: {
          type: 'strategic',
          target: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name },
          patch: { metadata: { annotations: { [SAFE_TO_EVICT]: 'true' } } },
          description: `if ${w.ref.kind} ${w.ref.name} recreates its pods, put this annotation in the pod template it uses (shown on one pod)`,
        },
      },
    ];
  },
};
