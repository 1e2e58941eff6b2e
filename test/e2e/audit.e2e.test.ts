// GET /api/audit end to end: the production wiring (functions/wiring.ts) built from app settings,
// the real client-node reading the simulated AKS cluster's Kubernetes API page by page, the handler
// called as the host calls it. Reading only: no Lease, no write. A cluster that cannot be reached
// answers 503 naming the list, not 500.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { auditHttp } from '../../functions/audit-http';
import { setRuntimeFactory } from '../../functions/runtime';
import { readSettings } from '../../functions/settings';
import { wireRuntime } from '../../functions/wiring';
import type { AuditReport } from '../../core/audit';
import { cronJob, pod, service } from '../builders/audit-manifests';
import { seen } from '../builders/audit-cluster';
import { testKubeConfig } from '../builders/kubeconfig';
import { goneServerUrl } from '../support/gone-server';
import { clomo, NIGHT, POLICY, workloads } from './clomo-cluster';
import { startWorld, type World } from './world';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('GET /api/audit, end to end', () => {
  it('audits the live cluster through the production wiring: every kind listed in pages, nothing written', async () => {
    world = await startWorld({
      cluster: clomo(NIGHT),
      policy: POLICY,
      setup: (cluster) => {
        workloads(cluster);
        cluster.import(pod('report'), service('mdm', { app: 'mdm' }), cronJob('nightly-export', '0 2 * * *'));
      },
    });
    world.kube.requests.length = 0;
    const answer = await world.http(auditHttp, { method: 'GET', url: 'http://localhost/api/audit?failOn=not-graceful' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'x-audit-result': 'fail', 'x-audit-fail-on': 'not-graceful' });
    const report = answer.jsonBody as AuditReport;
    expect(seen(report)).toEqual(
      expect.arrayContaining([
        '1 Pod/report',
        '16 Deployment/mdm',
        '11 CronJob/nightly-export',
        // The policy's queue worker with a 20-hour grace: read from the app setting.
        '20 Deployment/bg',
        '11 Job/clomo-daily-batch-29012345',
      ]),
    );
    expect(report.counts.blocks).toBeGreaterThanOrEqual(1);

    const requests = world.kube.requests;
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    expect(requests.some((r) => r.path.includes('/leases'))).toBe(false);
    for (const p of ['/api/v1/pods', '/api/v1/services', '/apis/batch/v1/cronjobs', '/apis/batch/v1/jobs', '/api/v1/nodes'])
      expect(requests.filter((r) => r.path === p).map((r) => r.query.limit)).toEqual(['100']);
  });

  it('answers 503 naming the list when the API server does not answer', async () => {
    // A kubeconfig whose server has gone away, as the app settings name it.
    const kc = testKubeConfig({ gone: await goneServerUrl() });
    const dir = await mkdtemp(join(tmpdir(), 'graceful-scaler-audit-e2e-'));
    try {
      await writeFile(join(dir, 'kubeconfig'), kc.exportConfig());
      const settings = readSettings({
        GRACEFUL_SCALER_POLICY: JSON.stringify(POLICY),
        KUBERNETES_CONNECTION: 'kubeconfig',
        KUBECONFIG: join(dir, 'kubeconfig'),
      });
      const runtime = await wireRuntime(settings, { retry: { attempts: 1 }, log: { info: () => {}, warn: () => {}, error: () => {} } });
      setRuntimeFactory(async () => runtime);
      const res = (await auditHttp(
        new HttpRequest({ method: 'GET', url: 'http://localhost/api/audit' }),
        new InvocationContext({ functionName: 'audit', logHandler: () => undefined }),
      )) as HttpResponseInit;
      expect(res.status).toBe(503);
      expect((res.jsonBody as { error: string }).error).toMatch(
        /^the cluster could not be read for the audit: cannot list \w+ \(all namespaces\): .*ECONNREFUSED/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
