// `kubectl auth can-i` (the real /usr/bin/kubectl) against the simulated API server holding
// infra/kubernetes/rbac.yaml: graceful-scaler's identity may do exactly what the manifest grants, in
// the scope it grants it, and nothing else that the manifest's resources offer. kubectl sends its
// review as protobuf, over TLS with the kubeconfig's token. Skipped, saying so, where kubectl is absent.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../../sim/model/rbac';
import { scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../../../sim/model/rbac-manifests';
import { ADMIN_TOKEN, clusterAuth, SCALER_TOKEN } from '../../../sim/servers/kube-auth';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { simKubeconfig } from '../../../sim/servers/kubeconfig';
import { smallCluster } from '../../builders/sim-cluster';

const KUBECTL = '/usr/bin/kubectl';
let server: KubeApiServer;
let dir: string;

function kubectl(user: 'scaler' | 'admin', args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), '--user', user, ...args],
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  server = await startKubeApiServer(smallCluster(2, { namespaces: ['clomo', 'graceful-scaler'] }), {
    auth: clusterAuth(scalerRbac(), SIM_SCALER_PRINCIPAL_ID),
    tls: true,
  });
  dir = await mkdtemp(join(tmpdir(), 'kube-auth-'));
  await writeFile(
    join(dir, 'kubeconfig'),
    simKubeconfig(server.url, 'sim', [
      { name: 'scaler', token: SCALER_TOKEN },
      { name: 'admin', token: ADMIN_TOKEN },
    ]),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const HAS_KUBECTL = existsSync(KUBECTL);
if (!HAS_KUBECTL) console.warn(`${KUBECTL} not found: the kubectl auth can-i tests are skipped`);

/** Every (verb, resource, namespace) rbac.yaml grants, as kubectl names them. */
function grants(): { verb: string; resource: string; subresource?: string; namespace: string | undefined }[] {
  const rbac = scalerRbac();
  const out: { verb: string; resource: string; subresource?: string; namespace: string | undefined }[] = [];
  const add = (rules: readonly PolicyRule[], namespace: string | undefined) => {
    for (const rule of rules)
      for (const group of rule.apiGroups ?? [])
        for (const full of rule.resources ?? []) {
          const [plural, subresource] = full.split('/');
          const resource = group === '' ? plural! : `${plural}.${group}`;
          for (const verb of rule.verbs) out.push({ verb, resource, ...(subresource ? { subresource } : {}), namespace });
        }
  };
  add(rbac.clusterRoles.get('graceful-scaler')!, undefined);
  add(rbac.roles.get('graceful-scaler/graceful-scaler-state')!, 'graceful-scaler');
  return out;
}

function canI(user: 'scaler' | 'admin', q: { verb: string; resource: string; subresource?: string; namespace: string | undefined }) {
  return kubectl(user, [
    'auth',
    'can-i',
    q.verb,
    q.resource,
    ...(q.subresource ? [`--subresource=${q.subresource}`] : []),
    ...(q.namespace ? ['-n', q.namespace] : ['-A']),
  ]);
}

/** A few at a time: each kubectl is a process on a shared machine. */
async function all<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 6) out.push(...(await Promise.all(items.slice(i, i + 6).map(run))));
  return out;
}

describe.skipIf(!HAS_KUBECTL)('kubectl auth can-i as graceful-scaler', () => {
  it('answers yes to every verb rbac.yaml grants, in its scope', async () => {
    const wanted = grants();
    expect(wanted.length).toBeGreaterThanOrEqual(20);
    const answers = await all(wanted, (q) => canI('scaler', q));
    const said = wanted.map((q, i) => `${q.verb} ${q.resource}${q.subresource ? `/${q.subresource}` : ''} -> ${answers[i]!.stdout.trim()}`);
    expect(said).toEqual(wanted.map((q) => `${q.verb} ${q.resource}${q.subresource ? `/${q.subresource}` : ''} -> yes`));
  }, 120_000);

  it('answers no to what it does not grant: other verbs, other namespaces, other resources', async () => {
    const denied = [
      { verb: 'get', resource: 'nodes', namespace: undefined },
      { verb: 'update', resource: 'nodes', namespace: undefined },
      { verb: 'delete', resource: 'pods', namespace: 'clomo' },
      { verb: 'watch', resource: 'pods', namespace: undefined },
      { verb: 'update', resource: 'deployments.apps', subresource: 'scale', namespace: 'clomo' },
      { verb: 'patch', resource: 'deployments.apps', namespace: 'clomo' },
      { verb: 'get', resource: 'configmaps', namespace: 'clomo' },
      { verb: 'update', resource: 'leases.coordination.k8s.io', namespace: 'kube-system' },
      { verb: 'list', resource: 'secrets', namespace: undefined },
      { verb: 'create', resource: 'pods', namespace: 'clomo' },
    ];
    const answers = await all(denied, (q) => canI('scaler', q));
    expect(answers.map((a) => `${a.stdout.trim()} (exit ${a.code})`)).toEqual(denied.map(() => 'no (exit 1)'));
  }, 120_000);

  it('lists the rules with --list, and the admin may do anything', async () => {
    const list = await kubectl('scaler', ['auth', 'can-i', '--list', '-n', 'graceful-scaler']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^nodes\s+\[\]\s+\[\]\s+\[list patch\]$/m);
    expect(list.stdout).toMatch(/^leases\.coordination\.k8s\.io\s+\[\]\s+\[\]\s+\[get create update\]$/m);
    expect((await canI('admin', { verb: 'delete', resource: 'nodes', namespace: undefined })).stdout.trim()).toBe('yes');
  }, 60_000);

  it('shows the 403 a missing verb gets, as kubectl prints it', async () => {
    const cordon = await kubectl('scaler', ['delete', 'node', 'aks-user-27531488-vmss000000']);
    expect(cordon.code).toBe(1);
    expect(cordon.stderr).toContain(
      `Error from server (Forbidden): nodes "aks-user-27531488-vmss000000" is forbidden: User "${SIM_SCALER_PRINCIPAL_ID}" cannot delete resource "nodes" in API group "" at the cluster scope`,
    );
    const nodes = await kubectl('scaler', ['get', 'nodes', '-o', 'name']);
    expect(nodes.stdout).toContain('node/aks-user-27531488-vmss000000');
  }, 60_000);
});
