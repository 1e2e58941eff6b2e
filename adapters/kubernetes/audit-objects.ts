// Kubernetes Lists → the audit's objects: `kubectl get -A -o json` dumps of any kinds (the CLI), or
// the API's typed lists (GET /api/audit). Unlike the scaler's projection nothing is dropped: the
// audit reads preStop hooks, probes, commands, volumes and Job policies. Only what every object
// needs is checked (kind, metadata.name); the rest the checks read defensively.

import { addObject, emptyAuditObjects, type AuditObjects, type KubeObject, type OwnerReference } from '../../core/audit';
import { InputError } from '../../core/errors';
import { EMPTY_MAP, isAbsent, isObject, shown, stringMapAt, type Json, type Problems } from './projection/fields';
import { parseRfc3339 } from './projection/rfc3339';
import type { ListDocument } from './projection/snapshot';

const MAX_PROBLEMS = 100;
const NOT_A_LIST = 'expected a Kubernetes List (kubectl get … -o json)';

/** A timestamp as epoch ms: the API's strings, or the Date objects @kubernetes/client-node makes. */
function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? parseRfc3339(value) : undefined;
}

const STATUS_TIMES = ['startTime', 'completionTime'] as const;

function readObject(item: Json, kind: string, apiVersion: string | undefined, at: string, problems: Problems): KubeObject | undefined {
  const metadata = isObject(item.metadata) ? item.metadata : undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    problems.push(`${at}: metadata.name: expected a non-empty string${isAbsent(name) ? '' : `, got ${shown(name)}`}`);
    return undefined;
  }
  const where = `${at} (${kind} ${name})`;
  const owners = Array.isArray(metadata!.ownerReferences) ? metadata!.ownerReferences : [];
  const ownerReferences: OwnerReference[] = [];
  for (const o of owners) {
    if (isObject(o) && typeof o.kind === 'string' && typeof o.name === 'string') {
      ownerReferences.push({
        kind: o.kind,
        name: o.name,
        ...(typeof o.apiVersion === 'string' ? { apiVersion: o.apiVersion } : {}),
        ...(o.controller === true ? { controller: true } : {}),
      });
    }
  }
  const created = timeOf(metadata!.creationTimestamp);
  const status = isObject(item.status) ? { ...item.status } : undefined;
  if (status) for (const field of STATUS_TIMES) if (status[field] !== undefined) status[field] = timeOf(status[field]);
  return {
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    kind,
    metadata: {
      name,
      namespace: typeof metadata!.namespace === 'string' ? metadata!.namespace : '',
      labels: isAbsent(metadata!.labels) ? EMPTY_MAP : stringMapAt(problems, metadata!.labels, `${where}: metadata.labels`),
      annotations: isAbsent(metadata!.annotations)
        ? EMPTY_MAP
        : stringMapAt(problems, metadata!.annotations, `${where}: metadata.annotations`),
      ownerReferences,
      ...(created !== undefined ? { createdMs: created } : {}),
    },
    // The client's typed objects are plain data but for Dates: a JSON round trip makes them the dump's shape.
    ...(item.spec !== undefined ? { spec: JSON.parse(JSON.stringify(item.spec)) } : {}),
    ...(status ? { status } : {}),
  };
}

/**
 * Every object of the Lists (an object in several documents is kept once, the later winning), filed
 * into `into` when given (a reader adds each page as it arrives). Throws an InputError naming every
 * problem with its source and item (the first 100, then a count).
 */
export function auditObjectsFromLists(documents: readonly ListDocument[], into?: AuditObjects): AuditObjects {
  const objects = into ?? emptyAuditObjects();
  const problems: Problems = [];
  for (const { source, json } of documents) {
    if (!isObject(json)) {
      problems.push(`${source}: ${NOT_A_LIST}, got ${shown(json)}`);
      continue;
    }
    const listKind = json.kind;
    if (typeof listKind !== 'string' || !listKind.endsWith('List') || !Array.isArray(json.items)) {
      problems.push(
        `${source}: ${NOT_A_LIST}, got ${typeof listKind === 'string' ? `kind "${listKind}"` : 'no kind'}${Array.isArray(json.items) ? '' : ' without items'}`,
      );
      continue;
    }
    // A typed list (PodList) names its items' kind and apiVersion; the API sends the items without them.
    const implied = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
    const impliedVersion = listKind !== 'List' && typeof json.apiVersion === 'string' ? json.apiVersion : undefined;
    json.items.forEach((item: unknown, i: number) => {
      const at = `${source}: items[${i}]`;
      if (!isObject(item)) {
        problems.push(`${at}: expected an object, got ${shown(item)}`);
        return;
      }
      const kind = typeof item.kind === 'string' ? item.kind : implied;
      if (kind === undefined) {
        problems.push(`${at}: kind: expected a string`);
        return;
      }
      const apiVersion = typeof item.apiVersion === 'string' ? item.apiVersion : kind === implied ? impliedVersion : undefined;
      const object = readObject(item, kind, apiVersion, at, problems);
      if (object) addObject(objects, object);
    });
  }
  if (problems.length > 0) {
    const shownProblems = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shownProblems.push(`… and ${problems.length - MAX_PROBLEMS} more`);
    throw new InputError(shownProblems);
  }
  return objects;
}
