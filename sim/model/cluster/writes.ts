// Storage: every write of the simulated cluster goes through here (create, update, store, remove),
// with the API server's defaulting, validation and resourceVersion rules, so the indexes and the
// controllers see each change.

import {
  admitEvent,
  defaultDeployment,
  defaultJob,
  defaultPod,
  defaultService,
  nameProblem,
  validateDeployment,
  validateLease,
  validateNode,
  validatePdb,
  validatePod,
  validatePodUpdate,
} from '../admission';
import { alreadyExists, ApiError, conflict, invalid } from '../api-errors';
import { formatTime } from '../clock';
import { objectKey } from '../object-store';
import {
  cloneJson,
  controllerOf,
  isNodeReady,
  isRecord,
  sameJson,
  type DeepReadonly,
  type Deployment,
  type KubeObject,
  type Node,
  type Pod,
  type PodDisruptionBudget,
  type ReplicaSet,
} from '../objects';
import { draftPod } from '../pod-status';
import { NAMESPACES, PODS, storageResource, type ResourceType, type StoredKind } from '../resources';
import type { EventExpiry } from './events';
import { podKeyOf, type ClusterState } from './state';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Server-side dry run (`dryRun: ["All"]`): every check, no write. */
  dryRun?: boolean;
}

/** What a cascading removal needs from the kubelet: a ReplicaSet's pods are deleted gracefully. */
export interface WriteHooks {
  deletePod(key: string): void;
}

/**
 * A new version of a stored object with another status, as a controller writes it: the rest is
 * shared with the stored version (stored objects are never mutated; see draftPod), metadata copied
 * since storing sets its resourceVersion. (A deep copy per status write was a visible part of a
 * simulated week: every pod turning Ready rewrites its ReplicaSet's and Deployment's status.)
 */
export function withStatus<T extends KubeObject>(object: T, status: unknown): T {
  return { ...object, metadata: { ...object.metadata }, status };
}

/** The object as compared for a no-op write: its resourceVersion left out (undefined members do not serialise). */
function withoutVersion(object: KubeObject): unknown {
  return { ...object, metadata: { ...object.metadata, resourceVersion: undefined } };
}

export function checkPreconditions(resource: ResourceType, object: KubeObject, preconditions: DeleteOptions['preconditions']): void {
  if (preconditions === undefined) return;
  if (preconditions.uid !== undefined && preconditions.uid !== object.metadata.uid) {
    throw new ApiError(
      409,
      'Conflict',
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${object.metadata.uid}`,
      {
        name: object.metadata.name,
        kind: resource.plural,
      },
    );
  }
  if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== object.metadata.resourceVersion) {
    throw new ApiError(
      409,
      'Conflict',
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion}`,
      { name: object.metadata.name, kind: resource.plural },
    );
  }
}

/** Kind-specific defaulting and validation, on create (previous undefined) and update. */
function admit(resource: ResourceType, previous: KubeObject | undefined, object: KubeObject): void {
  switch (resource.stored) {
    case 'Pod': {
      const pod = object as Pod;
      if (!isRecord(pod.spec)) throw invalid(resource, pod.metadata.name, [{ field: 'spec', message: 'Required value' }]);
      if (previous === undefined) {
        validatePod(resource, pod);
        defaultPod(pod);
      } else validatePodUpdate(resource, previous as Pod, pod);
      break;
    }
    case 'PodDisruptionBudget':
      if (!isRecord(object.spec)) object.spec = {};
      validatePdb(resource, object as PodDisruptionBudget);
      break;
    case 'Deployment':
      validateDeployment(resource, object as Deployment);
      defaultDeployment(object as Deployment);
      break;
    case 'Lease':
      validateLease(resource, object);
      break;
    case 'Service':
      defaultService(object);
      break;
    case 'Job':
      if (!isRecord(object.spec)) throw invalid(resource, object.metadata.name, [{ field: 'spec', message: 'Required value' }]);
      if (previous === undefined) defaultJob(object);
      break;
    case 'Event':
      admitEvent(resource, object);
      break;
    case 'Node':
      if (object.spec === undefined) object.spec = {};
      if (object.status === undefined) object.status = {};
      validateNode(resource, object as Node);
      break;
    default:
      break;
  }
}

