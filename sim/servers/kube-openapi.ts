// The OpenAPI v3 documents of the simulated API server (/openapi/v3 and one per group/version),
// built from the resource table. They carry what clients read from them: every path with its
// verbs, each operation naming its group/version/kind (`x-kubernetes-group-version-kind`) and the
// query parameters it accepts. kubectl reads the PATCH operations' `fieldValidation` parameter to
// learn that the server validates fields itself, so `kubectl apply` needs no client-side schema
// (and no OpenAPI v2, which kubectl only takes as protobuf). The operations declare no request
// body media types: kubectl then computes strategic merge patches from its own built-in types,
// which know every field's patch strategy, rather than from a schema that would have to.

import { createHash } from 'node:crypto';
import { apiVersionOf, RESOURCES, type ResourceType } from '../model/resources';

function groupVersionPath(resource: ResourceType): string {
  return resource.group === '' ? `api/${resource.version}` : `apis/${resource.group}/${resource.version}`;
}

const QUERY = (name: string, description: string): object => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});

const WRITE_PARAMETERS = [
  QUERY('dryRun', 'When present, indicates that modifications should not be persisted. Valid values: All.'),
  QUERY('fieldManager', 'A name associated with the actor or entity that is making these changes.'),
  QUERY('fieldValidation', 'How the server treats unknown or duplicate fields in the request: Ignore, Warn or Strict.'),
];

const LIST_PARAMETERS = [
  QUERY('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  QUERY('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  QUERY('limit', 'The maximum number of responses to return for a list call.'),
  QUERY('continue', 'The continue option should be set when retrieving more results from the server.'),
  QUERY('resourceVersion', 'Sets a constraint on what resource versions a request may be served from.'),
  QUERY('watch', 'Watch for changes to the described resources.'),
  QUERY('allowWatchBookmarks', 'Requests watch events with type "BOOKMARK".'),
  QUERY('timeoutSeconds', 'Timeout for the list/watch call.'),
];

function operation(resource: ResourceType, action: string, verb: string, parameters: readonly object[]): object {
  const kind = resource.kind;
  return {
    operationId: `${verb}${resource.group === '' ? 'Core' : ''}${kind}`,
    parameters,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: resource.group, version: resource.version, kind },
  };
}

function pathsOf(resource: ResourceType): Record<string, object> {
  const base = `/${groupVersionPath(resource)}`;
  const collection = resource.namespaced ? `${base}/namespaces/{namespace}/${resource.plural}` : `${base}/${resource.plural}`;
  const item = `${collection}/{name}`;
  const paths: Record<string, object> = {
    [collection]: {
      get: operation(resource, 'list', 'list', LIST_PARAMETERS),
      post: operation(resource, 'post', 'create', WRITE_PARAMETERS),
    },
    [item]: {
      get: operation(resource, 'get', 'read', []),
      put: operation(resource, 'put', 'replace', WRITE_PARAMETERS),
      patch: operation(resource, 'patch', 'patch', [...WRITE_PARAMETERS, QUERY('force', 'Force is going to "force" Apply requests.')]),
      delete: operation(resource, 'delete', 'delete', [
        QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'),
      ]),
    },
  };
  if (resource.namespaced) paths[`${base}/${resource.plural}`] = { get: operation(resource, 'list', 'listAllNamespaces', LIST_PARAMETERS) };
  return paths;
}

function groupVersions(): Map<string, ResourceType[]> {
  const out = new Map<string, ResourceType[]>();
  for (const resource of RESOURCES) {
    const key = groupVersionPath(resource);
    out.set(key, [...(out.get(key) ?? []), resource]);
  }
  return out;
}

/** One group/version's document (`api/v1`, `apis/apps/v1`); undefined when none is served there. */
export function openApiV3Document(groupVersion: string, kubernetesVersion: string): object | undefined {
  const resources = groupVersions().get(groupVersion);
  if (resources === undefined) return undefined;
  const paths: Record<string, object> = {};
  for (const resource of resources) Object.assign(paths, pathsOf(resource));
  const schemas: Record<string, object> = {};
  for (const resource of resources) {
    const name = `${resource.group === '' ? 'io.k8s.api.core' : resource.group}.${resource.version}.${resource.kind}`;
    schemas[name] = {
      type: 'object',
      description: `${resource.kind} (${apiVersionOf(resource)})`,
      'x-kubernetes-group-version-kind': [{ group: resource.group, version: resource.version, kind: resource.kind }],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: `v${kubernetesVersion}` },
    paths,
    components: { schemas },
  };
}

/** `/openapi/v3`: where each group/version's document is, with a hash so a client may cache it. */
export function openApiV3Root(kubernetesVersion: string): object {
  const paths: Record<string, object> = {};
  for (const groupVersion of groupVersions().keys()) {
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiV3Document(groupVersion, kubernetesVersion)))
      .digest('hex')
      .slice(0, 128)
      .toUpperCase();
    paths[groupVersion] = { serverRelativeURL: `/openapi/v3/${groupVersion}?hash=${hash}` };
  }
  return { paths };
}
