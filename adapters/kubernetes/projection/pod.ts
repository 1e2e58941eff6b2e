// Pod → PodView: owner, requests (sidecars and init containers counted as the scheduler does),
// local storage, priority, grace period, node selector, required node affinity and pod anti-affinity,
// tolerations and phase.
//
// Every pod of a large cluster is projected on each tick, so identical requests and toleration
// lists (every pod carries the same defaults) are shared between views. Views may therefore alias
// parts of the input: do not mutate an input after projecting it.

import {
  DAEMONSET_POD,
  DESCHEDULER_EVICT,
  DO_NOT_DISRUPT,
  POD_DELETION_COST,
  SAFE_TO_EVICT,
  SAFE_TO_EVICT_LOCAL_VOLUMES,
} from '../../../core/annotations';
import type { ControllerRef, PodPhase, PodView, Resources, TaintEffect, Toleration } from '../../../core/views';
import {
  EFFECTS,
  annotationsAt,
  arrayAt,
  conditionOf,
  done,
  expected,
  isAbsent,
  isObject,
  objectAt,
  optionalInteger,
  optionalString,
  quantityAt,
  requiredString,
  rootObject,
  stringMapAt,
  timeAt,
  type Json,
  type Problems,
} from './fields';
import { requiredNodeTermsAt } from './node-affinity';
import { antiAffinityAt } from './pod-anti-affinity';

const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const DEFAULT_GRACE_SECONDS = 30;

// The annotations the core reads; everything else (last-applied-configuration can be kilobytes)
// is dropped at the edge.
const POD_ANNOTATIONS: ReadonlySet<string> = new Set([
  SAFE_TO_EVICT,
  SAFE_TO_EVICT_LOCAL_VOLUMES,
  DAEMONSET_POD,
  DO_NOT_DISRUPT,
  DESCHEDULER_EVICT,
  POD_DELETION_COST,
  MIRROR_ANNOTATION,
]);

const NO_VOLUMES: readonly string[] = Object.freeze([]);

