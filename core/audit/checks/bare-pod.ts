// 1. A pod no controller owns: evicted, it is gone for good, so the careful disrupters keep its node.

import { controllerOf } from '../workloads';
import { SAFE_TO_EVICT, somePods, verdicts, type Check } from './kit';

export const barePod: Check = {
  info: {
    number: 1,
    id: 'bare-pod',
    title: 'Bare pod (no controller owner)',
    severity: 'blocks',
    help: 'A pod without a controller ownerReference has nobody to recreate it: an eviction deletes it for good. graceful-scaler, cluster-autoscaler (NotReplicated), the descheduler and kubectl drain (without --force) refuse to move it, so its node never scales down; Karpenter evicts it and it is lost. Run it under a Deployment (or a Job when it runs to completion).',
  },
  workload(w) {
    if (w.shape !== 'Pod' || !w.object || w.pods.every((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')) return [];
    const pod = w.object;
    const evictable = w.template.metadata.annotations[SAFE_TO_EVICT] === 'true';
    const runsOnce = w.template.spec.restartPolicy === 'Never' || w.template.spec.restartPolicy === 'OnFailure';
    const { nodeName: _node, ...spec } = (pod.spec ?? {}) as Record<string, unknown>;
    const labels = Object.keys(pod.metadata.labels).length > 0 ? { ...pod.metadata.labels } : { app: pod.metadata.name };
    const template = {
      metadata: { labels, ...(Object.keys(pod.metadata.annotations).length > 0 ? { annotations: { ...pod.metadata.annotations } } : {}) },
      spec,
    };
    const manifest = runsOnce
      ? {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
          spec: { template },
        }
      : {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
          spec: { replicas: 1, selector: { matchLabels: labels }, template },
        };
    return [
      {
        message: `${w.ref.namespace}/${w.ref.name} is a bare pod: no controller would recreate it after an eviction`,
        evidence: [{ path: 'metadata.ownerReferences', value: controllerOf(pod) ?? pod.metadata.ownerReferences }],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['refuses', 'no-controller: keeps the node rather than delete the pod'],
          'cluster-autoscaler': evictable
            ? ['disrupts', `${SAFE_TO_EVICT}=true: evicts it and it is gone`]
            : ['refuses', 'NotReplicated: the node is not scaled down'],
          karpenter: ['disrupts', 'evicts it with the node; nothing recreates it'],
          descheduler: ['refuses', 'never evicts a pod without an owner'],
          drain: ['refuses', 'kubectl drain refuses it without --force (which deletes it for good); an AKS upgrade drain stalls on it'],
        }),
        fix: {
          type: 'replace',
          target: w.ref,
          manifest,
          description: `run it as a ${manifest.kind} with the same pod template (delete the pod once the ${manifest.kind} runs)`,
        },
      },
    ];
  },
};
