// The Kubernetes objects the simulated cluster stores, shaped exactly as the API server serialises
// them (camelCase JSON, timestamps as RFC 3339 strings). Only the fields the model reads or writes
// are typed; anything else a client sends is kept as it came (the index signature), as the API
// server would keep it.
//
// Stored objects are never mutated: every change stores a new object (see ObjectStore), so a
// reference handed out by a read is a consistent snapshot, like an etcd revision.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
  observedGeneration?: number;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export interface Node extends KubeObject {
  spec: { providerID?: string; taints?: Taint[]; unschedulable?: boolean; [field: string]: unknown };
  status: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: Record<string, string>;
    [field: string]: unknown;
  };
}

export interface Container {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  restartPolicy?: string;
  [field: string]: unknown;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  state: { running?: { startedAt: string }; waiting?: { reason: string }; terminated?: { exitCode: number; reason: string } };
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A node selector requirement: `In`/`NotIn` compare values, `Gt`/`Lt` one integer, `Exists`/`DoesNotExist` the key. */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** `preferredDuringSchedulingIgnoredDuringExecution[]`: the scheduler adds `weight` (1-100) for each term a node matches. */
export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

export interface Affinity {
  nodeAffinity?: {
    /** A node must match one of the terms (the NodeAffinity filter, beside nodeSelector). */
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
    [field: string]: unknown;
  };
  podAntiAffinity?: {
    /** No pod a term selects may run in the same topology domain (the InterPodAffinity filter). */
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface PodAffinityTerm {
  labelSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  } | null;
  topologyKey: string;
  namespaces?: string[];
  namespaceSelector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | null;
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  containers: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  priority?: number;
  priorityClassName?: string;
  terminationGracePeriodSeconds?: number;
  restartPolicy?: string;
  schedulerName?: string;
  [field: string]: unknown;
}

export interface Pod extends KubeObject {
  metadata: ObjectMeta & { namespace: string };
  spec: PodSpec;
  status: {
    phase?: PodPhase;
    conditions?: Condition[];
    startTime?: string;
    hostIP?: string;
    podIP?: string;
    qosClass?: string;
    containerStatuses?: ContainerStatus[];
    [field: string]: unknown;
  };
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  spec: PodSpec;
}

export interface Deployment extends KubeObject {
  metadata: ObjectMeta & { namespace: string };
  spec: { replicas?: number; selector: LabelSelectorObject; template: PodTemplate; [field: string]: unknown };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
    [field: string]: unknown;
  };
}

export interface ReplicaSet extends KubeObject {
  metadata: ObjectMeta & { namespace: string };
  spec: { replicas?: number; selector: LabelSelectorObject; template: PodTemplate; [field: string]: unknown };
  status?: {
    replicas: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

export interface PodDisruptionBudget extends KubeObject {
  metadata: ObjectMeta & { namespace: string };
  spec: {
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    selector?: LabelSelectorObject | null;
    unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
    [field: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    currentHealthy: number;
    desiredHealthy: number;
    disruptionsAllowed: number;
    expectedPods: number;
    disruptedPods?: Record<string, string>;
    conditions?: Condition[];
  };
}

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
    [field: string]: unknown;
  };
}

/** A deep copy of a JSON value (objects read from the API or built by the model). */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = cloneJson((value as Record<string, unknown>)[key]);
  }
  return out as T;
}

/**
 * Whether two values serialise alike: `JSON.stringify(a) === JSON.stringify(b)`, without building
 * the strings. The model compares whole objects on most writes (a no-op write keeps its
 * resourceVersion; a status is written only when it changed), and two pods differ early or not at
 * all. Plain objects and arrays are walked as JSON.stringify walks them (own keys in order,
 * undefined members left out, in arrays written as null; NaN and infinities written as null);
 * anything else (a Date, a class instance) is compared by serialising it.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const skipA = leftOut(a);
  const skipB = leftOut(b);
  if (skipA || skipB) return skipA && skipB;
  return sameMember(a, b);
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function leftOut(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

type JsonShape = 'null' | 'number' | 'string' | 'boolean' | 'array' | 'object' | 'other';

function shapeOf(value: unknown): JsonShape {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? 'number' : 'null';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'array';
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function') return 'object';
      return 'other';
    }
    default:
      return 'other';
  }
}

/** Two values neither of which is left out. */
function sameMember(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const shape = shapeOf(a);
  const other = shapeOf(b);
  if (shape === 'other' || other === 'other') return JSON.stringify(a) === JSON.stringify(b);
  if (shape !== other) return false;
  switch (shape) {
    case 'null':
      return true;
    case 'array':
      return sameArray(a as readonly unknown[], b as readonly unknown[]);
    case 'object':
      return sameObject(a as Record<string, unknown>, b as Record<string, unknown>);
    default:
      // Distinct numbers, strings or booleans (0 and -0 are ===, and both serialise as 0).
      return false;
  }
}

function sameArray(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = leftOut(a[i]) ? null : a[i];
    const y = leftOut(b[i]) ? null : b[i];
    if (!sameMember(x, y)) return false;
  }
  return true;
}

function sameObject(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < keysA.length && leftOut(a[keysA[i]!])) i++;
    while (j < keysB.length && leftOut(b[keysB[j]!])) j++;
    if (i === keysA.length || j === keysB.length) return i === keysA.length && j === keysB.length;
    const key = keysA[i]!;
    if (key !== keysB[j] || !sameMember(a[key], b[key])) return false;
    i++;
    j++;
  }
}

/** Read-only all the way down: what reads of the model hand out (stored objects are shared). */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The condition of `type`, if present. */
export function conditionOf(conditions: readonly DeepReadonly<Condition>[] | undefined, type: string): DeepReadonly<Condition> | undefined {
  if (conditions === undefined) return undefined;
  for (const condition of conditions) if (condition.type === type) return condition;
  return undefined;
}

/**
 * Sets a condition in place (on an object being built), keeping lastTransitionTime when the status
 * does not change, as controllers do.
 */
export function setCondition(conditions: Condition[], next: Condition): void {
  const index = conditions.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? conditions[index] : undefined;
  const merged: Condition =
    previous !== undefined && previous.status === next.status && previous.lastTransitionTime !== undefined
      ? { ...next, lastTransitionTime: previous.lastTransitionTime }
      : next;
  if (index >= 0) conditions[index] = merged;
  else conditions.push(merged);
}

export function isPodReady(pod: DeepReadonly<Pod>): boolean {
  return conditionOf(pod.status.conditions, 'Ready')?.status === 'True';
}

export function isNodeReady(node: DeepReadonly<Node>): boolean {
  return conditionOf(node.status.conditions, 'Ready')?.status === 'True';
}

export function controllerOf(object: DeepReadonly<KubeObject>): DeepReadonly<OwnerReference> | undefined {
  const owners = object.metadata.ownerReferences;
  if (owners === undefined) return undefined;
  for (const owner of owners) if (owner.controller === true) return owner;
  return undefined;
}

export function isTerminal(pod: DeepReadonly<Pod>): boolean {
  return pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
}