export class StoreWrites {
  constructor(
    private readonly state: ClusterState,
    private readonly events: EventExpiry,
    private readonly hooks: WriteHooks,
  ) {}

  /** The namespace, created if it does not exist yet. */
  ensureNamespace(name: string): DeepReadonly<KubeObject> {
    const existing = this.state.store.get('Namespace', undefined, name);
    if (existing !== undefined) return existing;
    return this.createObject(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: '', resourceVersion: '', creationTimestamp: '' },
      spec: { finalizers: ['kubernetes'] },
    });
  }

  /**
   * Create: name (or generateName), uid, times, defaults and validation, then store. A dry run
   * stops before the store and draws nothing from the seeded random source (no uid), so it cannot
   * change what the cluster does next.
   */
  createObject(resource: ResourceType, object: KubeObject, dryRun = false): KubeObject {
    const meta = object.metadata;
    const storage = storageResource(resource.stored);
    if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '') {
      if (dryRun) meta.name = `${meta.generateName}dryrun`;
      else
        do meta.name = `${meta.generateName}${this.state.random.safeString(5)}`;
        while (this.state.store.get(resource.stored, meta.namespace, meta.name) !== undefined);
    }
    if (typeof meta.name !== 'string' || meta.name === '') {
      throw invalid(resource, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    const problem = nameProblem(resource, meta.name);
    if (problem !== undefined) throw invalid(resource, meta.name, [{ field: 'metadata.name', message: problem }]);
    if (this.state.store.get(resource.stored, meta.namespace, meta.name) !== undefined) throw alreadyExists(resource, meta.name);
    meta.uid = dryRun ? '' : this.state.random.uuid();
    meta.creationTimestamp = formatTime(this.state.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (storage.generation) meta.generation = 1;
    else delete meta.generation;
    admit(resource, undefined, object);
    if (storage.statusSubresource && resource.stored !== 'Node' && resource.stored !== 'Pod' && resource.stored !== 'Namespace')
      delete object.status;
    if (resource.stored === 'Namespace') object.status = { phase: 'Active' };
    return dryRun ? object : this.writeObject(storage, undefined, object);
  }

  /** Update (PUT or patched): resourceVersion check, immutable metadata, status subresource, generation. A dry run stops before the store. */
  updateObject(resource: ResourceType, previous: KubeObject, next: KubeObject, dryRun = false): KubeObject {
    const storage = storageResource(resource.stored);
    const version = next.metadata.resourceVersion;
    if (version !== undefined && version !== '' && version !== previous.metadata.resourceVersion)
      throw conflict(resource, previous.metadata.name);
    const meta = next.metadata;
    meta.name = previous.metadata.name;
    if (previous.metadata.namespace !== undefined) meta.namespace = previous.metadata.namespace;
    else delete meta.namespace;
    meta.uid = previous.metadata.uid;
    meta.creationTimestamp = previous.metadata.creationTimestamp;
    for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'generateName'] as const) {
      if (previous.metadata[field] !== undefined) (meta as Record<string, unknown>)[field] = previous.metadata[field];
      else delete meta[field];
    }
    meta.resourceVersion = previous.metadata.resourceVersion;
    if (storage.statusSubresource) {
      if (previous.status !== undefined) next.status = cloneJson(previous.status);
      else delete next.status;
    }
    admit(resource, previous, next);
    if (storage.generation && !sameJson(previous.spec, next.spec)) meta.generation = (previous.metadata.generation ?? 1) + 1;
    // A write that changes nothing keeps the resourceVersion, as on the real server.
    if (sameJson(withoutVersion(previous), withoutVersion(next))) return previous;
    return dryRun ? next : this.writeObject(storage, previous, next);
  }

  /** Stores a new version (or the first) of an object and lets the indexes and controllers know. */
  writeObject(resource: ResourceType, previous: KubeObject | undefined, object: KubeObject): KubeObject {
    const state = this.state;
    const stored = state.store.put(resource.stored, object);
    switch (resource.stored) {
      case 'Pod':
        this.indexPod(podKeyOf(stored as Pod), previous as Pod | undefined, stored as Pod);
        state.podOfJobChanged(stored as Pod);
        break;
      case 'Node':
        this.indexNode(previous as Node | undefined, stored as Node);
        break;
      case 'Deployment': {
        const key = objectKey(stored.metadata.namespace, stored.metadata.name);
        state.dirtyDeployments.add(key);
        if (previous !== undefined && !sameJson((previous as Deployment).spec.template, (stored as Deployment).spec.template))
          state.templateChanged.add(key);
        const before = (previous as Deployment | undefined)?.spec.replicas;
        if (before !== (stored as Deployment).spec.replicas) state.pdbIndex.staleNamespace(stored.metadata.namespace ?? '');
        break;
      }
      case 'ReplicaSet': {
        state.dirtyReplicaSets.add(objectKey(stored.metadata.namespace, stored.metadata.name));
        const owner = controllerOf(stored);
        if (owner?.kind === 'Deployment') state.dirtyDeployments.add(objectKey(stored.metadata.namespace, owner.name));
        if ((previous as ReplicaSet | undefined)?.spec.replicas !== (stored as ReplicaSet).spec.replicas)
          state.pdbIndex.staleNamespace(stored.metadata.namespace ?? '');
        break;
      }
      case 'PodDisruptionBudget':
        state.pdbIndex.set(
          stored as PodDisruptionBudget,
          previous === undefined || !sameJson(previous.spec, stored.spec),
          () => state.store.page('Pod', { namespace: stored.metadata.namespace ?? '' }).items as Pod[],
        );
        break;
      case 'Event':
        if (previous === undefined) this.events.created(stored);
        break;
      default:
        break;
    }
    return stored;
  }

  /** Removes an object now; with `cascade`, what it owns goes too (background garbage collection). */
  removeObject(kind: StoredKind, object: KubeObject, cascade: boolean): KubeObject {
    const state = this.state;
    const removed = state.store.remove(kind, object.metadata.namespace, object.metadata.name);
    if (removed === undefined) return object;
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    switch (kind) {
      case 'Pod':
        this.indexPod(key, removed as Pod, undefined);
        state.podOfJobChanged(removed as Pod);
        break;
      case 'PodDisruptionBudget':
        state.pdbIndex.remove(object.metadata.namespace ?? '', object.metadata.name);
        break;
      case 'Deployment': {
        const rsKey = state.replicaSetOfDeployment.get(key);
        state.replicaSetOfDeployment.delete(key);
        if (cascade && rsKey !== undefined) {
          const rs = state.store.getByKey('ReplicaSet', rsKey);
          if (rs !== undefined) this.removeObject('ReplicaSet', rs, true);
        }
        break;
      }
      case 'ReplicaSet':
        if (cascade) for (const podKey of [...state.podIndex.ownedBy(removed.metadata.uid)]) this.hooks.deletePod(podKey);
        break;
      default:
        break;
    }
    return removed;
  }

  /** A new version of a stored pod, changed by `change` on a draft (the stored one is never mutated). */
  updatePod(key: string, change: (pod: Pod) => void): Pod | undefined {
    const previous = this.state.store.getByKey<Pod>('Pod', key);
    if (previous === undefined) return undefined;
    const next = draftPod(previous);
    change(next);
    return this.writeObject(PODS, previous, next) as Pod;
  }

  private indexPod(key: string, previous: Pod | undefined, next: Pod | undefined): void {
    this.state.podIndex.update(key, previous, next);
    this.state.pdbIndex.podChanged(key, previous, next);
  }

  private indexNode(previous: Node | undefined, next: Node): void {
    this.state.dirtyNodes.add(next.metadata.name);
    if (
      previous === undefined ||
      !sameJson(previous.spec, next.spec) ||
      !sameJson(previous.metadata.labels, next.metadata.labels) ||
      isNodeReady(previous) !== isNodeReady(next) ||
      !sameJson(previous.status.allocatable, next.status.allocatable)
    ) {
      this.state.schedulingNeeded = true;
    }
  }
}
