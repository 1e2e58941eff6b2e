// Field selectors (`spec.nodeName=aks-user-…-vmss000003,status.phase!=Succeeded`) with the fields
// each kind supports in Kubernetes. An unsupported field is a 400, as on the real API server, so a
// client that would fail against AKS fails here too.

import { badRequest } from './api-errors';
import type { DeepReadonly, KubeObject } from './objects';
import type { StoredKind } from './resources';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export type FieldSelector = readonly FieldRequirement[];

type Getter = (object: DeepReadonly<KubeObject>) => string;

function path(...keys: string[]): Getter {
  return (object) => {
    let value: unknown = object;
    for (const key of keys) {
      if (typeof value !== 'object' || value === null) return '';
      value = (value as Record<string, unknown>)[key];
    }
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : String(value);
  };
}

const COMMON: Record<string, Getter> = {
  'metadata.name': path('metadata', 'name'),
  'metadata.namespace': path('metadata', 'namespace'),
};

const EVENT_FIELDS: Record<string, Getter> = {
  ...COMMON,
  'involvedObject.kind': path('involvedObject', 'kind'),
  'involvedObject.namespace': path('involvedObject', 'namespace'),
  'involvedObject.name': path('involvedObject', 'name'),
  'involvedObject.uid': path('involvedObject', 'uid'),
  'involvedObject.apiVersion': path('involvedObject', 'apiVersion'),
  'involvedObject.resourceVersion': path('involvedObject', 'resourceVersion'),
  'involvedObject.fieldPath': path('involvedObject', 'fieldPath'),
  // events.k8s.io/v1 names for the same stored fields.
  'regarding.kind': path('involvedObject', 'kind'),
  'regarding.namespace': path('involvedObject', 'namespace'),
  'regarding.name': path('involvedObject', 'name'),
  'regarding.uid': path('involvedObject', 'uid'),
  reason: path('reason'),
  reportingComponent: path('reportingComponent'),
  reportingController: path('reportingComponent'),
  source: path('source', 'component'),
  type: path('type'),
};

const FIELDS: Record<StoredKind, Record<string, Getter>> = {
  Namespace: { ...COMMON, 'status.phase': path('status', 'phase') },
  Node: { ...COMMON, 'spec.unschedulable': (node) => String(path('spec', 'unschedulable')(node) === 'true') },
  Pod: {
    ...COMMON,
    'spec.nodeName': path('spec', 'nodeName'),
    'spec.restartPolicy': path('spec', 'restartPolicy'),
    'spec.schedulerName': path('spec', 'schedulerName'),
    'spec.serviceAccountName': path('spec', 'serviceAccountName'),
    'spec.hostNetwork': (pod) => String(path('spec', 'hostNetwork')(pod) === 'true'),
    'status.phase': path('status', 'phase'),
    'status.podIP': path('status', 'podIP'),
    'status.nominatedNodeName': path('status', 'nominatedNodeName'),
  },
  ConfigMap: COMMON,
  Event: EVENT_FIELDS,
  Lease: COMMON,
  PodDisruptionBudget: COMMON,
  Deployment: COMMON,
  ReplicaSet: { ...COMMON, 'status.replicas': path('status', 'replicas') },
  DaemonSet: COMMON,
  StatefulSet: COMMON,
  Job: COMMON,
  CronJob: COMMON,
  ReplicationController: COMMON,
  Service: COMMON,
};

/** Splits on `sep` where it is not escaped with a backslash. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\' && i + 1 < text.length) {
      current += c + text.charAt(i + 1);
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Parses a field selector for `kind`; 400 for bad syntax or a field that kind does not support. */
export function parseFieldSelector(text: string, kind: StoredKind): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (text.trim() === '') return requirements;
  for (const part of splitUnescaped(text, ',')) {
    const match = /^([^=!]+?)\s*(!=|==|=)(.*)$/.exec(part.trim());
    if (match === null) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = match[1]!.trim();
    if (FIELDS[kind][field] === undefined) throw badRequest(`field label not supported: ${field}`);
    requirements.push({ field, operator: match[2] === '!=' ? '!=' : '=', value: unescape(match[3]!.trim()) });
  }
  return requirements;
}

export function matchesFields(selector: FieldSelector, kind: StoredKind, object: DeepReadonly<KubeObject>): boolean {
  const getters = FIELDS[kind];
  for (const requirement of selector) {
    const value = getters[requirement.field]!(object);
    if ((value === requirement.value) !== (requirement.operator === '=')) return false;
  }
  return true;
}

/** The value an `=` requirement pins `field` to, to pick an index (pods by node). */
export function pinnedValue(selector: FieldSelector, field: string): string | undefined {
  return selector.find((r) => r.field === field && r.operator === '=')?.value;
}
