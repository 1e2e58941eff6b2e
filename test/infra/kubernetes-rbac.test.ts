// infra/kubernetes/*.yaml grant exactly what the adapters use: every Kubernetes call found in the
// production source (by type, see source-scan.ts) is allowed by the manifests, and every verb the
// manifests grant is used by some call. Cluster-wide for nodes, pods, deployments, PDBs and events;
// graceful-scaler's own namespace only for its ConfigMaps and Leases.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readSettings } from '../../functions/settings';
import { KUBERNETES_METHODS, RAW_LIST_PATHS, type KubePermission } from './permission-tables';
import { firstArgumentProperty, kubernetesCalls, rawListCalls, ROOT, scan, type Scan } from './source-scan';
import { template } from './template-model';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { apiGroup?: string; kind: string; name: string; namespace?: string }[];
}

const DIR = 'infra/kubernetes';
const manifests: Manifest[] = readdirSync(path.join(ROOT, DIR))
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(ROOT, DIR, f), 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${DIR}/${f}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Manifest;
    }),
  );
const one = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

const key = (p: { group: string; resource: string; verb: string }) => `${p.group || 'core'} ${p.resource} ${p.verb}`;
function granted(rules: Rule[] = []): string[] {
  return [
    ...new Set(
      rules.flatMap((r) =>
        (r.apiGroups ?? []).flatMap((group) =>
          (r.resources ?? []).flatMap((resource) => (r.verbs ?? []).map((verb) => key({ group, resource, verb }))),
        ),
      ),
    ),
  ].sort();
}

/** The state namespace as the code defaults it (GRACEFUL_SCALER_NAMESPACE unset). */
const defaultNamespace = readSettings({ GRACEFUL_SCALER_POLICY: 'x' }).namespace;

let s: Scan;
let used: (KubePermission & { where: string; call: ts.CallExpression })[];

beforeAll(() => {
  s = scan();
  used = kubernetesCalls(s).map((c) => {
    const permission = KUBERNETES_METHODS[c.api]?.[c.method];
    if (!permission) {
      throw new Error(
        `${c.file}:${c.line} calls ${c.api}.${c.method}, which test/infra/permission-tables.ts does not know: ` +
          'add it with the verb and resource it needs, then grant that in infra/kubernetes/rbac.yaml',
      );
    }
    return { ...permission, where: `${c.file}:${c.line}`, call: c.call };
  });
  for (const c of rawListCalls(s)) {
    const permission = c.path === undefined ? undefined : RAW_LIST_PATHS[c.path];
    if (!permission) {
      throw new Error(
        `${c.file}:${c.line} lists ${c.path ?? 'a computed path'} raw, which RAW_LIST_PATHS in test/infra/permission-tables.ts does not know: add it, then grant it`,
      );
    }
    used.push({ ...permission, where: `${c.file}:${c.line}`, call: c.call });
  }
}, 120_000);

describe('Kubernetes RBAC manifests', () => {
  it("finds the adapters' calls in the source (the scan is not empty)", () => {
    expect(used.length).toBeGreaterThanOrEqual(10);
    expect(new Set(used.map((u) => u.where.split(':')[0]))).toEqual(
      new Set([
        'adapters/kubernetes/audit-reader.ts',
        'adapters/kubernetes/cluster-reader.ts',
        'adapters/kubernetes/configmap-store.ts',
        'adapters/kubernetes/event-recorder.ts',
        'adapters/kubernetes/kube-actions.ts',
        'adapters/kubernetes/lease-lock.ts',
      ]),
    );
  });

  it('the ClusterRole grants exactly the cluster-wide calls: nothing missing, nothing unused', () => {
    const needed = [...new Set(used.filter((u) => u.scope !== 'state-namespace').map(key))].sort();
    expect(granted(one('ClusterRole').rules)).toEqual(needed);
  });

  it('the Role in the state namespace grants exactly the ConfigMap and Lease calls', () => {
    const needed = [...new Set(used.filter((u) => u.scope === 'state-namespace').map(key))].sort();
    expect(granted(one('Role').rules)).toEqual(needed);
  });

  it('state calls really stay in the state namespace: made with this.namespace, built with settings.namespace', () => {
    const stateCalls = used.filter((u) => u.scope === 'state-namespace');
    expect(stateCalls.length).toBeGreaterThan(0);
    const classes = new Set<string>();
    for (const u of stateCalls) {
      expect(firstArgumentProperty(u.call, 'namespace'), u.where).toBe('this.namespace');
      let node: ts.Node | undefined = u.call;
      while (node && !ts.isClassDeclaration(node)) node = node.parent;
      expect(node?.name?.text, u.where).toBeDefined();
      classes.add(node!.name!.text);
    }
    // Every construction of those classes in the Functions wiring passes the app setting.
    const constructions: string[] = [];
    for (const sf of s.program.getSourceFiles()) {
      if (!sf.fileName.startsWith(path.join(ROOT, 'functions'))) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && classes.has(node.expression.getText(sf))) {
          constructions.push(`${node.expression.getText(sf)}(${node.arguments?.[1]?.getText(sf) ?? ''})`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(constructions.length).toBeGreaterThanOrEqual(classes.size);
    for (const c of constructions) expect(c).toMatch(/\(settings\.namespace\)$/);
  });

  it('grants no wildcard, no resourceNames trick, no non-resource URL, no delete, escalate, bind or impersonate', () => {
    for (const m of manifests.filter((x) => x.rules)) {
      for (const r of m.rules!) {
        for (const v of [...(r.apiGroups ?? []), ...(r.resources ?? []), ...(r.verbs ?? [])]) expect(v, m.metadata.name).not.toContain('*');
        expect(r.nonResourceURLs, m.metadata.name).toBeUndefined();
        expect(r.resourceNames, m.metadata.name).toBeUndefined();
        for (const verb of ['delete', 'deletecollection', 'escalate', 'bind', 'impersonate'])
          expect(r.verbs ?? [], m.metadata.name).not.toContain(verb);
      }
    }
  });

  it('the state namespace is the one the code and the template default to', () => {
    expect(one('Namespace').metadata.name).toBe(defaultNamespace);
    expect(one('Role').metadata.namespace).toBe(defaultNamespace);
    expect(one('RoleBinding').metadata.namespace).toBe(defaultNamespace);
    expect(template.parameters?.kubernetesNamespace?.defaultValue).toBe(defaultNamespace);
  });

  it('binds the roles to the managed identity as AKS Entra integration names it: a User named by object id', () => {
    const clusterRole = one('ClusterRole');
    const role = one('Role');
    const crb = one('ClusterRoleBinding');
    const rb = one('RoleBinding');
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.metadata.name });
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    const subject = { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'IDENTITY_PRINCIPAL_ID' };
    expect(crb.subjects).toEqual([subject]);
    expect(rb.subjects).toEqual([subject]);
    // The placeholder is what docs/deploy.md substitutes with the template's identityPrincipalId output.
    expect(readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8')).toContain('s/IDENTITY_PRINCIPAL_ID/');
    expect(template.outputs).toHaveProperty('identityPrincipalId');
  });

  it('contains nothing but the namespace, the two roles and their bindings', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Namespace', 'Role', 'RoleBinding']);
    for (const m of manifests) expect(m.apiVersion).toBe(m.kind === 'Namespace' ? 'v1' : 'rbac.authorization.k8s.io/v1');
  });
});
