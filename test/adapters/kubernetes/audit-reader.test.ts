// The audit's reader through the REAL client-node against the simulated Kubernetes API server: every
// kind the audit needs, in every namespace, page by page; the same report as a `kubectl get -A -o
// json` dump of the same cluster gives; a list that cannot be read named with the server's answer.

import { afterEach, describe, expect, it } from 'vitest';
import { auditObjectsFromLists } from '../../../adapters/kubernetes/audit-objects';
import { AuditReadError, KubernetesAuditReader } from '../../../adapters/kubernetes/audit-reader';
import { makeClients, type ClientOptions } from '../../../adapters/kubernetes/clients';
import { audit, type AuditObjects } from '../../../core/audit';
import { RESOURCES, EVENTS } from '../../../sim/model/resources';
import { SimAuditReader } from '../../../sim/scenario/in-process-audit';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { AUDITED_CLUSTER_FINDINGS, auditedCluster, seen } from '../../builders/audit-cluster';
import { testKubeConfig } from '../../builders/kubeconfig';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';

const FAST: ClientOptions = { timeoutMs: 2_000, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } };

const kubeConfig = (server: string) => testKubeConfig({ sim: server }, 'auditor');

let kube: KubeApiServer | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await Promise.all([kube?.close(), proxy?.close()]);
  kube = proxy = undefined;
});

const AUDITED_PATHS = [
  '/api/v1/nodes',
  '/api/v1/pods',
  '/api/v1/services',
  '/api/v1/replicationcontrollers',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/replicasets',
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
  '/apis/batch/v1/jobs',
  '/apis/batch/v1/cronjobs',
  '/apis/policy/v1/poddisruptionbudgets',
];

const counts = (objects: AuditObjects) => Object.fromEntries(Object.entries(objects).map(([kind, list]) => [kind, list.length]));

describe('the Kubernetes audit reader', () => {
  it('lists every kind the audit reads, in every namespace, in pages of `limit` with `continue`', async () => {
    const cluster = auditedCluster();
    kube = await startKubeApiServer(cluster);
    const reader = new KubernetesAuditReader(makeClients(kubeConfig(kube.url), FAST), { pageSize: 4 });
    const objects = await reader.readAuditObjects();

    const pods = [...cluster.pods()].map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(pods.length).toBeGreaterThan(20);
    expect(objects.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(pods.sort());
    expect(objects.services.map((s) => s.metadata.name)).toEqual(['web']);
    expect(objects.cronJobs.map((c) => c.metadata.name)).toEqual(['nightly-export']);
    expect(objects.pdbs.map((p) => p.metadata.name).sort()).toEqual(['orphan', 'web']);
    expect(objects.nodes).toHaveLength(cluster.nodes().length);

    const gets = kube.requests.filter((r) => r.method === 'GET');
    expect([...new Set(gets.map((r) => r.path))].sort()).toEqual([...AUDITED_PATHS].sort());
    for (const r of gets) expect(r.query.limit, r.path).toBe('4');
    const podPages = gets.filter((r) => r.path === '/api/v1/pods');
    expect(podPages).toHaveLength(Math.ceil(pods.length / 4));
    expect(podPages[0]!.query.continue).toBeUndefined();
    for (const page of podPages.slice(1)) expect(page.query.continue).toEqual(expect.any(String));
    expect(reader.lastRequests).toBe(gets.length);
  });

  it('gives the report a kubectl dump of the same cluster gives, and the same as the simulator’s own reader', async () => {
    const cluster = auditedCluster();
    kube = await startKubeApiServer(cluster);
    const live = await new KubernetesAuditReader(makeClients(kubeConfig(kube.url), FAST), { pageSize: 7 }).readAuditObjects();
    // `kubectl get … -A -o json`: one List of every object, as JSON text.
    const items = RESOURCES.filter((r) => r !== EVENTS).flatMap((r) => cluster.list(r).items);
    const dump = auditObjectsFromLists([{ source: 'dump', json: JSON.parse(JSON.stringify({ kind: 'List', items })) }]);
    const now = cluster.now();
    const report = audit(live, { now });
    expect(seen(report)).toEqual(expect.arrayContaining(AUDITED_CLUSTER_FINDINGS));
    expect(report).toEqual(audit(dump, { now }));
    expect(counts(live)).toEqual({ ...counts(dump), other: 0 });
    expect(report).toEqual(audit(await new SimAuditReader(cluster).readAuditObjects(), { now }));
  });

  it('names the list it could not read with the API server’s answer (RBAC without cronjobs)', async () => {
    kube = await startKubeApiServer(auditedCluster());
    proxy = await startFaultProxy(kube.url);
    const message = 'cronjobs.batch is forbidden: User "auditor" cannot list resource "cronjobs" in API group "batch" at the cluster scope';
    proxy.add({ method: 'GET', path: '/apis/batch/v1/cronjobs', fault: { kind: 'status', status: 403, message } });
    const error = await new KubernetesAuditReader(makeClients(kubeConfig(proxy.url), FAST)).readAuditObjects().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditReadError);
    expect(String((error as Error).message)).toBe(`cannot list cronjobs (all namespaces): 403: ${message}`);
  });

  it('says which page failed when the server stops answering halfway through a list', async () => {
    kube = await startKubeApiServer(auditedCluster());
    proxy = await startFaultProxy(kube.url);
    proxy.add({ method: 'GET', path: /\/api\/v1\/pods\?.*continue=/, times: 10, fault: { kind: 'status', status: 503 } });
    const error = await new KubernetesAuditReader(makeClients(kubeConfig(proxy.url), FAST), { pageSize: 10 })
      .readAuditObjects()
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/^cannot list pods \(all namespaces, page 2\): 503/);
  });
});
