// GET /api/audit, the handler called as the host calls it, on a runtime over the simulated cluster:
// the CLI's JSON report of the same cluster and policy, SARIF, the --fail-on verdict in a header,
// 400 for a bad query, and 503 (never 500) when the cluster cannot be read.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { hostileTarget } from '../../bench/hostile-requests';
import { loadPolicyFile } from '../../adapters/policy-file';
import { main } from '../../cli/main';
import { auditHttp } from '../../functions/audit-http';
import { setRuntimeFactory, type Runtime } from '../../functions/runtime';
import { PACKAGE_VERSION } from '../../page/audit-output';
import type { AuditReader } from '../../runner/ports';
import type { SimCluster } from '../../sim/model/cluster';
import { EVENTS, PDBS, PODS, RESOURCES } from '../../sim/model/resources';
import { SimAuditReader } from '../../sim/scenario/in-process-audit';
import { AUDITED_CLUSTER_FINDINGS, auditedCluster, seen } from '../builders/audit-cluster';

const POLICY = join(__dirname, '../../policy.example.yaml');
const NOW = Date.parse('2026-11-30T07:35:00+09:00');
const dir = mkdtempSync(join(tmpdir(), 'graceful-scaler-audit-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let cluster: SimCluster;
let logged: string[];

/** The app's runtime with the example policy and the cluster's audit reader (or another). */
async function install(audit: AuditReader = new SimAuditReader(cluster)): Promise<void> {
  const base = hostileTarget(1).runtime;
  const runtime: Runtime = { ...base, policy: await loadPolicyFile(POLICY), deps: { ...base.deps, clock: () => NOW }, audit };
  setRuntimeFactory(async () => runtime);
}

async function get(query = ''): Promise<{ status: number; headers: Record<string, string>; body: string; json: any }> {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost/api/audit${query}` });
  const context = new InvocationContext({
    functionName: 'audit',
    logHandler: (_level, ...args) => logged.push(args.map(String).join(' ')),
  });
  const res = (await auditHttp(request, context)) as HttpResponseInit;
  const body = res.jsonBody !== undefined ? JSON.stringify(res.jsonBody) : String(res.body ?? '');
  return { status: res.status ?? 200, headers: res.headers as Record<string, string>, body, json: JSON.parse(body) };
}

beforeEach(async () => {
  cluster = auditedCluster();
  // A queue worker of the policy (clomo/bg) with a 20-hour grace: check 20 only with the policy read.
  cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 2, grace: 72_000 });
  cluster.settle();
  logged = [];
  await install();
});

describe('GET /api/audit', () => {
  it("answers the CLI's JSON report of the same cluster and policy", async () => {
    const answer = await get();
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen(answer.json)).toEqual(expect.arrayContaining([...AUDITED_CLUSTER_FINDINGS, '20 Deployment/bg']));

    const dump = join(dir, 'dump.json');
    const items = RESOURCES.filter((r) => r !== EVENTS).flatMap((r) => cluster.list(r).items);
    writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    let cli = '';
    const code = await main(['audit', '--cluster', dump, '--policy', POLICY, '--now', new Date(NOW).toISOString(), '--output', 'json'], {
      stdout: (t) => (cli += t),
      stderr: () => undefined,
      clock: () => NOW,
    });
    expect(code).toBe(1);
    expect(answer.json).toEqual(JSON.parse(cli));
  });

  it('says in x-audit-result whether a finding reaches failOn (blocks by default), as the exit status of --fail-on', async () => {
    expect((await get()).headers).toMatchObject({ 'x-audit-result': 'fail', 'x-audit-fail-on': 'blocks' });
    expect((await get('?failOn=never')).headers).toMatchObject({ 'x-audit-result': 'pass', 'x-audit-fail-on': 'never' });
    cluster.delete(PODS, { namespace: 'clomo', name: 'report' }, { gracePeriodSeconds: 0 });
    cluster.delete(PDBS, { namespace: 'clomo', name: 'orphan' });
    expect((await get()).headers['x-audit-result']).toBe('pass');
    expect((await get('?failOn=not-graceful')).headers['x-audit-result']).toBe('fail');
  });

  it('answers SARIF 2.1.0 with ?output=sarif: the checks as rules, one result per finding', async () => {
    const json = (await get()).json;
    const answer = await get('?output=sarif&failOn=advice');
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/sarif+json; charset=utf-8', 'x-audit-result': 'fail' });
    expect(answer.json.version).toBe('2.1.0');
    expect(answer.json.runs[0].tool.driver).toMatchObject({ name: 'graceful-scaler audit', version: PACKAGE_VERSION });
    expect(answer.json.runs[0].results).toHaveLength(json.findings.length);
  });

  it('answers 400 naming every bad query parameter, and reads nothing', async () => {
    let reads = 0;
    await install({ readAuditObjects: async () => (reads++, new SimAuditReader(cluster).readAuditObjects()) });
    const answer = await get('?output=xml&failOn=sometimes');
    expect(answer.status).toBe(400);
    expect(answer.json.problems).toEqual([
      'output: expected json or sarif, got "xml"',
      'failOn: expected blocks, not-graceful, advice, never, got "sometimes"',
    ]);
    expect(reads).toBe(0);
  });

  it('answers 503 with the reason, not 500, when the cluster cannot be read', async () => {
    await install({
      readAuditObjects: () => Promise.reject(new Error('cannot list cronjobs (all namespaces): 403: cronjobs.batch is forbidden')),
    });
    const answer = await get();
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: 'the cluster could not be read for the audit: cannot list cronjobs (all namespaces): 403: cronjobs.batch is forbidden',
    });
    expect(logged.join('\n')).toContain('cronjobs.batch is forbidden');
  });

  it('answers 503 when the runtime cannot be built (no cluster connection)', async () => {
    setRuntimeFactory(() => Promise.reject(new Error('KUBECONFIG /nowhere: no such file')));
    const answer = await get();
    expect(answer.status).toBe(503);
    expect(answer.json.error).toBe('the cluster could not be read for the audit: KUBECONFIG /nowhere: no such file');
  });
});
