// The cluster the end-to-end tests run on: Clomo's AKS cluster in miniature (a system node, four user
// nodes in Deallocate mode, a protected batch node), its workloads, and the policy it runs with.

import type { AksClusterOptions, SimCluster } from '../../sim/model/cluster';
import { buildPolicyDocument } from '../builders/views';

/** Monday 30 November 2026, 22:00 in Tokyo: after the weekday window, the minimum is 2. */
export const NIGHT = '2026-11-30T13:00:00Z';

export const POLICY = buildPolicyDocument((p) => {
  p.nodes.pools = ['user', 'batch'];
});

export function clomo(start: string, overrides: Partial<AksClusterOptions> = {}): AksClusterOptions {
  return {
    start,
    namespaces: ['clomo'],
    pools: [
      { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
      { name: 'user', count: 4, scaleDownMode: 'Deallocate' },
      { name: 'batch', count: 1, scaleDownMode: 'Deallocate', labels: { 'clomo/BatchDeployable': 'true' } },
    ],
    ...overrides,
  };
}

export function workloads(cluster: SimCluster, opts: { mdm?: number; bgWorkMs?: number } = {}) {
  cluster.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: opts.mdm ?? 6, cpu: '250m', memory: '512Mi' });
  cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 1, cpu: '250m', memory: '1Gi', grace: 72000 });
  cluster.addJobPod({
    job: 'clomo-daily-batch-29012345',
    namespace: 'clomo',
    cpu: '1',
    memory: '2Gi',
    nodeSelector: { 'clomo/BatchDeployable': 'true' },
  });
  cluster.settle();
  if (opts.bgWorkMs !== undefined) {
    for (const pod of cluster.pods()) {
      if (pod.metadata.labels?.app === 'bg')
        cluster.setPodWork(
          { namespace: 'clomo', name: pod.metadata.name },
          { endsAt: cluster.now() + opts.bgWorkMs, onSigterm: 'finish-work' },
        );
    }
  }
}

export const userNodes = (cluster: SimCluster) =>
  cluster.nodes().filter((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'user');
