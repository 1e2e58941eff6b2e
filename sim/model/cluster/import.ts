// Objects stored as they are (status included), e.g. from test builders or a kubectl dump: Nodes,
// Pods (bound as given), PDBs, Deployments (which adopt the pods of their ReplicaSet), ConfigMaps,
// Leases, Namespaces. Namespaces are created as needed.

import { alreadyExists } from '../api-errors';
import { formatTime } from '../clock';
import { objectKey } from '../object-store';
import { cloneJson, isRecord, type KubeObject, type Pod } from '../objects';
import { apiVersionOf, DEPLOYMENTS, EVENTS, NODES, PODS, RESOURCES } from '../resources';
import type { PodLifecycle } from './pod-lifecycle';
import { podKeyOf, type ClusterState } from './state';
import type { StoreWrites } from './writes';

export function importObjects(
  state: ClusterState,
  writes: StoreWrites,
  pods: PodLifecycle,
  objects: readonly (object | readonly object[])[],
): void {
  for (const raw of objects.flat()) {
    if (!isRecord(raw) || typeof raw.kind !== 'string' || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') {
      throw new TypeError('import: expected Kubernetes objects with kind and metadata.name');
    }
    const resource = RESOURCES.find((r) => r.kind === raw.kind && r !== EVENTS);
    if (resource === undefined) throw new TypeError(`import: kind ${raw.kind} is not simulated`);
    const object = { apiVersion: apiVersionOf(resource), kind: resource.kind, ...cloneJson(raw) } as KubeObject;
    object.apiVersion = apiVersionOf(resource);
    if (resource === PODS || resource === NODES) {
      if (!isRecord(object.spec)) object.spec = resource === PODS ? { containers: [] } : {};
      if (!isRecord(object.status)) object.status = {};
    }
    object.metadata.uid = typeof object.metadata.uid === 'string' && object.metadata.uid !== '' ? object.metadata.uid : state.random.uuid();
    object.metadata.creationTimestamp ??= formatTime(state.now());
    if (resource.namespaced) {
      object.metadata.namespace ??= 'default';
      writes.ensureNamespace(object.metadata.namespace);
    }
    if (state.store.get(resource.stored, object.metadata.namespace, object.metadata.name) !== undefined) {
      throw alreadyExists(resource, object.metadata.name);
    }
    if (resource.generation) object.metadata.generation ??= 1;
    if (resource === DEPLOYMENTS) state.adoptable.add(objectKey(object.metadata.namespace, object.metadata.name));
    writes.writeObject(resource, undefined, object);
    const pod = object as Pod;
    if (
      resource === PODS &&
      pod.spec?.nodeName !== undefined &&
      pod.spec.nodeName !== '' &&
      (pod.status?.phase ?? 'Pending') === 'Pending'
    ) {
      pods.scheduleStart(podKeyOf(pod), pod.metadata.uid);
    }
  }
}
