// What an HTTP request asks of the API server, in the terms RBAC authorizes: kube-apiserver's
// RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), step for step. A GET
// without a name is a list (a watch with watch=true), a DELETE without one a deletecollection, a list
// narrowed by `metadata.name=x` names x (so `resourceNames` rules apply to it), and a path outside
// /api and /apis is a non-resource request whose verb is the HTTP method.

import { nonResourceAttributes, type RequestAttributes } from './rbac';

const VERB_OF_METHOD: Readonly<Record<string, string>> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** The name a field selector requires exactly (`metadata.name=x`, `metadata.name==x` among ANDed terms). */
function exactName(fieldSelector: string | undefined): string | undefined {
  if (fieldSelector === undefined) return undefined;
  for (const term of fieldSelector.split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (match !== null && match[1] !== '' && !/[/%]/.test(match[1]!) && match[1] !== '.' && match[1] !== '..') return match[1];
  }
  return undefined;
}

export function requestAttributes(method: string, path: string, query: Readonly<Record<string, string>>): RequestAttributes {
  const nonResource = nonResourceAttributes(method.toLowerCase(), path);
  let parts = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource;
  const grouped = parts[0] === 'apis';
  parts = parts.slice(1);
  let apiGroup = '';
  if (grouped) {
    if (parts.length < 3) return nonResource;
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);
  let verb: string;
  if (SPECIAL_VERBS.has(parts[0]!) && parts.length >= 2) {
    verb = parts[0]!;
    parts = parts.slice(1);
  } else verb = VERB_OF_METHOD[method.toUpperCase()] ?? '';

  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  const resource = parts[0] ?? '';
  let name = parts[1] ?? '';
  const subresource = parts.length >= 3 && verb !== 'proxy' ? parts[2]! : '';

  if (name === '' && verb === 'get') {
    verb = query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    name = exactName(query.fieldSelector) ?? '';
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return { resourceRequest: true, verb, apiGroup, apiVersion, resource, subresource, namespace, name, path };
}
