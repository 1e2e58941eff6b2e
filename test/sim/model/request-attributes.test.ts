// Each request maps to the verb, group, resource, subresource, namespace and name kube-apiserver's
// RequestInfoFactory gives it: what RBAC rules are matched against.

import { describe, expect, it } from 'vitest';
import { requestAttributes } from '../../../sim/model/request-attributes';

const cases: [string, string, Record<string, string>, string][] = [
  ['GET', '/api/v1/nodes', {}, 'list  nodes  ns= name='],
  ['GET', '/api/v1/nodes', { fieldSelector: 'metadata.name=n1' }, 'list  nodes  ns= name=n1'],
  ['GET', '/api/v1/nodes', { fieldSelector: 'spec.unschedulable=true,metadata.name==n2' }, 'list  nodes  ns= name=n2'],
  ['GET', '/api/v1/pods', { watch: 'true' }, 'watch  pods  ns= name='],
  ['GET', '/api/v1/watch/namespaces/a/pods', {}, 'watch  pods  ns=a name='],
  ['GET', '/api/v1/nodes/n1', {}, 'get  nodes  ns= name=n1'],
  ['PATCH', '/api/v1/nodes/n1', {}, 'patch  nodes  ns= name=n1'],
  ['PATCH', '/api/v1/nodes/n1/status', {}, 'patch  nodes status ns= name=n1'],
  ['POST', '/api/v1/namespaces/clomo/pods/p1/eviction', {}, 'create  pods eviction ns=clomo name=p1'],
  ['PATCH', '/apis/apps/v1/namespaces/clomo/deployments/bg/scale', {}, 'patch apps deployments scale ns=clomo name=bg'],
  ['PUT', '/apis/coordination.k8s.io/v1/namespaces/gs/leases/l', {}, 'update coordination.k8s.io leases  ns=gs name=l'],
  ['POST', '/api/v1/namespaces/gs/configmaps', {}, 'create  configmaps  ns=gs name='],
  ['DELETE', '/api/v1/namespaces/gs/configmaps', {}, 'deletecollection  configmaps  ns=gs name='],
  ['DELETE', '/api/v1/namespaces/gs/configmaps/c', {}, 'delete  configmaps  ns=gs name=c'],
  ['GET', '/api/v1/namespaces/gs', {}, 'get  namespaces  ns=gs name=gs'],
  ['PUT', '/api/v1/namespaces/gs/finalize', {}, 'update  namespaces finalize ns=gs name=gs'],
  ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {}, 'create authorization.k8s.io selfsubjectaccessreviews  ns= name='],
];

describe('requestAttributes', () => {
  it.each(cases)('%s %s %o is %s', (method, path, query, expected) => {
    const a = requestAttributes(method, path, query);
    expect(a.resourceRequest).toBe(true);
    expect(`${a.verb} ${a.apiGroup} ${a.resource} ${a.subresource} ns=${a.namespace} name=${a.name}`).toBe(expected);
  });

  it.each([
    ['GET', '/version', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/apis/apps', 'get'],
    ['GET', '/apis/apps/v1', 'get'],
    ['POST', '/healthz', 'post'],
  ])('%s %s is a non-resource request, verb %s', (method, path, verb) => {
    expect(requestAttributes(method, path, {})).toMatchObject({ resourceRequest: false, verb, path });
  });
});
