// Authentication and authorization in front of the simulated API server, as kube-apiserver does them
// before any handler: a bearer token names a user (an unknown token is 401 Unauthorized, no token is
// system:anonymous), then RBAC decides on the request's attributes (a denial is the 403 Forbidden
// Status kubectl prints). It also answers the two reviews a user sends about itself:
// SelfSubjectAccessReview (`kubectl auth can-i VERB RESOURCE`) and SelfSubjectRulesReview
// (`kubectl auth can-i --list`).

import { ApiError, badRequest } from '../model/api-errors';
import { isRecord } from '../model/objects';
import {
  AUTHENTICATED,
  BOOTSTRAP,
  MASTERS,
  forbidden,
  nonResourceAttributes,
  resourceAttributes,
  mergeRbac,
  RbacAuthorizer,
  UNAUTHENTICATED,
  type RbacObjects,
  type RequestAttributes,
  type UserInfo,
} from '../model/rbac';
import { requestAttributes } from '../model/request-attributes';
import { decodeReview, PROTOBUF } from './review-protobuf';

export interface KubeAuthOptions {
  /** Bearer token → who it is. */
  tokens: Readonly<Record<string, UserInfo>>;
  /** Roles, ClusterRoles and their bindings, besides the bootstrap ones every cluster has. */
  rbac: RbacObjects;
}

const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: [UNAUTHENTICATED] };
const AUTHORIZATION_GROUP = 'authorization.k8s.io';
/** Decisions remembered per request shape; RBAC objects do not change while the server runs. */
const CACHE_LIMIT = 20_000;

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export class KubeAuth {
  private readonly authorizer: RbacAuthorizer;
  private readonly decisions = new Map<string, { allowed: boolean; reason: string }>();

  constructor(private readonly options: KubeAuthOptions) {
    this.authorizer = new RbacAuthorizer(mergeRbac(BOOTSTRAP, options.rbac));
  }

  authenticate(authorization: string | undefined): UserInfo {
    if (authorization === undefined || authorization === '') return ANONYMOUS;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const user = match === null ? undefined : this.options.tokens[match[1]!];
    if (user === undefined) throw unauthorized();
    return user.groups.includes(AUTHENTICATED) ? user : { name: user.name, groups: [...user.groups, AUTHENTICATED] };
  }

  decide(user: UserInfo, a: RequestAttributes): { allowed: boolean; reason: string } {
    const key = [
      user.name,
      ...user.groups,
      a.resourceRequest,
      a.verb,
      a.apiGroup,
      a.resource,
      a.subresource,
      a.namespace,
      a.name,
      a.path,
    ].join('\u0000');
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = this.authorizer.authorize(user, a);
      if (this.decisions.size >= CACHE_LIMIT) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** Throws the 403 the API server would answer unless `user` may do `a`. */
  authorize(user: UserInfo, a: RequestAttributes): void {
    const decision = this.decide(user, a);
    if (!decision.allowed) throw forbidden(user, a, decision.reason);
  }

  /**
   * The request entry: authenticates and authorizes, then answers the self-reviews itself. Returns
   * the review's reply, or undefined for the API server to route the request as usual.
   */
  admit(
    method: string,
    path: string,
    query: Readonly<Record<string, string>>,
    headers: { authorization: string | undefined; contentType: string | undefined },
    body: Buffer,
  ): { status: number; body: unknown } | undefined {
    const user = this.authenticate(headers.authorization);
    const a = requestAttributes(method, path, query);
    this.authorize(user, a);
    if (!a.resourceRequest || a.apiGroup !== AUTHORIZATION_GROUP || a.verb !== 'create' || a.namespace !== '' || a.name !== '')
      return undefined;
    if (a.resource === 'selfsubjectaccessreviews')
      return { status: 201, body: this.accessReview(user, parseReview(body, headers.contentType, 'SelfSubjectAccessReview')) };
    if (a.resource === 'selfsubjectrulesreviews')
      return { status: 201, body: this.rulesReview(user, parseReview(body, headers.contentType, 'SelfSubjectRulesReview')) };
    return undefined;
  }

  private accessReview(user: UserInfo, review: Record<string, unknown>): object {
    const spec = isRecord(review.spec) ? review.spec : {};
    const text = (o: Record<string, unknown>, key: string): string => (typeof o[key] === 'string' ? o[key] : '');
    let a: RequestAttributes;
    if (isRecord(spec.resourceAttributes)) {
      const r = spec.resourceAttributes;
      a = resourceAttributes(text(r, 'verb'), text(r, 'group'), text(r, 'resource'), {
        namespace: text(r, 'namespace'),
        name: text(r, 'name'),
        subresource: text(r, 'subresource'),
        apiVersion: text(r, 'version'),
      });
    } else if (isRecord(spec.nonResourceAttributes)) {
      const n = spec.nonResourceAttributes;
      a = nonResourceAttributes(text(n, 'verb'), text(n, 'path'));
    } else {
      throw invalidReview(
        'SelfSubjectAccessReview',
        'spec.resourceAttributes',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    }
    const decision = this.decide(user, a);
    return {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: { allowed: decision.allowed, ...(decision.reason !== '' ? { reason: decision.reason } : {}) },
    };
  }

  private rulesReview(user: UserInfo, review: Record<string, unknown>): object {
    const spec = isRecord(review.spec) ? review.spec : {};
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
    const { rules, errors } = this.authorizer.rulesFor(user, namespace);
    // system:masters needs no rule; it is shown what cluster-admin would grant.
    const all = user.groups.includes(MASTERS) ? BOOTSTRAP.clusterRoles.get('cluster-admin')! : rules;
    return {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec,
      status: {
        resourceRules: all
          .filter((r) => r.nonResourceURLs === undefined)
          .map((r) => ({
            verbs: r.verbs,
            ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}),
            ...(r.resources ? { resources: r.resources } : {}),
            ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
          })),
        nonResourceRules: all
          .filter((r) => r.nonResourceURLs !== undefined)
          .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
        incomplete: errors.length > 0,
        ...(errors.length > 0 ? { evaluationError: errors.join(', ') } : {}),
      },
    };
  }
}

