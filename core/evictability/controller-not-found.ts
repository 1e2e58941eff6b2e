// An owner reference to a controller that no longer exists (deleted with --cascade=orphan, or
// meanwhile): nothing would recreate the pod, so it stays. Only the built-in controllers are
// looked up, in their own API group: a custom controller of the same kind name (OpenKruise's
// StatefulSet in apps.kruise.io) is not ours to judge. A pod already leaving or finished is not
// evicted by us, so nobody needs to recreate it.

import { controllerKey } from '../views';
import type { EvictionRule } from './types';

/** The controllers that are looked up, with the API groups they are served in (undefined: any, as cluster-autoscaler does for ReplicaSets). */
export const LOOKED_UP_CONTROLLERS: ReadonlyMap<string, readonly string[] | undefined> = new Map([
  ['ReplicaSet', undefined],
  ['StatefulSet', ['apps']],
  ['Job', ['batch']],
  ['DaemonSet', ['apps']],
  ['ReplicationController', ['']],
]);

export const controllerNotFound: EvictionRule = (pod, ctx) => {
  const owner = pod.controller;
  const known = ctx.controllers;
  if (!owner || !known || pod.terminating || pod.phase === 'Succeeded' || pod.phase === 'Failed') return undefined;
  if (!LOOKED_UP_CONTROLLERS.has(owner.kind) || !known.kinds.has(owner.kind)) return undefined;
  const groups = LOOKED_UP_CONTROLLERS.get(owner.kind);
  if (groups && owner.group !== undefined && !groups.includes(owner.group)) return undefined;
  if (known.names.has(controllerKey(owner.kind, pod.namespace, owner.name))) return undefined;
  return {
    kind: 'blocked',
    rule: 'controller-not-found',
    detail: `owned by ${owner.kind} ${owner.name}, which no longer exists: nothing would recreate it`,
  };
};
