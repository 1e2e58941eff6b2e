// Kubernetes objects → the core's compact views. Accepts both the JSON kubectl prints (timestamps as
// strings) and what @kubernetes/client-node 1.4 deserialises (the same camelCase keys, timestamps as
// Date objects), so the CLI reading a dump and the function reading the API share one projection.
//
// It runs over every pod of a 5,000-node cluster (150,000 pods) on each tick, so the happy path
// allocates little: field paths for messages are only built when something is wrong, label and
// nodeSelector objects are shared with the input instead of copied, absent maps share one frozen
// empty object, identical toleration lists (every pod carries the same defaults) are shared, and
// timestamps are read without a regex. Views may therefore alias parts of the input: do not mutate
// an input after projecting it.

import {
  AGENT_POOL_LABEL,
  DESCHEDULER_EVICT,
  DO_NOT_DISRUPT,
  LEGACY_AGENT_POOL_LABEL,
  OUR_PREFIX,
  POD_DELETION_COST,
  SAFE_TO_EVICT,
  SCALE_DOWN_DISABLED,
  SHUTDOWN_TAINT,
} from '../../core/annotations';
import { InputError } from '../../core/errors';
import { parseQuantity } from '../../core/quantity';
import { selectorFromKubernetes } from '../../core/selector';
import type {
  ControllerRef,
  LabelSelector,
  NodeView,
  PdbView,
  PodPhase,
  PodView,
  Resources,
  Snapshot,
  Taint,
  TaintEffect,
  Toleration,
  VmRef,
  WorkloadView,
} from '../../core/views';

export interface ListDocument {
  /** Where the document came from (a file name, `api`), the first word of every message about it. */
  source: string;
  json: unknown;
}

export type ClusterSnapshot = Omit<Snapshot, 'queues'>;

type Json = Record<string, unknown>;

const EMPTY_JSON: Json = Object.freeze({});
const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAINTS: readonly Taint[] = Object.freeze([]);
const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);

/** Past this many, one more line counts the rest: a dump that is wrong everywhere is wrong the same way. */
const MAX_PROBLEMS = 100;

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const DEFAULT_GRACE_SECONDS = 30;

// The annotations the core reads; everything else (last-applied-configuration can be kilobytes)
// is dropped at the edge.
const NODE_ANNOTATIONS: ReadonlySet<string> = new Set([SCALE_DOWN_DISABLED, DO_NOT_DISRUPT]);
const POD_ANNOTATIONS: ReadonlySet<string> = new Set([SAFE_TO_EVICT, DO_NOT_DISRUPT, DESCHEDULER_EVICT, POD_DELETION_COST, MIRROR_ANNOTATION]);

const PHASES: ReadonlySet<string> = new Set<PodPhase>(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);
const EFFECTS: ReadonlySet<string> = new Set<TaintEffect>(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

// azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachineScaleSets/<vmss>/virtualMachines/<id>
// ARM paths are case-insensitive, and AKS writes the resource group in lower case.
const VMSS_PROVIDER_ID =
  /^azure:\/\/\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)\/virtualMachines\/([^/]+)$/i;

// ---------------------------------------------------------------------------------------------
// Reading unknown JSON. Each reader returns a usable value even when it records a problem, so one
// pass reports every problem of an object.

type Problems = string[];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

/** `base`, or `base[index]field`: built only when a problem is reported, never on the happy path. */
function pathOf(base: string, index: number, field: string): string {
  return index < 0 ? base : `${base}[${index}]${field}`;
}

function expected(problems: Problems, value: unknown, what: string, base: string, index = -1, field = ''): void {
  const path = pathOf(base, index, field);
  problems.push(isAbsent(value) ? `${path}: expected ${what}` : `${path}: expected ${what}, got ${shown(value)}`);
}

function objectAt(problems: Problems, value: unknown, base: string, index = -1, field = ''): Json {
  if (isObject(value)) return value;
  if (!isAbsent(value)) expected(problems, value, 'an object', base, index, field);
  return EMPTY_JSON;
}

function arrayAt(problems: Problems, value: unknown, base: string): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isAbsent(value)) expected(problems, value, 'an array', base);
  return undefined;
}

function requiredString(problems: Problems, value: unknown, base: string, index = -1, field = ''): string {
  if (typeof value === 'string' && value !== '') return value;
  expected(problems, value, value === '' ? 'a non-empty string' : 'a string', base, index, field);
  return '';
}

function optionalString(problems: Problems, value: unknown, base: string, index = -1, field = ''): string | undefined {
  if (typeof value === 'string') return value;
  if (!isAbsent(value)) expected(problems, value, 'a string', base, index, field);
  return undefined;
}

