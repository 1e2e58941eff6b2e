// `graceful-scaler audit --kubeconfig`: the live cluster read through a kubeconfig, as a person runs
// it against AKS; here the embedded cluster's Kubernetes API server. The same report as a dump of
// the same cluster; a kubeconfig, context or server that does not work refused with status 2.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { SimCluster } from '../../sim/model/cluster';
import { EVENTS, RESOURCES } from '../../sim/model/resources';
import { startKubeApiServer, type KubeApiServer } from '../../sim/servers/kube-api-server';
import { AUDITED_CLUSTER_FINDINGS, auditedCluster, seen } from '../builders/audit-cluster';
import { testKubeConfig } from '../builders/kubeconfig';
import { goneServerUrl } from '../support/gone-server';

const dir = mkdtempSync(join(tmpdir(), 'graceful-scaler-audit-live-'));
let cluster: SimCluster;
let kube: KubeApiServer;
let kubeconfig: string;
let dump: string;

beforeAll(async () => {
  cluster = auditedCluster();
  kube = await startKubeApiServer(cluster);
  // A developer's kubeconfig: the cluster as the current context, and one that no longer answers.
  const kc = testKubeConfig({ sim: kube.url, gone: await goneServerUrl() }, 'me');
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kc.exportConfig());
  dump = join(dir, 'dump.json');
  const items = RESOURCES.filter((r) => r !== EVENTS).flatMap((r) => cluster.list(r).items);
  writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
});

afterAll(async () => {
  await kube?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['audit', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), clock: () => cluster.now() });
  return { code, out, err };
}

describe('graceful-scaler audit --kubeconfig', () => {
  it('reads the live cluster of the current context: every kind, paged, the findings of a dump of it', async () => {
    kube.requests.length = 0;
    const live = await run('--kubeconfig', kubeconfig, '--output', 'json');
    expect(live.code).toBe(1);
    const report = JSON.parse(live.out);
    expect(seen(report)).toEqual(expect.arrayContaining(AUDITED_CLUSTER_FINDINGS));
    expect(report).toEqual(JSON.parse((await run('--cluster', dump, '--output', 'json')).out));
    const paths = new Set(kube.requests.map((r) => r.path));
    for (const p of ['/api/v1/pods', '/api/v1/services', '/apis/batch/v1/cronjobs', '/apis/policy/v1/poddisruptionbudgets'])
      expect(paths).toContain(p);
    expect(kube.requests.every((r) => r.method === 'GET' && r.query.limit === '500')).toBe(true);
  });

  it('prints the table and honours --fail-on, as from a dump', async () => {
    const table = await run('--kubeconfig', kubeconfig, '--context', 'sim', '--fail-on', 'never');
    expect(table.code).toBe(0);
    expect(table.out).toContain('- Pod clomo/report  [check 1 bare-pod]');
    expect(table.out).toContain('- CronJob clomo/nightly-export  [check 11 job-without-disruption-rule]');
    // The same summary as from a dump (the fixes' YAML may list keys in client-node's model order).
    const fromDump = (await run('--cluster', dump, '--fail-on', 'never')).out;
    expect(table.out.split('\n')[0]).toBe(fromDump.split('\n')[0]);
    expect(table.out.split('\n')[0]).toBe(
      'graceful-scaler audit: 9 workload(s), 2 PodDisruptionBudget(s); 1 block scale-down, 3 evictable but not graceful, 1 advice',
    );
  });

  it('refuses with status 2 a server that does not answer, naming it and the list', async () => {
    const { code, out, err } = await run('--kubeconfig', kubeconfig, '--context', 'gone');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(
      /^graceful-scaler: cannot read the cluster at http:\/\/127\.0\.0\.1:\d+: cannot list \w+ \(all namespaces\): .*ECONNREFUSED/,
    );
  });

  it('refuses a missing kubeconfig, an unknown context, both or neither of --cluster and --kubeconfig', async () => {
    expect(await run('--kubeconfig', join(dir, 'missing'))).toMatchObject({
      code: 2,
      err: expect.stringContaining('cannot read the kubeconfig: no such file'),
    });
    expect(await run('--kubeconfig', kubeconfig, '--context', 'prod')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--context prod: ' + kubeconfig + ' has no such context (it has: sim, gone)'),
    });
    expect(await run('--kubeconfig', kubeconfig, '--cluster', dump)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--cluster and --kubeconfig: give one, a dump or the live cluster, not both'),
    });
    expect(await run('--context', 'sim', '--cluster', dump)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--context NAME needs --kubeconfig FILE'),
    });
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining('or --kubeconfig FILE to read the live cluster') });
  });
});