const PHASES: ReadonlySet<string> = new Set<PodPhase>(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

function controllerAt(problems: Problems, value: unknown): ControllerRef | undefined {
  const owners = arrayAt(problems, value, 'metadata.ownerReferences');
  if (owners === undefined) return undefined;
  for (let i = 0; i < owners.length; i++) {
    const owner = owners[i];
    if (!isObject(owner)) {
      expected(problems, owner, 'an object', 'metadata.ownerReferences', i);
      continue;
    }
    if (owner.controller !== true) continue;
    const apiVersion = optionalString(problems, owner.apiVersion, 'metadata.ownerReferences', i, '.apiVersion');
    return {
      kind: requiredString(problems, owner.kind, 'metadata.ownerReferences', i, '.kind'),
      name: requiredString(problems, owner.name, 'metadata.ownerReferences', i, '.name'),
      // `apps/v1` → apps, `v1` → '' (core); told apart so a custom controller of a built-in kind's name is not looked up.
      ...(apiVersion ? { group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '' } : {}),
    };
  }
  return undefined;
}

interface ContainerRequests {
  cpuMilli: number;
  memoryBytes: number;
  /** A restartable init container (native sidecar): runs for the pod's whole life. */
  sidecar: boolean;
}

// Reused for every container of every pod: read at once by the caller, never kept.
const scratch: ContainerRequests = { cpuMilli: 0, memoryBytes: 0, sidecar: false };

function containerRequests(problems: Problems, container: unknown, list: string, index: number): ContainerRequests {
  scratch.cpuMilli = 0;
  scratch.memoryBytes = 0;
  scratch.sidecar = false;
  if (!isObject(container)) {
    expected(problems, container, 'an object', list, index);
    return scratch;
  }
  const resources = objectAt(problems, container.resources, list, index, '.resources');
  const requests = objectAt(problems, resources.requests, list, index, '.resources.requests');
  scratch.cpuMilli = Math.round(quantityAt(problems, requests.cpu, list, index, '.resources.requests.cpu') * 1000);
  scratch.memoryBytes = Math.round(quantityAt(problems, requests.memory, list, index, '.resources.requests.memory'));
  scratch.sidecar = container.restartPolicy === 'Always';
  return scratch;
}

/**
 * The pod's effective request, as the scheduler computes it: the app containers plus the sidecars,
 * or the largest init container (plus the sidecars started before it) when that is larger, plus
 * the runtime class overhead. Each resource separately.
 */
function podRequests(problems: Problems, spec: Json): Resources {
  let cpu = 0;
  let memory = 0;
  const containers = arrayAt(problems, spec.containers, 'spec.containers');
  if (containers !== undefined) {
    for (let i = 0; i < containers.length; i++) {
      const r = containerRequests(problems, containers[i], 'spec.containers', i);
      cpu += r.cpuMilli;
      memory += r.memoryBytes;
    }
  }
  let sidecarCpu = 0;
  let sidecarMemory = 0;
  let initCpu = 0;
  let initMemory = 0;
  const inits = arrayAt(problems, spec.initContainers, 'spec.initContainers');
  if (inits !== undefined) {
    for (let i = 0; i < inits.length; i++) {
      const r = containerRequests(problems, inits[i], 'spec.initContainers', i);
      if (r.sidecar) {
        sidecarCpu += r.cpuMilli;
        sidecarMemory += r.memoryBytes;
        initCpu = Math.max(initCpu, sidecarCpu);
        initMemory = Math.max(initMemory, sidecarMemory);
      } else {
        initCpu = Math.max(initCpu, sidecarCpu + r.cpuMilli);
        initMemory = Math.max(initMemory, sidecarMemory + r.memoryBytes);
      }
    }
  }
  const overhead = objectAt(problems, spec.overhead, 'spec.overhead');
  return sharedRequests(
    Math.max(cpu + sidecarCpu, initCpu) + Math.round(quantityAt(problems, overhead.cpu, 'spec.overhead.cpu') * 1000),
    Math.max(memory + sidecarMemory, initMemory) + Math.round(quantityAt(problems, overhead.memory, 'spec.overhead.memory')),
  );
}

// The replicas of a workload all request the same, so requests are shared like toleration lists:
// the planners' walk over every pod's requests then reads a handful of objects that stay in cache
// rather than one object per pod, most of them long evicted since the last tick.
const RECENT_REQUESTS = 16;
const recentRequests: Resources[] = [];

function sharedRequests(cpuMilli: number, memoryBytes: number): Resources {
  for (let r = 0; r < recentRequests.length; r++) {
    const candidate = recentRequests[r]!;
    if (Object.is(candidate.cpuMilli, cpuMilli) && Object.is(candidate.memoryBytes, memoryBytes)) return candidate;
  }
  const made: Resources = Object.freeze({ cpuMilli, memoryBytes });
  if (recentRequests.length >= RECENT_REQUESTS) recentRequests.pop();
  recentRequests.unshift(made);
  return made;
}

/** The names of the pod's local volumes: hostPath, and emptyDir unless memory-backed (cluster-autoscaler's definition). */
function localVolumesOf(problems: Problems, value: unknown): readonly string[] {
  const volumes = arrayAt(problems, value, 'spec.volumes');
  if (volumes === undefined) return NO_VOLUMES;
  let local: string[] | undefined;
  for (let i = 0; i < volumes.length; i++) {
    const volume = volumes[i];
    if (!isObject(volume)) {
      expected(problems, volume, 'an object', 'spec.volumes', i);
      continue;
    }
    // A memory-backed emptyDir is RAM, lost with the pod wherever it runs; only a disk one holds data.
    if (isObject(volume.hostPath) || (isObject(volume.emptyDir) && volume.emptyDir.medium !== 'Memory')) {
      (local ??= []).push(optionalString(problems, volume.name, 'spec.volumes', i, '.name') ?? '');
    }
  }
  return local ?? NO_VOLUMES;
}

// Every pod carries the same few tolerations (the not-ready/unreachable defaults, `operator:
// Exists` on DaemonSets), so lists are shared: 150,000 pods need only a handful of them. A raw list
// is compared field by field with the recently seen ones, so a pod whose list was seen allocates
// nothing for it.
const RECENT_TOLERATION_LISTS = 16;
const recentTolerations: (readonly Toleration[])[] = [];

function sameToleration(toleration: Toleration, raw: unknown): boolean {
  if (!isObject(raw)) return false;
  const key = raw.key === '' || raw.key === null ? undefined : raw.key;
  const value = raw.value === '' || raw.value === null ? undefined : raw.value;
  const operator = raw.operator === '' || raw.operator === null ? undefined : raw.operator;
  const effect = raw.effect === '' || raw.effect === null ? undefined : raw.effect;
  return toleration.key === key && toleration.value === value && toleration.operator === operator && toleration.effect === effect;
}

function seenTolerations(list: readonly unknown[]): readonly Toleration[] | undefined {
  for (let r = 0; r < recentTolerations.length; r++) {
    const candidate = recentTolerations[r]!;
    if (candidate.length !== list.length) continue;
    let same = true;
    for (let i = 0; i < list.length && same; i++) same = sameToleration(candidate[i]!, list[i]);
    if (same) return candidate;
  }
  return undefined;
}

function tolerationsAt(problems: Problems, value: unknown): readonly Toleration[] {
  const list = arrayAt(problems, value, 'spec.tolerations');
  if (list === undefined || list.length === 0) return NO_TOLERATIONS;
  // Only valid lists are ever remembered, so a match is valid too.
  const seen = seenTolerations(list);
  if (seen !== undefined) return seen;

  const before = problems.length;
  const tolerations: Toleration[] = [];
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!isObject(raw)) {
      expected(problems, raw, 'an object', 'spec.tolerations', i);
      continue;
    }
    const toleration: Toleration = {};
    const key = optionalString(problems, raw.key, 'spec.tolerations', i, '.key');
    const value = optionalString(problems, raw.value, 'spec.tolerations', i, '.value');
    const operator = raw.operator;
    const effect = raw.effect;
    if (key !== undefined && key !== '') toleration.key = key;
    if (value !== undefined && value !== '') toleration.value = value;
    if (operator === 'Exists' || operator === 'Equal') toleration.operator = operator;
    else if (!isAbsent(operator) && operator !== '') {
      expected(problems, operator, 'Exists or Equal', 'spec.tolerations', i, '.operator');
    }
    // An empty effect, like an absent one, tolerates every effect.
    if (typeof effect === 'string' && EFFECTS.has(effect)) toleration.effect = effect as TaintEffect;
    else if (!isAbsent(effect) && effect !== '') {
      expected(problems, effect, 'NoSchedule, PreferNoSchedule, NoExecute or ""', 'spec.tolerations', i, '.effect');
    }
    tolerations.push(Object.freeze(toleration));
  }
  const shared: readonly Toleration[] = Object.freeze(tolerations);
  if (problems.length === before) {
    if (recentTolerations.length >= RECENT_TOLERATION_LISTS) recentTolerations.pop();
    recentTolerations.unshift(shared);
  }
  return shared;
}

