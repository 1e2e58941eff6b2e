// Strategic merge patch (application/strategic-merge-patch+json) for the built-in kinds served:
// a JSON merge patch in which lists with a merge key are merged element by element, and the
// directives kubectl's three-way `apply` writes are obeyed: `$patch` (replace, delete, merge),
// `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
//
// Kubernetes reads the list strategies from its Go types (patchStrategy / patchMergeKey tags);
// here they are a table by field name, which is unambiguous for the kinds served. A list not in
// the table is atomic: the patch replaces it, as Kubernetes does for tolerations, taints, args.

import { badRequest } from './api-errors';
import { cloneJson, isRecord } from './objects';

/** Lists merged element by element, by the key that names an element. */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
  addresses: 'type',
};

/** Lists of primitives merged as sets (patchStrategy "merge" without a key). */
const MERGED_PRIMITIVE_LISTS: ReadonlySet<string> = new Set(['finalizers']);

/** A container's ports are keyed by containerPort, a Service's by port. */
function mergeKeyOf(field: string, elements: readonly unknown[]): string | undefined {
  if (field === 'ports') return elements.some((e) => isRecord(e) && 'containerPort' in e) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) throw badRequest('error decoding patch: a strategic merge patch must be a JSON object');
  return mergeMap(isRecord(target) ? target : {}, patch);
}

function mergeMap(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const { $patch: _patch, ...rest } = patch;
    return cloneJson(stripDirectives(rest)) as Record<string, unknown>;
  }
  if (directive !== undefined && directive !== 'merge' && directive !== 'delete')
    throw badRequest(`Unknown patch type: ${String(directive)}`);
  const out: Record<string, unknown> = { ...target };
  const orders: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER)) {
      orders.push([key.slice(SET_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      if (!Array.isArray(value)) throw badRequest(`${key}: expected a list`);
      const current = Array.isArray(out[field]) ? (out[field] as unknown[]) : [];
      out[field] = current.filter((v) => !value.some((d) => d === v));
      continue;
    }
    if (key.startsWith('$')) throw badRequest(`Unknown patch directive: ${key}`);
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(key, out[key], value);
    else if (isRecord(value)) {
      if (value.$patch === 'delete') delete out[key];
      else out[key] = mergeMap(isRecord(out[key]) ? (out[key] as Record<string, unknown>) : {}, value);
    } else out[key] = value;
  }
  for (const [field, order] of orders) {
    if (Array.isArray(out[field]) && Array.isArray(order)) out[field] = reorder(field, out[field] as unknown[], order);
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeList(field: string, current: unknown, patch: unknown[]): unknown[] {
  const existing = Array.isArray(current) ? current : [];
  // `[{"$patch": "replace"}, …]`: the rest of the list replaces the list.
  if (patch.some((e) => isRecord(e) && e.$patch === 'replace')) {
    return patch.filter((e) => !(isRecord(e) && e.$patch === 'replace')).map((e) => cloneJson(stripDirectives(e)));
  }
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    const out = [...existing];
    for (const value of patch) if (!out.includes(value)) out.push(value);
    return out;
  }
  const key = mergeKeyOf(field, [...existing, ...patch]);
  if (key === undefined || !patch.every(isRecord)) {
    // An atomic list is replaced as sent: a directive in it would be silently lost, so it is refused.
    if (patch.some((e) => isRecord(e) && Object.keys(e).some((k) => k.startsWith('$'))))
      throw badRequest(`strategic merge patch directive in "${field}", a list replaced as a whole (it has no merge key)`);
    return patch.map((e) => cloneJson(e));
  }
  const out = [...existing];
  for (const element of patch as Record<string, unknown>[]) {
    const at = out.findIndex((e) => isRecord(e) && e[key] === element[key]);
    if (element.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = mergeMap(out[at] as Record<string, unknown>, element);
    else out.push(mergeMap({}, element));
  }
  return out;
}

/** `$setElementOrder`: the listed elements in the listed order, any others (not named) after them. */
function reorder(field: string, list: unknown[], order: unknown[]): unknown[] {
  const key = mergeKeyOf(field, list);
  const identity = (e: unknown): unknown => (key !== undefined && isRecord(e) ? e[key] : e);
  const wanted = order.map(identity);
  const placed = wanted.map((id) => list.find((e) => identity(e) === id)).filter((e) => e !== undefined);
  return [...placed, ...list.filter((e) => !wanted.includes(identity(e)))];
}

/** A value as stored: directives removed (a replaced list or map may still carry them). */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (!key.startsWith('$')) out[key] = stripDirectives(inner);
  return out;
}
