// Server-side printing: a client that accepts `application/json;as=Table;v=v1;g=meta.k8s.io` (what
// `kubectl get` sends) gets a meta.k8s.io Table instead of the object or list, with the columns
// kubectl shows for that kind, so `kubectl get nodes` says Ready/SchedulingDisabled and `get pdb`
// the allowed disruptions, as against a real cluster.

import { eventsV1ToCore } from '../model/event-conversion';
import type { DeepReadonly, KubeObject } from '../model/objects';
import { EVENTS, type ResourceType } from '../model/resources';
import { printerFor } from './table-printers';

export type TableVersion = 'v1' | 'v1beta1';

/** What the row's `object` carries (the `includeObject` query parameter; default Metadata). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/**
 * The Table version the Accept header asks for, first acceptable range wins; undefined when the
 * client wants plain objects. Ranges are `type;param=value` separated by commas.
 */
export function tableVersionOf(accept: string | undefined): TableVersion | undefined {
  if (accept === undefined) return undefined;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim());
    const values = new Map(params.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (type === 'application/json' && values.get('as') === 'Table' && values.get('g') === 'meta.k8s.io') {
      const version = values.get('v');
      if (version === 'v1' || version === 'v1beta1') return version;
    }
    // A plain range before any Table range: the client prefers objects.
    if (values.get('as') === undefined && (type === 'application/json' || type === '*/*')) return undefined;
  }
  return undefined;
}

export function includeObjectOf(value: string | undefined): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export interface TableOptions {
  version: TableVersion;
  includeObject: IncludeObject;
  /** The list's metadata (resourceVersion, continue); a single object's table has its resourceVersion. */
  metadata: Record<string, unknown>;
  /** Leave out the column definitions (watch events after the first, as the API server sends them). */
  noHeaders?: boolean;
}

function rowObject(object: DeepReadonly<KubeObject>, include: IncludeObject, version: TableVersion): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata };
}

/** The Table of `objects` (as the client sees them: events.k8s.io Events in their own shape). */
export function renderTable(
  resource: ResourceType,
  objects: readonly DeepReadonly<KubeObject>[],
  now: number,
  options: TableOptions,
): Record<string, unknown> {
  const printer = printerFor(resource.kind);
  const rows = objects.map((object) => {
    const printed = resource === EVENTS ? (eventsV1ToCore(object as KubeObject) as DeepReadonly<KubeObject>) : object;
    const row: Record<string, unknown> = { cells: printer.cells(printed, now) };
    const carried = rowObject(object, options.includeObject, options.version);
    if (carried !== undefined) row.object = carried;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.metadata,
    ...(options.noHeaders === true ? {} : { columnDefinitions: printer.columns }),
    rows,
  };
}
