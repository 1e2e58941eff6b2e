// Kubernetes RBAC as the API server's authorizer applies it: Roles and ClusterRoles (rules of verbs,
// API groups, resources, resource names, non-resource URLs), bound to users, groups and service
// accounts by RoleBindings and ClusterRoleBindings. A request is allowed when some rule of some role
// bound to its user allows it; members of system:masters are allowed everything without a rule, as
// kube-apiserver's privileged-group authorizer does. The bootstrap roles every cluster has
// (discovery, self-reviews, cluster-admin) are added, so a client that can list nodes can also read
// /api and ask `kubectl auth can-i`, as on AKS.

import { ApiError } from './api-errors';

export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface RbacObjects {
  clusterRoles: ReadonlyMap<string, readonly PolicyRule[]>;
  /** By `namespace/name`. */
  roles: ReadonlyMap<string, readonly PolicyRule[]>;
  clusterRoleBindings: readonly { name: string; roleRef: RoleRef; subjects: readonly Subject[] }[];
  roleBindings: readonly { name: string; namespace: string; roleRef: RoleRef; subjects: readonly Subject[] }[];
}

/** Who made a request, as authentication found it. */
export interface UserInfo {
  name: string;
  groups: readonly string[];
}

/** What a request asks to do, as kube-apiserver's RequestInfo describes it (request-attributes.ts). */
export interface RequestAttributes {
  resourceRequest: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection; for a path the HTTP method. */
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** For a non-resource request (`/version`, `/apis`). */
  path: string;
}

/** A request for a path outside the API's resources (`/version`, `/apis`). */
export function nonResourceAttributes(verb: string, path: string): RequestAttributes {
  return { resourceRequest: false, verb, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path };
}

/** A request on a resource; `where` narrows it to a namespace, an object, a subresource. */
export function resourceAttributes(
  verb: string,
  apiGroup: string,
  resource: string,
  where: { namespace?: string; name?: string; subresource?: string; apiVersion?: string } = {},
): RequestAttributes {
  return {
    resourceRequest: true,
    verb,
    apiGroup,
    apiVersion: where.apiVersion ?? 'v1',
    resource,
    subresource: where.subresource ?? '',
    namespace: where.namespace ?? '',
    name: where.name ?? '',
    path: '',
  };
}

export const MASTERS = 'system:masters';
export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';

/** `system:serviceaccount:ns:name` with the groups Kubernetes gives a service account's token. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, AUTHENTICATED],
  };
}

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];
const PUBLIC_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/** The ClusterRoles and bindings kube-apiserver creates at start (plugin/pkg/auth/authorizer/rbac/bootstrappolicy). */
export const BOOTSTRAP: RbacObjects = {
  clusterRoles: new Map<string, readonly PolicyRule[]>([
    [
      'cluster-admin',
      [
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        { verbs: ['*'], nonResourceURLs: ['*'] },
      ],
    ],
    ['system:discovery', [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }]],
    ['system:public-info-viewer', [{ verbs: ['get'], nonResourceURLs: PUBLIC_URLS }]],
    [
      'system:basic-user',
      [
        { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
      ],
    ],
  ]),
  roles: new Map(),
  clusterRoleBindings: [
    { name: 'cluster-admin', roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: MASTERS }] },
    {
      name: 'system:discovery',
      roleRef: { kind: 'ClusterRole', name: 'system:discovery' },
      subjects: [{ kind: 'Group', name: AUTHENTICATED }],
    },
    {
      name: 'system:basic-user',
      roleRef: { kind: 'ClusterRole', name: 'system:basic-user' },
      subjects: [{ kind: 'Group', name: AUTHENTICATED }],
    },
    {
      name: 'system:public-info-viewer',
      roleRef: { kind: 'ClusterRole', name: 'system:public-info-viewer' },
      subjects: [
        { kind: 'Group', name: AUTHENTICATED },
        { kind: 'Group', name: UNAUTHENTICATED },
      ],
    },
  ],
  roleBindings: [],
};

/** Two sets of RBAC objects as one (the bootstrap policy plus what was applied). */
export function mergeRbac(a: RbacObjects, b: RbacObjects): RbacObjects {
  return {
    clusterRoles: new Map([...a.clusterRoles, ...b.clusterRoles]),
    roles: new Map([...a.roles, ...b.roles]),
    clusterRoleBindings: [...a.clusterRoleBindings, ...b.clusterRoleBindings],
    roleBindings: [...a.roleBindings, ...b.roleBindings],
  };
}

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes('*') || list.includes(value));
}