function optionalInteger(problems: Problems, value: unknown, path: string, min: number): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  if (!isAbsent(value)) expected(problems, value, min === 0 ? 'a whole number ≥ 0' : 'a whole number', path);
  return undefined;
}

function optionalBoolean(problems: Problems, value: unknown, path: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (!isAbsent(value)) expected(problems, value, 'true or false', path);
  return undefined;
}

/** Epoch milliseconds from an RFC 3339 string (kubectl) or a Date (client-node). */
function timeAt(problems: Problems, value: unknown, path: string, required: boolean): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isNaN(ms)) return ms;
  } else if (typeof value === 'string') {
    const ms = parseRfc3339(value);
    if (ms !== undefined) return ms;
  } else if (isAbsent(value) && !required) {
    return undefined;
  }
  expected(problems, value, 'an RFC 3339 timestamp', path);
  return undefined;
}

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : Number.NaN;
}

function numberAt(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + digitAt(text, i);
  return n;
}

/**
 * `2026-11-01T00:00:00Z`, `…00.123456Z`, `…00+09:00` as epoch milliseconds; undefined otherwise.
 * Read by hand: a regex and Date.parse cost a microsecond per timestamp, and a pod has three
 * (Date.parse would also take "Nov 1" for a time).
 */
export function parseRfc3339(text: string): number | undefined {
  if (text.length < 20) return undefined;
  const sep = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) || // T t space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = numberAt(text, 0, 4);
  const month = numberAt(text, 5, 2);
  const day = numberAt(text, 8, 2);
  const hour = numberAt(text, 11, 2);
  const minute = numberAt(text, 14, 2);
  const second = numberAt(text, 17, 2);
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    // Fractional seconds: keep milliseconds, ignore finer digits.
    i++;
    const start = i;
    let scale = 100;
    while (i < text.length && !Number.isNaN(digitAt(text, i))) {
      millis += digitAt(text, i) * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return undefined;
    millis = Math.floor(millis);
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    i++; // Z z
  } else if ((zone === 43 || zone === 45) && text.length === i + 6 && text.charCodeAt(i + 3) === 58) {
    offsetMinutes = (zone === 45 ? -1 : 1) * (numberAt(text, i + 1, 2) * 60 + numberAt(text, i + 4, 2));
    i += 6;
  } else {
    return undefined;
  }
  if (i !== text.length || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  // A non-digit anywhere made its field NaN, which every range check above let through.
  return Number.isNaN(ms) ? undefined : ms;
}

/** A string→string map, returned as is (not copied) once checked; absent or empty → the shared empty map. */
function stringMapAt(problems: Problems, value: unknown, path: string): Readonly<Record<string, string>> {
  if (!isObject(value)) {
    if (!isAbsent(value)) expected(problems, value, 'an object of strings', path);
    return EMPTY_MAP;
  }
  let empty = true;
  for (const key in value) {
    empty = false;
    const entry = value[key];
    if (typeof entry !== 'string') expected(problems, entry, 'a string', `${path}["${key}"]`);
  }
  return empty ? EMPTY_MAP : (value as Record<string, string>);
}

/** Only the annotations the core reads; a new object only when one is kept. */
function annotationsAt(
  problems: Problems,
  value: unknown,
  path: string,
  kept: ReadonlySet<string>,
): Readonly<Record<string, string>> {
  if (!isObject(value)) {
    if (!isAbsent(value)) expected(problems, value, 'an object of strings', path);
    return EMPTY_MAP;
  }
  let result: Record<string, string> | undefined;
  for (const key in value) {
    if (!key.startsWith(OUR_PREFIX) && !kept.has(key)) continue;
    const entry = value[key];
    if (typeof entry !== 'string') {
      expected(problems, entry, 'a string', `${path}["${key}"]`);
      continue;
    }
    result ??= {};
    result[key] = entry;
  }
  return result ?? EMPTY_MAP;
}

function quantityAt(problems: Problems, value: unknown, base: string, index = -1, field = ''): number {
  if (isAbsent(value)) return 0;
  const parsed = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  if (parsed !== undefined) return parsed;
  expected(problems, value, 'a quantity such as "250m", "512Mi" or "2"', base, index, field);
  return 0;
}

