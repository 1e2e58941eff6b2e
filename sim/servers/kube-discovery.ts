// The API discovery documents of the simulated API server (/api, /apis, /api/v1, /apis/<group>/<v>),
// built from the resource table so they list exactly what the server serves. Legacy (unaggregated)
// discovery: clients that ask for aggregated discovery fall back to it when the response is plain JSON.

import { apiVersionOf, API_GROUPS, RESOURCES, type ResourceType } from '../model/resources';

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
}

// Subresources the server answers, announced with the group/version/kind of their own body.
const SUBRESOURCES: Readonly<Record<string, readonly ApiResource[]>> = {
  v1: [{ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }],
  'apps/v1': [
    {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    },
  ],
};

function entry(resource: ResourceType): ApiResource {
  return {
    name: resource.plural,
    singularName: resource.singular,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: resource.verbs,
    ...(resource.shortNames.length > 0 ? { shortNames: resource.shortNames } : {}),
    ...(resource.categories !== undefined ? { categories: resource.categories } : {}),
  };
}

/** `/api/v1` or `/apis/<group>/<version>`: undefined when nothing is served there. */
export function resourceList(group: string, version: string): object | undefined {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const groupVersion = group === '' ? version : `${group}/${version}`;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: [...resources.map(entry), ...(SUBRESOURCES[groupVersion] ?? [])],
  };
}

export function coreVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDocument(group: string): object {
  const versions = [...new Set(RESOURCES.filter((r) => r.group === group).map((r) => apiVersionOf(r)))].map((groupVersion) => ({
    groupVersion,
    version: groupVersion.split('/')[1]!,
  }));
  return { name: group, versions, preferredVersion: versions[0]! };
}

/** `/apis/<group>`: undefined for a group not served. */
export function apiGroup(group: string): object | undefined {
  if (!API_GROUPS.includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(group) };
}

export function apiGroupList(): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: API_GROUPS.map(groupDocument) };
}

export function versionInfo(kubernetesVersion: string): object {
  const [major, minor] = kubernetesVersion.split('.');
  return {
    major: major ?? '1',
    minor: minor ?? '33',
    gitVersion: `v${kubernetesVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-10-15T00:00:00Z',
    goVersion: 'go1.24.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
