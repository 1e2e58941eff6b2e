// A controller object (ReplicaSet, StatefulSet, Job, DaemonSet, ReplicationController) → its key,
// `Kind/namespace/name`. Only the name matters to the core (does the pod's owner still exist?), so
// nothing else is read: the cluster reader asks for metadata only.

import { controllerKey } from '../../../core/views';
import { objectAt, done, requiredString, rootObject, type Problems } from './fields';

/** The kinds whose names are read. */
export const CONTROLLER_KINDS: ReadonlySet<string> = new Set(['ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicationController']);

export function projectControllerKey(kind: string, raw: unknown): string {
  const object = rootObject(raw, kind);
  const problems: Problems = [];
  const metadata = objectAt(problems, object.metadata, 'metadata');
  const namespace = requiredString(problems, metadata.namespace, 'metadata.namespace');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  return done(problems, controllerKey(kind, namespace, name));
}