/** The condition of `type`, once its status and reason are checked to be strings. */
function conditionOf(problems: Problems, value: unknown, type: string): Json | undefined {
  const conditions = arrayAt(problems, value, 'status.conditions');
  if (conditions === undefined) return undefined;
  for (let i = 0; i < conditions.length; i++) {
    const condition = conditions[i];
    if (!isObject(condition)) {
      expected(problems, condition, 'an object', 'status.conditions', i);
      continue;
    }
    if (condition.type !== type) continue;
    requiredString(problems, condition.status, 'status.conditions', i, '.status');
    optionalString(problems, condition.reason, 'status.conditions', i, '.reason');
    return condition;
  }
  return undefined;
}

function rootObject(raw: unknown, kind: string): Json {
  if (isObject(raw)) return raw;
  throw new InputError(`expected a ${kind} object, got ${shown(raw)}`);
}

function done<T>(problems: Problems, view: T): T {
  if (problems.length > 0) throw new InputError(problems);
  return view;
}

// ---------------------------------------------------------------------------------------------
// Nodes

/** The scale-set instance named by an AKS node's `spec.providerID`; undefined for anything else. */
export function parseProviderId(providerId: string): VmRef | undefined {
  const match = VMSS_PROVIDER_ID.exec(providerId);
  if (match === null) return undefined;
  const [, subscription, resourceGroup, scaleSet, instanceId] = match;
  if (subscription === undefined || resourceGroup === undefined || scaleSet === undefined || instanceId === undefined) {
    return undefined;
  }
  return { subscription, resourceGroup, scaleSet, instanceId };
}

function taintsAt(problems: Problems, value: unknown): readonly Taint[] {
  const list = arrayAt(problems, value, 'spec.taints');
  if (list === undefined || list.length === 0) return NO_TAINTS;
  const taints: Taint[] = [];
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!isObject(raw)) {
      expected(problems, raw, 'an object', 'spec.taints', i);
      continue;
    }
    const key = requiredString(problems, raw.key, 'spec.taints', i, '.key');
    const value = optionalString(problems, raw.value, 'spec.taints', i, '.value');
    const effect = raw.effect;
    if (typeof effect !== 'string' || !EFFECTS.has(effect)) {
      expected(problems, effect, 'NoSchedule, PreferNoSchedule or NoExecute', 'spec.taints', i, '.effect');
      continue;
    }
    const taint: Taint = { key, effect: effect as TaintEffect };
    if (value !== undefined && value !== '') taint.value = value;
    taints.push(taint);
  }
  return taints;
}

export function projectNode(raw: unknown): NodeView {
  const node = rootObject(raw, 'Node');
  const problems: Problems = [];
  // Read in document order (metadata, spec, status), so problems are listed as a person reads the object.
  const metadata = objectAt(problems, node.metadata, 'metadata');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const labels = stringMapAt(problems, metadata.labels, 'metadata.labels');
  const annotations = annotationsAt(problems, metadata.annotations, 'metadata.annotations', NODE_ANNOTATIONS);
  const createdAt = timeAt(problems, metadata.creationTimestamp, 'metadata.creationTimestamp', true) ?? 0;

  const spec = objectAt(problems, node.spec, 'spec');
  const providerId = optionalString(problems, spec.providerID, 'spec.providerID');
  const taints = taintsAt(problems, spec.taints);
  const cordoned = optionalBoolean(problems, spec.unschedulable, 'spec.unschedulable') === true;

  const status = objectAt(problems, node.status, 'status');
  const allocatable = objectAt(problems, status.allocatable, 'status.allocatable');
  const pods = quantityAt(problems, allocatable.pods, 'status.allocatable.pods');
  const cpu = quantityAt(problems, allocatable.cpu, 'status.allocatable.cpu');
  const memory = quantityAt(problems, allocatable.memory, 'status.allocatable.memory');
  const ready = conditionOf(problems, status.conditions, 'Ready')?.status === 'True';

  let power: NodeView['power'] = 'unknown';
  if (ready) power = 'running';
  else if (taints.some((taint) => taint.key === SHUTDOWN_TAINT)) power = 'deallocated';

  return done(problems, {
    name,
    pool: labels[AGENT_POOL_LABEL] ?? labels[LEGACY_AGENT_POOL_LABEL],
    labels,
    annotations,
    taints,
    cordoned,
    ready,
    allocatable: { pods: Math.round(pods), cpuMilli: Math.round(cpu * 1000), memoryBytes: Math.round(memory) },
    createdAt,
    vm: providerId === undefined ? undefined : parseProviderId(providerId),
    power,
  });
}