function invalidReview(kind: string, field: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${field}: Invalid value: "null": ${message}`, {
    group: AUTHORIZATION_GROUP,
    kind,
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "null": ${message}`, field }],
  });
}

function parseReview(body: Buffer, contentType: string | undefined, kind: string): Record<string, unknown> {
  let parsed: unknown;
  const protobuf = contentType?.split(';')[0]?.trim().toLowerCase() === PROTOBUF;
  try {
    parsed = protobuf ? decodeReview(body) : JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`error decoding the ${kind}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(parsed) || (parsed.kind !== undefined && parsed.kind !== kind)) throw badRequest(`expected a ${kind}`);
  return parsed;
}

/** The Function App's managed identity, as AKS's Entra integration presents its token: a User named by its principal id. */
export const SCALER_TOKEN = 'simulated-entra-token-of-graceful-scaler';
/** A cluster admin (group system:masters), as `az aks get-credentials --admin` gives one: for people and tests. */
export const ADMIN_TOKEN = 'simulated-cluster-admin-token';

/** The simulated cluster's users: graceful-scaler's identity, bound by `rbac` (its manifest), and an admin. */
export function clusterAuth(rbac: RbacObjects, scalerPrincipal: string): KubeAuth {
  return new KubeAuth({
    tokens: {
      [SCALER_TOKEN]: { name: scalerPrincipal, groups: [AUTHENTICATED] },
      [ADMIN_TOKEN]: { name: 'clusterAdmin_clomo-rg_clomo-prod', groups: ['system:masters', AUTHENTICATED] },
    },
    rbac,
  });
}
