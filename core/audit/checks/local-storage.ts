// 3. Data on the node itself (hostPath, an emptyDir on disk): each disrupter treats it differently,
// and none of them keeps it. cluster-autoscaler's safe-to-evict-local-volumes names the volumes whose
// loss is fine; every local volume must be listed (exact names, comma-separated, no spaces).

import { atTemplate, fixTarget, metaPath, specPath } from '../workloads';
import { isEvicted, SAFE_TO_EVICT, SAFE_TO_EVICT_LOCAL_VOLUMES, somePods, verdicts, type Check } from './kit';

export const localStorage: Check = {
  info: {
    number: 3,
    id: 'local-storage',
    title: 'hostPath or disk-backed emptyDir not declared safe to lose',
    severity: 'blocks',
    help: 'A hostPath volume or an emptyDir not backed by memory keeps data on the node. cluster-autoscaler on AKS (skip-nodes-with-local-storage defaults to false there) and Karpenter evict the pod and the data is lost; upstream cluster-autoscaler refuses the node (LocalStorageRequested); the descheduler never evicts it (evictLocalStoragePods: false); kubectl drain refuses emptyDir pods without --delete-emptydir-data; graceful-scaler refuses when the policy sets protectLocalStorage. If the data is scratch, list every such volume in cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes; if it must survive, use a PersistentVolumeClaim.',
  },
  workload(w, ctx) {
    if (!isEvicted(w)) return [];
    const annotations = w.template.metadata.annotations;
    if (annotations[SAFE_TO_EVICT] === 'true') return [];
    const volumes = w.template.spec.volumes ?? [];
    const local = volumes.filter(
      (v) =>
        v.hostPath ||
        (v.emptyDir !== undefined && v.emptyDir !== null && v.emptyDir.medium !== 'Memory') ||
        (v.emptyDir === null && 'emptyDir' in v),
    );
    const listedText = annotations[SAFE_TO_EVICT_LOCAL_VOLUMES];
    const listed = new Set(listedText === undefined ? [] : listedText.split(','));
    const missing = local.filter((v) => !listed.has(v.name));
    if (missing.length === 0) return [];
    const hasEmptyDir = missing.some((v) => !v.hostPath);
    const names = [...new Set([...(listedText ? listedText.split(',').filter((n) => n !== '') : []), ...local.map((v) => v.name)])];
    return [
      {
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} keeps data on the node in ${missing.map((v) => `${v.name} (${v.hostPath ? 'hostPath' : 'emptyDir'})`).join(', ')}, not listed in ${SAFE_TO_EVICT_LOCAL_VOLUMES}`,
        evidence: [
          ...missing.map((v) => ({
            path: `${specPath(w, 'volumes')}[name=${v.name}]`,
            value: v.hostPath ? { hostPath: v.hostPath } : { emptyDir: v.emptyDir ?? {} },
          })),
          { path: `${metaPath(w, 'annotations')}.${SAFE_TO_EVICT_LOCAL_VOLUMES}`, value: listedText ?? null },
        ],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ctx.settings.protectLocalStorage
            ? ['refuses', 'local-storage (policy protectLocalStorage: true)']
            : ['disrupts', 'evicts it (policy protectLocalStorage: false): the data is lost'],
          'cluster-autoscaler': [
            'disrupts',
            'AKS default skip-nodes-with-local-storage=false: evicts it and the data is lost (upstream default true: LocalStorageRequested, the node stays)',
          ],
          karpenter: ['disrupts', 'evicts it; the data goes with the node'],
          descheduler: ['refuses', 'evictLocalStoragePods is false by default'],
          drain: hasEmptyDir
            ? [
                'refuses',
                'kubectl drain refuses emptyDir pods without --delete-emptydir-data; an AKS upgrade evicts it and the data is lost',
              ]
            : ['disrupts', 'evicts it; the hostPath data stays behind on the old node'],
        }),
        fix: {
          type: 'strategic',
          target: fixTarget(w),
          patch: atTemplate(w, { metadata: { annotations: { [SAFE_TO_EVICT_LOCAL_VOLUMES]: names.join(',') } } }),
          description:
            'if the data is scratch, declare every local volume safe to lose (if it must survive, use a PersistentVolumeClaim instead)',
        },
      },
    ];
  },
};