// ---------------------------------------------------------------------------------------------
// Pods

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
    return {
      kind: requiredString(problems, owner.kind, 'metadata.ownerReferences', i, '.kind'),
      name: requiredString(problems, owner.name, 'metadata.ownerReferences', i, '.name'),
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

function usesLocalStorage(problems: Problems, value: unknown): boolean {
  const volumes = arrayAt(problems, value, 'spec.volumes');
  if (volumes === undefined) return false;
  let local = false;
  for (let i = 0; i < volumes.length; i++) {
    const volume = volumes[i];
    if (!isObject(volume)) {
      expected(problems, volume, 'an object', 'spec.volumes', i);
      continue;
    }
    // A memory-backed emptyDir is RAM, lost with the pod wherever it runs; only a disk one holds data.
    if (isObject(volume.hostPath) || (isObject(volume.emptyDir) && volume.emptyDir.medium !== 'Memory')) local = true;
  }
  return local;
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
  const terminating = timeAt(problems, metadata.deletionTimestamp, 'metadata.deletionTimestamp', false) !== undefined;

  const spec = objectAt(problems, pod.spec, 'spec');
  const node = optionalString(problems, spec.nodeName, 'spec.nodeName') || undefined;
  const requests = podRequests(problems, spec);
  const priority = optionalInteger(problems, spec.priority, 'spec.priority', Number.MIN_SAFE_INTEGER) ?? 0;
  const graceSeconds =
    optionalInteger(problems, spec.terminationGracePeriodSeconds, 'spec.terminationGracePeriodSeconds', 0) ?? DEFAULT_GRACE_SECONDS;
  const localStorage = usesLocalStorage(problems, spec.volumes);
  const nodeSelector = stringMapAt(problems, spec.nodeSelector, 'spec.nodeSelector');
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
    localStorage,
    createdAt,
    startedAt,
    daemonSet: controller?.kind === 'DaemonSet',
    mirror: annotations[MIRROR_ANNOTATION] !== undefined,
    nodeSelector,
    tolerations,
  });
}

// ---------------------------------------------------------------------------------------------
// PodDisruptionBudgets and Deployments

/** A `matchLabels`/`matchExpressions` selector; undefined when absent or null (matches nothing). */
function selectorAt(problems: Problems, value: unknown, path: string): LabelSelector | undefined {
  if (isAbsent(value)) return undefined;
  if (!isObject(value)) {
    expected(problems, value, 'a label selector (matchLabels / matchExpressions)', path);
    return undefined;
  }
  const before = problems.length;
  const matchLabels = stringMapAt(problems, value.matchLabels, `${path}.matchLabels`);
  const expressions = arrayAt(problems, value.matchExpressions, `${path}.matchExpressions`) ?? [];
  const matchExpressions: { key: string; operator: string; values?: string[] }[] = [];
  expressions.forEach((expression, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    if (!isObject(expression)) {
      expected(problems, expression, 'an object', at);
      return;
    }
    const key = requiredString(problems, expression.key, `${at}.key`);
    const operator = requiredString(problems, expression.operator, `${at}.operator`);
    const values = arrayAt(problems, expression.values, `${at}.values`) ?? [];
    const strings: string[] = [];
    values.forEach((v, j) => {
      if (typeof v === 'string') strings.push(v);
      else expected(problems, v, 'a string', `${at}.values`, j);
    });
    matchExpressions.push({ key, operator, values: strings });
  });
  if (problems.length > before) return undefined;
  try {
    return selectorFromKubernetes({ matchLabels, matchExpressions });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const problem of error.problems) problems.push(`${path}.${problem}`);
    return undefined;
  }
}

export function projectPdb(raw: unknown): PdbView {
  const pdb = rootObject(raw, 'PodDisruptionBudget');
  const problems: Problems = [];
  const metadata = objectAt(problems, pdb.metadata, 'metadata');
  const namespace = requiredString(problems, metadata.namespace, 'metadata.namespace');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const spec = objectAt(problems, pdb.spec, 'spec');
  const selector = selectorAt(problems, spec.selector, 'spec.selector');
  const status = objectAt(problems, pdb.status, 'status');
  // Until the disruption controller has counted, nothing may be disrupted.
  const disruptionsAllowed = optionalInteger(problems, status.disruptionsAllowed, 'status.disruptionsAllowed', 0) ?? 0;
  return done(problems, { namespace, name, selector, disruptionsAllowed });
}