export function projectPod(raw: unknown): PodView {
  const pod = rootObject(raw, 'Pod');
  const problems: Problems = [];
  // Read in document order (metadata, spec, status), so problems are listed as a person reads the object.
  const metadata = objectAt(problems, pod.metadata, 'metadata');
  const namespace = requiredString(problems, metadata.namespace, 'metadata.namespace');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const labels = stringMapAt(problems, metadata.labels, 'metadata.labels');
  const annotations = annotationsAt(problems, metadata.annotations, 'metadata.annotations', POD_ANNOTATIONS);
  const controller = controllerAt(problems, metadata.ownerReferences);
  const createdAt = timeAt(problems, metadata.creationTimestamp, 'metadata.creationTimestamp', true) ?? 0;
  const deletingAt = timeAt(problems, metadata.deletionTimestamp, 'metadata.deletionTimestamp', false);
  const terminating = deletingAt !== undefined;

  const spec = objectAt(problems, pod.spec, 'spec');
  const node = optionalString(problems, spec.nodeName, 'spec.nodeName') || undefined;
  const requests = podRequests(problems, spec);
  const priority = optionalInteger(problems, spec.priority, 'spec.priority', Number.MIN_SAFE_INTEGER) ?? 0;
  const graceSeconds =
    optionalInteger(problems, spec.terminationGracePeriodSeconds, 'spec.terminationGracePeriodSeconds', 0) ?? DEFAULT_GRACE_SECONDS;
  const localVolumes = localVolumesOf(problems, spec.volumes);
  const nodeSelector = stringMapAt(problems, spec.nodeSelector, 'spec.nodeSelector');
  const requiredNodeTerms = requiredNodeTermsAt(problems, spec.affinity);
  const antiAffinity = antiAffinityAt(problems, spec.affinity, namespace);
  const tolerations = tolerationsAt(problems, spec.tolerations);

  const status = objectAt(problems, pod.status, 'status');
  // The API server sets the phase at creation; a hand-written pod without one has not started.
  const rawPhase = status.phase;
  let phase: PodPhase = 'Pending';
  if (typeof rawPhase === 'string' && PHASES.has(rawPhase)) phase = rawPhase as PodPhase;
  else if (!isAbsent(rawPhase)) expected(problems, rawPhase, 'Pending, Running, Succeeded, Failed or Unknown', 'status.phase');
  const scheduled = conditionOf(problems, status.conditions, 'PodScheduled');
  const startedAt = timeAt(problems, status.startTime, 'status.startTime', false);

  return done(problems, {
    namespace,
    name,
    node,
    phase,
    unschedulable: phase === 'Pending' && scheduled?.status === 'False' && scheduled.reason === 'Unschedulable',
    controller,
    labels,
    annotations,
    requests,
    priority,
    graceSeconds,
    terminating,
    deletingAt,
    localStorage: localVolumes.length > 0,
    localVolumes,
    createdAt,
    startedAt,
    // A custom DaemonSet-like controller marks its pods so (cluster-autoscaler's daemonset-pod annotation).
    daemonSet: controller?.kind === 'DaemonSet' || annotations[DAEMONSET_POD] === 'true',
    mirror: annotations[MIRROR_ANNOTATION] !== undefined,
    nodeSelector,
    ...(requiredNodeTerms !== undefined ? { requiredNodeTerms } : {}),
    ...(antiAffinity !== undefined ? { antiAffinity } : {}),
    tolerations,
  });
}
