// A small simulated AKS cluster with something in it for the live audit to find in each kind it
// lists: a bare pod (check 1), a Deployment behind a Service with no preStop hook nor readiness probe
// (check 16, read only through the Service), a nightly CronJob with no pod yet (check 11, read only
// through the CronJob), a PDB that selects nothing (check 8). Enough pods for list pages of a few.

import type { AuditReport } from '../../core/audit';
import type { SimCluster } from '../../sim/model/cluster';
import { cronJob, NS, pdb, pod, service } from './audit-manifests';
import { smallCluster } from './sim-cluster';

export function auditedCluster(): SimCluster {
  const cluster = smallCluster(2, { namespaces: [NS, 'graceful-scaler'] });
  cluster.addDeployment({ name: 'web', namespace: NS, replicas: 6, cpu: '100m', memory: '128Mi' });
  cluster.addPdb({ name: 'web', namespace: NS, maxUnavailable: 1 });
  cluster.import(
    pod('report', { restartPolicy: 'Always' }),
    service('web', { app: 'web' }),
    cronJob('nightly-export', '0 2 * * *', { backoffLimit: 2 }),
    pdb('orphan', { minAvailable: 1, selector: { matchLabels: { app: 'gone' } } }),
  );
  cluster.settle();
  return cluster;
}

/** `check kind/name` of every finding, for assertions that read as a list. */
export function seen(report: Pick<AuditReport, 'findings'>): string[] {
  return report.findings.map((f) => `${f.check} ${f.subject.kind}/${f.subject.name}`);
}

/** What auditedCluster() must show, whatever reads it. */
export const AUDITED_CLUSTER_FINDINGS = ['1 Pod/report', '16 Deployment/web', '11 CronJob/nightly-export', '8 PodDisruptionBudget/orphan'];