export function projectDeployment(raw: unknown): WorkloadView {
  const deployment = rootObject(raw, 'Deployment');
  const problems: Problems = [];
  const metadata = objectAt(problems, deployment.metadata, 'metadata');
  const namespace = requiredString(problems, metadata.namespace, 'metadata.namespace');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const spec = objectAt(problems, deployment.spec, 'spec');
  // The API server defaults an absent replicas to 1; status omits readyReplicas when none are ready.
  const replicas = optionalInteger(problems, spec.replicas, 'spec.replicas', 0) ?? 1;
  if (isAbsent(spec.selector)) expected(problems, spec.selector, 'a label selector (matchLabels / matchExpressions)', 'spec.selector');
  const selector = selectorAt(problems, spec.selector, 'spec.selector');
  const status = objectAt(problems, deployment.status, 'status');
  const readyReplicas = optionalInteger(problems, status.readyReplicas, 'status.readyReplicas', 0) ?? 0;
  return done(problems, {
    namespace,
    name,
    kind: 'Deployment',
    replicas,
    readyReplicas,
    selector: selector ?? { requirements: [] },
  });
}

// ---------------------------------------------------------------------------------------------
// Lists

/** Views by namespace and name; a later one replaces an earlier one in its place. */
class Namespaced<T extends { namespace: string; name: string }> {
  private readonly byNamespace = new Map<string, Map<string, T>>();

  set(view: T): void {
    let names = this.byNamespace.get(view.namespace);
    if (names === undefined) {
      names = new Map();
      this.byNamespace.set(view.namespace, names);
    }
    names.set(view.name, view);
  }

  values(): T[] {
    const all: T[] = [];
    for (const names of this.byNamespace.values()) for (const view of names.values()) all.push(view);
    return all;
  }
}

const NOT_A_LIST = 'expected a Kubernetes List (kubectl get … -o json)';

function describeItem(kind: string, item: Json): string {
  const metadata = isObject(item.metadata) ? item.metadata : EMPTY_JSON;
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  if (name === undefined) return kind;
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/**
 * Projects `kubectl get … -o json` Lists (or the API's typed lists: `PodList`, `NodeList`, whose
 * items carry no `kind`) into a snapshot. Nodes, Pods, PodDisruptionBudgets and Deployments are
 * read; other kinds are ignored. An object in several documents is kept once, the later winning.
 * Nodes come in order of first appearance; namespaced objects grouped by namespace, likewise.
 * Throws an InputError naming every problem with its source and item (the first 100, then a count).
 */
export function snapshotFromLists(documents: readonly ListDocument[]): ClusterSnapshot {
  const problems: Problems = [];
  let dropped = 0;
  const report = (problem: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else dropped++;
  };

  // By name, and by namespace then name: no `namespace/name` string to build per pod.
  const nodes = new Map<string, NodeView>();
  const pods = new Namespaced<PodView>();
  const pdbs = new Namespaced<PdbView>();
  const workloads = new Namespaced<WorkloadView>();

  for (const { source, json } of documents) {
    if (!isObject(json)) {
      report(`${source}: ${NOT_A_LIST}, got ${shown(json)}`);
      continue;
    }
    const listKind = json.kind;
    if (typeof listKind !== 'string' || !listKind.endsWith('List')) {
      report(`${source}: ${NOT_A_LIST}, got ${typeof listKind === 'string' ? `kind "${listKind}"` : 'no kind'}`);
      continue;
    }
    const items = json.items;
    if (!Array.isArray(items)) {
      report(`${source}: items: expected an array, got ${isAbsent(items) ? 'nothing' : shown(items)}`);
      continue;
    }
    const impliedKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);

    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!isObject(item)) {
        report(`${source}: items[${i}]: expected an object, got ${shown(item)}`);
        continue;
      }
      const kind = isAbsent(item.kind) ? impliedKind : item.kind;
      if (typeof kind !== 'string') {
        report(`${source}: items[${i}]: kind: expected a string${isAbsent(item.kind) ? '' : `, got ${shown(item.kind)}`}`);
        continue;
      }
      try {
        switch (kind) {
          case 'Node': {
            const view = projectNode(item);
            nodes.set(view.name, view);
            break;
          }
          case 'Pod': {
            const view = projectPod(item);
            pods.set(view);
            break;
          }
          case 'PodDisruptionBudget': {
            const view = projectPdb(item);
            pdbs.set(view);
            break;
          }
          case 'Deployment': {
            const view = projectDeployment(item);
            workloads.set(view);
            break;
          }
          default:
          // Other kinds (Services, ReplicaSets, …) are not the core's business.
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const where = `${source}: items[${i}] (${describeItem(kind, item)})`;
        for (const problem of error.problems) report(`${where}: ${problem}`);
      }
    }
  }

  if (problems.length > 0) {
    if (dropped > 0) problems.push(`… and ${dropped} more problem${dropped === 1 ? '' : 's'}`);
    throw new InputError(problems);
  }
  return {
    nodes: [...nodes.values()],
    pods: pods.values(),
    pdbs: pdbs.values(),
    workloads: workloads.values(),
  };
}