/** rbac/v1 helpers: VerbMatches, APIGroupMatches, ResourceMatches (with `*\/sub`), ResourceNameMatches. */
export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) {
    return (rule.nonResourceURLs ?? []).some(
      (url) => url === '*' || url === a.path || (url.endsWith('*') && a.path.startsWith(url.slice(0, -1))),
    );
  }
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  const combined = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  const resources = rule.resources ?? [];
  if (!resources.some((r) => r === '*' || r === combined || (a.subresource !== '' && r === `*/${a.subresource}`))) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

function applies(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return user.name === `system:serviceaccount:${subject.namespace ?? bindingNamespace}:${subject.name}`;
  }
}

export interface Decision {
  allowed: boolean;
  /**
   * Allowed: which binding allowed it (`RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "x" to
   * User "u"`). Denied: the roles a binding names that do not exist (`RBAC: clusterrole… not found`), else ''.
   */
  reason: string;
}

interface SourcedRules {
  /** `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`, as the API server describes it. */
  source: string;
  rules: readonly PolicyRule[];
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount "${s.namespace ?? bindingNamespace}/${s.name}"` : `${s.kind} "${s.name}"`;
}

export class RbacAuthorizer {
  constructor(private readonly objects: RbacObjects) {}

  private visit(user: UserInfo, namespace: string): { found: SourcedRules[]; errors: string[] } {
    const found: SourcedRules[] = [];
    const errors: string[] = [];
    for (const binding of this.objects.clusterRoleBindings) {
      const subject = binding.subjects.find((s) => applies(s, user, ''));
      if (subject === undefined) continue;
      const rules = this.objects.clusterRoles.get(binding.roleRef.name);
      if (rules === undefined) errors.push(`clusterrole.rbac.authorization.k8s.io "${binding.roleRef.name}" not found`);
      else
        found.push({
          source: `ClusterRoleBinding "${binding.name}" of ClusterRole "${binding.roleRef.name}" to ${describeSubject(subject, '')}`,
          rules,
        });
    }
    if (namespace === '') return { found, errors };
    for (const binding of this.objects.roleBindings) {
      if (binding.namespace !== namespace) continue;
      const subject = binding.subjects.find((s) => applies(s, user, namespace));
      if (subject === undefined) continue;
      const cluster = binding.roleRef.kind === 'ClusterRole';
      const rules = cluster
        ? this.objects.clusterRoles.get(binding.roleRef.name)
        : this.objects.roles.get(`${namespace}/${binding.roleRef.name}`);
      if (rules === undefined)
        errors.push(`${cluster ? 'clusterrole' : 'role'}.rbac.authorization.k8s.io "${binding.roleRef.name}" not found`);
      else
        found.push({
          source: `RoleBinding "${binding.name}/${namespace}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, namespace)}`,
          rules,
        });
    }
    return { found, errors };
  }

  /** Every rule that applies to `user` in `namespace` ('' = the cluster-wide ones only), and the roles not found. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const { found, errors } = this.visit(user, namespace);
    return { rules: found.flatMap((f) => f.rules), errors };
  }

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
    const { found, errors } = this.visit(user, a.resourceRequest ? a.namespace : '');
    const allowing = found.find((f) => f.rules.some((rule) => ruleAllows(rule, a)));
    if (allowing !== undefined) return { allowed: true, reason: `RBAC: allowed by ${allowing.source}` };
    return { allowed: false, reason: errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` };
  }
}

/** kube-apiserver's forbiddenMessage: `User "u" cannot patch resource "nodes" in API group "" at the cluster scope`. */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes): string {
  if (!a.resourceRequest) return `User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  const scope = a.namespace !== '' ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
}

/** The 403 the API server answers (responsewriters.ForbiddenStatusError, apierrors.NewForbidden). */
export function forbidden(user: UserInfo, a: RequestAttributes, reason: string): ApiError {
  const cause = forbiddenMessage(user, a) + (reason !== '' ? `: ${reason}` : '');
  if (!a.resourceRequest) return new ApiError(403, 'Forbidden', `forbidden: ${cause}`, {});
  const qualified = a.apiGroup === '' ? a.resource : `${a.resource}.${a.apiGroup}`;
  const message = a.name === '' ? `${qualified} is forbidden: ${cause}` : `${qualified} "${a.name}" is forbidden: ${cause}`;
  return new ApiError(403, 'Forbidden', message, {
    ...(a.name !== '' ? { name: a.name } : {}),
    ...(a.apiGroup !== '' ? { group: a.apiGroup } : {}),
    kind: a.resource,
  });
}
