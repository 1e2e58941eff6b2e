// RBAC as kube-apiserver decides it: rules match verb, group, resource (with subresources and `*/sub`),
// resource names and non-resource URLs; ClusterRoleBindings apply everywhere, RoleBindings in their
// namespace; system:masters needs no rule; the 403 names the user, verb, resource, group and scope.

import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP,
  forbidden,
  mergeRbac,
  RbacAuthorizer,
  resourceAttributes,
  ruleAllows,
  serviceAccountUser,
  type RbacObjects,
  type RequestAttributes,
} from '../../../sim/model/rbac';
import { parseRbacManifests, scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../../../sim/model/rbac-manifests';
import { requestAttributes } from '../../../sim/model/request-attributes';

const res = (verb: string, resource: string, o: Partial<RequestAttributes> = {}): RequestAttributes => ({
  ...resourceAttributes(verb, '', resource),
  ...o,
});

describe('ruleAllows', () => {
  it.each([
    [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }, res('list', 'pods'), true],
    [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }, res('watch', 'pods'), false],
    [{ verbs: ['list'], apiGroups: ['apps'], resources: ['pods'] }, res('list', 'pods'), false],
    [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }, res('create', 'pods', { subresource: 'eviction' }), false],
    [{ verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] }, res('create', 'pods', { subresource: 'eviction' }), true],
    [{ verbs: ['create'], apiGroups: [''], resources: ['*/eviction'] }, res('create', 'pods', { subresource: 'eviction' }), true],
    [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, res('delete', 'nodes', { subresource: 'status' }), true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'a' }), true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', 'configmaps', { name: 'b' }), false],
    [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, requestAttributes('GET', '/apis/apps/v1', {}), true],
    [{ verbs: ['get'], nonResourceURLs: ['/version'] }, requestAttributes('GET', '/api', {}), false],
  ])('%o allows %o: %s', (rule, attributes, allowed) => {
    expect(ruleAllows(rule, attributes)).toBe(allowed);
  });
});

const MANIFEST = `
kind: Role
metadata: { name: state, namespace: gs }
rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get] }]
---
kind: RoleBinding
metadata: { name: state, namespace: gs }
roleRef: { kind: Role, name: state }
subjects: [{ kind: ServiceAccount, name: scaler }]
---
kind: ClusterRoleBinding
metadata: { name: ghost }
roleRef: { kind: ClusterRole, name: missing }
subjects: [{ kind: Group, name: "system:serviceaccounts:gs" }]
`;

describe('RbacAuthorizer', () => {
  const objects: RbacObjects = mergeRbac(BOOTSTRAP, parseRbacManifests(MANIFEST, 'test.yaml'));
  const authorizer = new RbacAuthorizer(objects);
  const sa = serviceAccountUser('gs', 'scaler');

  it('binds a RoleBinding in its namespace only, a ServiceAccount subject defaulting to it', () => {
    expect(authorizer.authorize(sa, res('get', 'configmaps', { namespace: 'gs', name: 'm' }))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "state/gs" of Role "state" to ServiceAccount "gs/scaler"',
    });
    expect(authorizer.authorize(sa, res('get', 'configmaps', { namespace: 'other' })).allowed).toBe(false);
  });

  it('says which bound role is missing when it denies', () => {
    expect(authorizer.authorize(sa, res('list', 'nodes'))).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "missing" not found',
    });
  });

  it('lets every authenticated user read discovery and ask about itself, and system:masters do anything', () => {
    expect(authorizer.authorize(sa, requestAttributes('GET', '/apis', {})).allowed).toBe(true);
    expect(authorizer.authorize(sa, res('create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' })).allowed).toBe(true);
    expect(authorizer.authorize({ name: 'admin', groups: ['system:masters'] }, res('delete', 'nodes', { name: 'x' })).allowed).toBe(true);
    expect(
      authorizer.authorize({ name: 'system:anonymous', groups: ['system:unauthenticated'] }, requestAttributes('GET', '/api', {})).allowed,
    ).toBe(false);
  });

  it("grants graceful-scaler's identity exactly the manifest's rules", () => {
    const scaler = new RbacAuthorizer(mergeRbac(BOOTSTRAP, scalerRbac()));
    const user = { name: SIM_SCALER_PRINCIPAL_ID, groups: ['system:authenticated'] };
    const can = (method: string, path: string, query: Record<string, string> = {}) =>
      scaler.authorize(user, requestAttributes(method, path, query)).allowed;
    expect(can('GET', '/api/v1/nodes', { fieldSelector: 'metadata.name=n1' })).toBe(true);
    expect(can('GET', '/api/v1/nodes/n1')).toBe(false);
    expect(can('PATCH', '/api/v1/nodes/n1')).toBe(true);
    expect(can('POST', '/api/v1/namespaces/clomo/pods/p/eviction')).toBe(true);
    expect(can('DELETE', '/api/v1/namespaces/clomo/pods/p')).toBe(false);
    expect(can('PATCH', '/apis/apps/v1/namespaces/clomo/deployments/bg/scale')).toBe(true);
    expect(can('PUT', '/apis/apps/v1/namespaces/clomo/deployments/bg/scale')).toBe(false);
    expect(can('PUT', '/api/v1/namespaces/graceful-scaler/configmaps/m')).toBe(true);
    expect(can('PUT', '/api/v1/namespaces/clomo/configmaps/m')).toBe(false);
  });
});

describe('forbidden', () => {
  const user = { name: 'u', groups: [] };
  it.each([
    [
      res('patch', 'nodes', { name: 'n1' }),
      'nodes "n1" is forbidden: User "u" cannot patch resource "nodes" in API group "" at the cluster scope',
    ],
    [
      res('create', 'pods', { subresource: 'eviction', namespace: 'clomo', name: 'p' }),
      'pods "p" is forbidden: User "u" cannot create resource "pods/eviction" in API group "" in the namespace "clomo"',
    ],
    [
      res('list', 'deployments', { apiGroup: 'apps' }),
      'deployments.apps is forbidden: User "u" cannot list resource "deployments" in API group "apps" at the cluster scope',
    ],
    [requestAttributes('GET', '/metrics', {}), 'forbidden: User "u" cannot get path "/metrics"'],
  ])('%o: %s', (attributes, message) => {
    const error = forbidden(user, attributes, '');
    expect(error.status()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message });
  });
});
