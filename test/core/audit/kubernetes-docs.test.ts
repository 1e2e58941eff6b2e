// The Kubernetes documentation's own examples: the audit says only what their authors would accept.

import { describe, expect, it } from 'vitest';
import {
  helloCronJob,
  indexedJob,
  nginxDeployment,
  nginxService,
  piJob,
  podFailurePolicyJob,
  zkPdb,
  zookeeper,
} from '../../fixtures/kubernetes-docs-manifests';
import { runAudit, type Manifest } from '../../builders/audit-manifests';

function checksOf(manifests: Manifest[]): string[] {
  return runAudit(manifests).findings.map((f) => `${f.check} ${f.subject.kind}/${f.subject.name}`);
}

describe("the Kubernetes documentation's examples", () => {
  it('nginx Deployment behind a Service: no PDB (10), no preStop or readiness probe for the Service (16)', () => {
    expect(checksOf([nginxDeployment, nginxService])).toEqual(['10 Deployment/nginx-deployment', '16 Deployment/nginx-deployment']);
  });

  it('the pi Job: only that an eviction counts against backoffLimit (11)', () => {
    expect(checksOf([piJob])).toEqual(['11 Job/pi']);
  });

  it('the podFailurePolicy Job, which ignores DisruptionTarget: nothing', () => {
    expect(checksOf([podFailurePolicyJob])).toEqual([]);
  });

  it('the hello CronJob: its short shell script is not taken for a server behind a shell', () => {
    expect(checksOf([helloCronJob])).toEqual(['11 CronJob/hello']);
  });

  it('the Indexed Job: its emptyDir (3), the backoffLimit (11), the replacement policy (19)', () => {
    expect(checksOf([indexedJob])).toEqual(['3 Job/indexed-job', '11 Job/indexed-job', '19 Job/indexed-job']);
  });

  it('the ZooKeeper PDB with its StatefulSet: only the unhealthy pod eviction policy the docs recommend (18)', () => {
    expect(checksOf([zookeeper, zkPdb])).toEqual(['18 PodDisruptionBudget/zk-pdb']);
  });

  it('a PDB alone, without the workloads of its namespace, is not said to select nothing', () => {
    expect(checksOf([zkPdb])).toEqual([]);
  });
});
