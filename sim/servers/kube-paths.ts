// Where an API path points: the resource, namespace, name and subresource of
// `/api/v1/namespaces/<ns>/<plural>/<name>/<subresource>` and `/apis/<group>/<version>/…`, for the
// parts of the server that look at a request before (watch, dry-run) or after (tables) routing.

import { findResource, type ResourceType } from '../model/resources';

export interface ResourcePath {
  resource: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

/** Undefined for a path that names no served resource (discovery, OpenAPI, an unknown one). */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  if (plural === undefined || extra.length > 0) return undefined;
  const resource = findResource(group, version, plural);
  if (resource === undefined) return undefined;
  return { resource, namespace, name, subresource };
}
