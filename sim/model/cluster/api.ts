// The Kubernetes API's operations on the cluster (get, list, create, replace, patch, delete), with
// the API server's semantics: namespaces, label and field selectors, pagination with continue
// tokens, events.k8s.io Events in their own shape, graceful pod deletion. Errors are ApiError
// (code + Status).

import { matchesSelector, parseSelector } from '../../../core/selector';
import type { LabelSelector } from '../../../core/views';
import { validateEventsV1 } from '../admission';
import { badRequest, invalid, notFound } from '../api-errors';
import { coreToEventsV1, eventsV1ToCore } from '../event-conversion';
import { matchesFields, parseFieldSelector, pinnedValue } from '../field-selector';
import { decodeContinue, encodeContinue, objectKey } from '../object-store';
import { cloneJson, isRecord, type DeepReadonly, type KubeObject, type Pod } from '../objects';
import { applyPatch, type PatchType } from '../patch';
import { apiVersionOf, EVENTS, NAMESPACES, RESOURCES, type ResourceType } from '../resources';
import type { DisruptionController } from './disruption-controller';
import type { NodeLifecycle } from './node-lifecycle';
import type { PodLifecycle } from './pod-lifecycle';
import { podKeyOf, type ClusterState } from './state';
import { checkPreconditions, type DeleteOptions, type StoreWrites } from './writes';

export interface ObjectRef {
  name: string;
  /** Required for namespaced resources. */
  namespace?: string;
}

export interface ListOptions {
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  /** The `metadata.continue` of the previous page. */
  continue?: string;
}

export interface ListResult {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  /** Items as stored (with kind and apiVersion); the HTTP server strips those, as the API does. */
  items: DeepReadonly<KubeObject>[];
}

/** What a client sees: events.k8s.io Events in their own shape, everything else as stored. */
function present(resource: ResourceType, object: KubeObject): DeepReadonly<KubeObject> {
  return resource === EVENTS ? coreToEventsV1(object) : object;
}

/** A request body as an object of `resource`: a JSON object with metadata, the right kind and apiVersion. */
function decode(resource: ResourceType, body: unknown): KubeObject {
  if (!isRecord(body)) throw badRequest(`the body of the request must be a JSON object (a ${resource.kind})`);
  // apiVersion and kind first, as the API server writes objects (the list writer relies on it).
  const object = { apiVersion: body.apiVersion, kind: body.kind, ...cloneJson(body) } as KubeObject;
  if (object.kind !== undefined && object.kind !== resource.kind) {
    throw badRequest(
      `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: the kind of the object (${String(object.kind)}) is not ${resource.kind}`,
    );
  }
  const apiVersion = apiVersionOf(resource);
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (object.metadata === undefined) object.metadata = {} as KubeObject['metadata'];
  if (!isRecord(object.metadata))
    throw badRequest(
      `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: metadata must be an object`,
    );
  object.apiVersion = apiVersion;
  object.kind = resource.kind;
  const converted = resource === EVENTS ? eventsV1ToCore(object) : object;
  if (resource === EVENTS) validateEventsV1(resource, object);
  return converted;
}

function namespaceOf(resource: ResourceType, namespace: string | undefined): string | undefined {
  if (!resource.namespaced) return undefined;
  if (namespace === undefined || namespace === '') throw badRequest(`a namespace is required for ${resource.plural}`);
  return namespace;
}

