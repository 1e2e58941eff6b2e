// RBAC objects read from manifests as `kubectl apply -f` takes them: YAML documents of kind Role,
// ClusterRole, RoleBinding and ClusterRoleBinding (other kinds are left to whoever applies them). The
// simulated cluster loads graceful-scaler's own infra/kubernetes/rbac.yaml this way, with the
// placeholder subject replaced as its header says, so the scaler runs with exactly what it grants.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PolicyRule, RbacObjects, RoleRef, Subject } from './rbac';

/** The placeholder rbac.yaml's bindings name (the Function App identity's principal id). */
export const PRINCIPAL_PLACEHOLDER = 'IDENTITY_PRINCIPAL_ID';
/** The simulated Function App identity's principal id: the User AKS's Entra integration names it. */
export const SIM_SCALER_PRINCIPAL_ID = '7d3e9b41-52c6-4f0a-a8e2-1c6b5f90d417';

export class ManifestError extends Error {}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map((v) => String(v)) : value === undefined ? undefined : [String(value)];

function rulesOf(doc: Record<string, unknown>, where: string): PolicyRule[] {
  const rules = doc.rules ?? [];
  if (!Array.isArray(rules)) throw new ManifestError(`${where}: rules must be a list`);
  return rules.map((raw: unknown, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const verbs = strings(r.verbs);
    if (verbs === undefined || verbs.length === 0) throw new ManifestError(`${where}: rules[${i}].verbs is required`);
    const rule: PolicyRule = { verbs };
    const optional = { apiGroups: strings(r.apiGroups), resources: strings(r.resources), resourceNames: strings(r.resourceNames) };
    const nonResourceURLs = strings(r.nonResourceURLs);
    return {
      ...rule,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      ...(nonResourceURLs !== undefined ? { nonResourceURLs } : {}),
    };
  });
}

function bindingOf(doc: Record<string, unknown>, where: string): { roleRef: RoleRef; subjects: Subject[] } {
  const ref = (doc.roleRef ?? {}) as Record<string, unknown>;
  if ((ref.kind !== 'Role' && ref.kind !== 'ClusterRole') || typeof ref.name !== 'string')
    throw new ManifestError(`${where}: roleRef must name a Role or ClusterRole`);
  const subjects = (Array.isArray(doc.subjects) ? doc.subjects : []).map((raw: unknown, i) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    if ((s.kind !== 'User' && s.kind !== 'Group' && s.kind !== 'ServiceAccount') || typeof s.name !== 'string')
      throw new ManifestError(`${where}: subjects[${i}] must be a User, Group or ServiceAccount with a name`);
    return { kind: s.kind, name: s.name, ...(typeof s.namespace === 'string' ? { namespace: s.namespace } : {}) } as Subject;
  });
  return { roleRef: { kind: ref.kind, name: ref.name }, subjects };
}

/** Reads the RBAC documents of a manifest; `replace` substitutes placeholders first (as `sed` would). */
export function parseRbacManifests(text: string, source: string, replace: Readonly<Record<string, string>> = {}): RbacObjects {
  let body = text;
  for (const [from, to] of Object.entries(replace)) body = body.split(from).join(to);
  const objects = {
    clusterRoles: new Map<string, readonly PolicyRule[]>(),
    roles: new Map<string, readonly PolicyRule[]>(),
    clusterRoleBindings: [] as RbacObjects['clusterRoleBindings'][number][],
    roleBindings: [] as RbacObjects['roleBindings'][number][],
  };
  parseAllDocuments(body).forEach((parsed, index) => {
    if (parsed.errors.length > 0) throw new ManifestError(`${source}: ${parsed.errors.map((e) => e.message).join('; ')}`);
    const doc = parsed.toJS() as Record<string, unknown> | null;
    if (doc === null || typeof doc !== 'object') return;
    const meta = (doc.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const name = typeof meta.name === 'string' ? meta.name : '';
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
    const where = `${source} document ${index + 1} (${String(doc.kind)} "${name}")`;
    switch (doc.kind) {
      case 'ClusterRole':
        objects.clusterRoles.set(name, rulesOf(doc, where));
        break;
      case 'Role':
        objects.roles.set(`${namespace}/${name}`, rulesOf(doc, where));
        break;
      case 'ClusterRoleBinding':
        objects.clusterRoleBindings.push({ name, ...bindingOf(doc, where) });
        break;
      case 'RoleBinding':
        objects.roleBindings.push({ name, namespace, ...bindingOf(doc, where) });
        break;
    }
  });
  return objects;
}

/** infra/kubernetes/rbac.yaml of this checkout, found above this file (it runs from the source and from dist/). */
export function scalerRbacPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'infra', 'kubernetes', 'rbac.yaml');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new ManifestError(`infra/kubernetes/rbac.yaml not found above ${__dirname}`);
  }
}

/** graceful-scaler's RBAC manifest, its subject the simulated identity (or `text`, e.g. an edited copy). */
export function scalerRbac(text?: string, principalId = SIM_SCALER_PRINCIPAL_ID): RbacObjects {
  const file = text === undefined ? scalerRbacPath() : 'infra/kubernetes/rbac.yaml (edited)';
  return parseRbacManifests(text ?? readFileSync(file, 'utf8'), file, { [PRINCIPAL_PLACEHOLDER]: principalId });
}