export class KubeApi {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
    private readonly pods: PodLifecycle,
    private readonly nodes: NodeLifecycle,
    private readonly disruption: DisruptionController,
  ) {}

  get(resource: ResourceType, ref: ObjectRef): DeepReadonly<KubeObject> {
    const namespace = namespaceOf(resource, ref.namespace);
    const key = objectKey(namespace, ref.name);
    if (resource.stored === 'PodDisruptionBudget') this.disruption.refresh(key);
    const object = this.state.store.getByKey(resource.stored, key);
    if (object === undefined) throw notFound(resource, ref.name);
    return present(resource, object);
  }

  list(resource: ResourceType, options: ListOptions = {}): ListResult {
    const store = this.state.store;
    const kind = resource.stored;
    const namespace = resource.namespaced ? options.namespace : undefined;
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0))
      throw badRequest(`limit must be a non-negative integer`);
    let labels: LabelSelector | undefined;
    if (options.labelSelector !== undefined && options.labelSelector !== '') {
      const parsed = parseSelector(options.labelSelector);
      if (!parsed.ok) throw badRequest(`unable to parse requirement: ${parsed.error}`);
      labels = parsed.selector;
    }
    const fields = parseFieldSelector(options.fieldSelector ?? '', kind);
    let token: ReturnType<typeof decodeContinue> | undefined;
    if (options.continue !== undefined && options.continue !== '') token = decodeContinue(options.continue);
    if (kind === 'PodDisruptionBudget') this.disruption.refreshStale();

    // Pods by node come from the index: a drain's "pods on this node" must not walk 150,000 pods.
    let candidates: Iterable<string> | undefined;
    if (kind === 'Pod') {
      const node = pinnedValue(fields, 'spec.nodeName');
      if (node !== undefined) candidates = node === '' ? this.unboundPodKeys() : this.state.podIndex.onNode(node);
    }
    const name = pinnedValue(fields, 'metadata.name');
    if (candidates === undefined && name !== undefined) {
      candidates = namespace !== undefined || !resource.namespaced ? [objectKey(namespace, name)] : undefined;
    }
    const filter =
      labels === undefined && fields.length === 0
        ? undefined
        : (object: KubeObject): boolean =>
            (labels === undefined || matchesSelector(labels, object.metadata.labels ?? {})) &&
            (fields.length === 0 || matchesFields(fields, kind, object));
    const page = store.page(kind, {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(candidates !== undefined ? { candidates } : {}),
      ...(filter !== undefined ? { filter } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(token !== undefined ? { after: token.start } : {}),
    });
    // A continued list reports the resourceVersion of its first page, as the API server does.
    const rv = token !== undefined ? String(token.rv) : store.resourceVersion();
    const metadata: ListResult['metadata'] = { resourceVersion: rv };
    if (page.lastKey !== undefined) {
      metadata.continue = encodeContinue({ rv: Number(rv), start: page.lastKey });
      if (page.remaining !== undefined) metadata.remainingItemCount = page.remaining;
    }
    return {
      apiVersion: apiVersionOf(resource),
      kind: resource.listKind,
      metadata,
      items: resource === EVENTS ? page.items.map((e) => coreToEventsV1(e)) : page.items,
    };
  }

  create(resource: ResourceType, body: unknown, namespace?: string, dryRun = false): DeepReadonly<KubeObject> {
    const object = decode(resource, body);
    if (resource.namespaced) {
      if (namespace === undefined || namespace === '') throw badRequest(`${resource.plural} must be created in a namespace`);
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== '' && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace;
      if (this.state.store.get('Namespace', undefined, namespace) === undefined) throw notFound(NAMESPACES, namespace);
    } else delete object.metadata.namespace;
    const created = this.writes.createObject(resource, object, dryRun);
    if (dryRun) return present(resource, created);
    // Jobs created through the API are the Job controller's to run.
    if (resource.stored === 'Job') {
      this.state.managedJobs.add(created.metadata.uid);
      this.state.dirtyJobs.add(objectKey(created.metadata.namespace, created.metadata.name));
    }
    // A pod created with spec.nodeName skips the scheduler: that node's kubelet picks it up.
    if (resource.stored === 'Pod' && (created as Pod).spec.nodeName !== undefined && (created as Pod).spec.nodeName !== '') {
      this.pods.scheduleStart(podKeyOf(created as Pod), created.metadata.uid);
    }
    return present(resource, created);
  }

  replace(resource: ResourceType, ref: ObjectRef, body: unknown, dryRun = false): DeepReadonly<KubeObject> {
    const namespace = namespaceOf(resource, ref.namespace);
    const next = decode(resource, body);
    if (next.metadata.name !== ref.name)
      throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${ref.name})`);
    if (resource.namespaced && next.metadata.namespace !== undefined && next.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const previous = this.state.store.get(resource.stored, namespace, ref.name);
    if (previous === undefined) throw notFound(resource, ref.name);
    return present(resource, this.writes.updateObject(resource, previous, next, dryRun));
  }

  patch(resource: ResourceType, ref: ObjectRef, patch: unknown, type: PatchType, dryRun = false): DeepReadonly<KubeObject> {
    const namespace = namespaceOf(resource, ref.namespace);
    const previous = this.state.store.get(resource.stored, namespace, ref.name);
    if (previous === undefined) throw notFound(resource, ref.name);
    const shown = present(resource, previous) as KubeObject;
    const patched = applyPatch(shown, patch, type);
    const next = decode(resource, patched);
    // A patch that does not name a resourceVersion applies to whatever is current.
    const patchedVersion = next.metadata.resourceVersion;
    if (patchedVersion === shown.metadata.resourceVersion) next.metadata.resourceVersion = '';
    return present(resource, this.writes.updateObject(resource, previous, next, dryRun));
  }

  /**
   * Deletes an object. A pod on a node is deleted gracefully: it gets a deletionTimestamp (now +
   * grace) and stays, Terminating, until its process exits or the grace period ends. Returns the
   * object as deleted (or as now terminating).
   */
  delete(resource: ResourceType, ref: ObjectRef, options: DeleteOptions = {}): DeepReadonly<KubeObject> {
    const namespace = namespaceOf(resource, ref.namespace);
    const object = this.state.store.get(resource.stored, namespace, ref.name);
    if (object === undefined) throw notFound(resource, ref.name);
    checkPreconditions(resource, object, options.preconditions);
    if (options.gracePeriodSeconds !== undefined && (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)) {
      throw invalid(resource, ref.name, [
        { field: 'gracePeriodSeconds', message: `Invalid value: ${options.gracePeriodSeconds}: must be greater than or equal to 0` },
      ]);
    }
    if (options.dryRun === true)
      return present(resource, resource.stored === 'Pod' ? this.pods.previewDelete(object as Pod, options.gracePeriodSeconds) : object);
    switch (resource.stored) {
      case 'Pod':
        return present(resource, this.pods.deletePod(objectKey(namespace, ref.name), options.gracePeriodSeconds));
      case 'Node':
        return this.nodes.deleteNode(ref.name, 'node-deleted');
      case 'Namespace':
        return this.deleteNamespace(ref.name);
      default:
        return present(resource, this.writes.removeObject(resource.stored, object, options.propagationPolicy !== 'Orphan'));
    }
  }

  private deleteNamespace(name: string): DeepReadonly<KubeObject> {
    const store = this.state.store;
    const namespace = store.get('Namespace', undefined, name);
    if (namespace === undefined) throw notFound(NAMESPACES, name);
    // The namespace controller empties it; pods go at once (no kubelet waits on a deleted namespace here).
    for (const resource of RESOURCES) {
      if (!resource.namespaced || resource === EVENTS) continue;
      for (const object of store.page(resource.stored, { namespace: name }).items) this.writes.removeObject(resource.stored, object, false);
    }
    return this.writes.removeObject('Namespace', namespace, false);
  }

  private *unboundPodKeys(): Iterable<string> {
    for (const pod of this.state.store.values<Pod>('Pod'))
      if (pod.spec.nodeName === undefined || pod.spec.nodeName === '') yield podKeyOf(pod);
  }
}
