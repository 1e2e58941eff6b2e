// Builders for raw Kubernetes objects exactly as AKS writes them and `kubectl get -o json` prints
// them (see test/fixtures/aks-object-shapes.json), with small mutators, so tests can start from
// the real shapes and go through the real projection:
//
//   kubectlList(
//     aksNode(aksNodeName('user', 3), deallocated()),
//     ...daemonPods(aksNodeName('user', 0)),
//     workloadPod('mdm', 1, onNode(aksNodeName('user', 0)), requests('250m', '512Mi')),
//     aksPdb('mdm', { disruptionsAllowed: 1 }),
//   )
//
// Everything is deterministic: uids are hashes of kind/namespace/name, times come from options or
// DEFAULT_TIME. Nothing reads the clock or a random source.

import { snapshotFromLists, type ClusterSnapshot } from '../../adapters/kubernetes/projection/snapshot';
import type { QueueView, Snapshot, TaintEffect } from '../../core/views';

export const DEFAULT_TIME = '2026-11-01T00:00:00Z';
export const AKS_CLUSTER_HASH = '27531488';
export const AKS_SUBSCRIPTION = '3f2a1c9e-8b7d-4e21-9c55-0d6b1a2e4f70';
export const AKS_NODE_RESOURCE_GROUP = 'mc_clomo-rg_clomo-prod_japaneast';
export const AKS_CLUSTER_LABEL = 'MC_clomo-rg_clomo-prod_japaneast';
export const PROTECTED_LABEL = BATCH_DEPLOYABLE_LABEL;
import { AGENT_POOL_LABEL, BATCH_DEPLOYABLE_LABEL, BUSY, DO_NOT_DISRUPT, SAFE_TO_EVICT, SCALE_DOWN_DISABLED, SHUTDOWN_TAINT } from '../../core/annotations';
import { AKS_DAEMONSETS } from '../../sim/aks-objects';
export { SHUTDOWN_TAINT };

// ---------------------------------------------------------------------------------------------
// Raw shapes (the subset AKS writes that we read or that makes a dump look real)

export interface RawOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface RawObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: RawOwnerReference[];
}

export interface RawCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface RawTaint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

export interface RawNode {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: RawObjectMeta;
  spec: { providerID?: string; taints?: RawTaint[]; unschedulable?: boolean };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: RawCondition[];
    addresses: { type: string; address: string }[];
    nodeInfo: Record<string, string>;
  };
}

export interface RawContainer {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** `Always` on an init container makes it a native sidecar. */
  restartPolicy?: 'Always';
}

export interface RawVolume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  configMap?: { name: string };
}

export interface RawToleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export interface RawPod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: RawObjectMeta & { namespace: string };
  spec: {
    nodeName?: string;
    priorityClassName?: string;
    priority?: number;
    terminationGracePeriodSeconds?: number;
    nodeSelector?: Record<string, string>;
    initContainers?: RawContainer[];
    containers: RawContainer[];
    volumes?: RawVolume[];
    tolerations?: RawToleration[];
    overhead?: Record<string, string>;
  };
  status: {
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    startTime?: string;
    conditions: RawCondition[];
  };
}

export interface RawLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface RawPdb {
  apiVersion: 'policy/v1';
  kind: 'PodDisruptionBudget';
  metadata: RawObjectMeta & { namespace: string };
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: RawLabelSelector | null };
  status: {
    currentHealthy: number;
    desiredHealthy: number;
    disruptionsAllowed: number;
    expectedPods: number;
    observedGeneration: number;
  };
}

export interface RawDeployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: RawObjectMeta & { namespace: string };
  spec: {
    replicas?: number;
    selector: RawLabelSelector;
    template: {
      metadata: { labels: Record<string, string> };
      spec: { terminationGracePeriodSeconds?: number; containers: RawContainer[] };
    };
  };
  status: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    observedGeneration: number;
  };
}

export interface RawList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: unknown[];
}

export type Mutator<T> = (object: T) => void;
type WithMetadata = { kind: string; metadata: RawObjectMeta };

// ---------------------------------------------------------------------------------------------
// Determinism helpers

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A UUID-shaped uid that is the same for the same object in every run. */
export function uidFor(kind: string, namespace: string | undefined, name: string): string {
  const text = `${kind}/${namespace ?? ''}/${name}`;
  const hex = [0x811c9dc5, 0x01234567, 0x89abcdef, 0x0badf00d]
    .map((seed) => fnv1a(text, seed).toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// The alphabet Kubernetes uses for generated name suffixes and pod-template hashes (no vowels).
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function safeString(text: string, length: number): string {
  let hash = fnv1a(text, 0x811c9dc5);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET.charAt(hash % SAFE_ALPHABET.length);
    hash = Math.floor(hash / SAFE_ALPHABET.length) || fnv1a(`${text}#${i}`, 0x01234567);
  }
  return out;
}

const SUFFIXES = SAFE_ALPHABET.length ** 5;

/**
 * A five-character suffix that differs for every n below 27^5 (14 million): multiplying by a number
 * prime to 27 permutes the residues, so names look scattered yet never collide, even in a
 * 150,000-pod benchmark.
 */
function suffixFor(n: number): string {
  let k = (((n * 7919 + 104729) % SUFFIXES) + SUFFIXES) % SUFFIXES;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += SAFE_ALPHABET.charAt(k % SAFE_ALPHABET.length);
    k = Math.floor(k / SAFE_ALPHABET.length);
  }
  return out;
}

/** The pod-template-hash a Deployment named `name` would give its ReplicaSet. */
export function templateHash(deployment: string): string {
  return safeString(`template/${deployment}`, 9);
}

/** `iso` plus some seconds, printed as the API server prints times (no milliseconds). */
export function later(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function apiVersionOf(kind: string): string {
  switch (kind) {
    case 'ReplicaSet':
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
      return 'apps/v1';
    case 'Job':
    case 'CronJob':
      return 'batch/v1';
    default:
      return 'v1';
  }
}

function setCondition(conditions: RawCondition[], condition: RawCondition): void {
  const index = conditions.findIndex((c) => c.type === condition.type);
  if (index >= 0) conditions[index] = condition;
  else conditions.push(condition);
}

function addTaint(node: RawNode, taint: RawTaint): void {
  const taints = (node.spec.taints ??= []);
  if (!taints.some((t) => t.key === taint.key && t.effect === taint.effect)) taints.push(taint);
}

// ---------------------------------------------------------------------------------------------
// Mutators for any object

/** Adds labels (merged over those already there). */
export function labelled(labels: Record<string, string>): Mutator<WithMetadata> {
  return (object) => {
    object.metadata.labels = { ...object.metadata.labels, ...labels };
  };
}

/** Adds annotations (merged over those already there). */
export function annotated(annotations: Record<string, string>): Mutator<WithMetadata> {
  return (object) => {
    object.metadata.annotations = { ...object.metadata.annotations, ...annotations };
  };
}

export function created(at: string): Mutator<WithMetadata> {
  return (object) => {
    object.metadata.creationTimestamp = at;
  };
}

// ---------------------------------------------------------------------------------------------
// Nodes

export interface AksNodeOptions {
  /** Agent pool; read from an AKS node name (`aks-<pool>-<hash>-vmss<instance>`) when not given. */
  pool?: string;
  /** Scale-set instance id (decimal); read from the name's base-36 suffix when not given. */
  instance?: number;
  scaleSet?: string;
  subscription?: string;
  resourceGroup?: string;
  createdAt?: string;
  zone?: string;
  vmSize?: string;
  /** Allocatable; defaults are a Standard_D4s_v5 on Azure CNI: `3860m`, `12880000Ki`, 30 pods. */
  cpu?: string;
  memory?: string;
  pods?: number;
}

/** The name AKS gives instance `instance` of pool `pool`: `aks-user-27531488-vmss00000a` for 10. */
export function aksNodeName(pool: string, instance: number, clusterHash = AKS_CLUSTER_HASH): string {
  return `aks-${pool}-${clusterHash}-vmss${instance.toString(36).padStart(6, '0')}`;
}

const AKS_NODE_NAME = /^aks-([a-z0-9]+)-(\d+)-vmss([0-9a-z]{6})$/;

/** A Ready AKS node of a VM scale set; options or mutators after the name. */
export function aksNode(name: string, ...parts: Array<AksNodeOptions | Mutator<RawNode>>): RawNode {
  const options: AksNodeOptions = Object.assign({}, ...parts.filter((p): p is AksNodeOptions => typeof p !== 'function'));
  const parsed = AKS_NODE_NAME.exec(name);
  const pool = options.pool ?? parsed?.[1] ?? 'user';
  const instance = options.instance ?? (parsed?.[3] !== undefined ? parseInt(parsed[3], 36) : fnv1a(name, 0) % 1000);
  const scaleSet = options.scaleSet ?? (parsed !== null ? name.slice(0, -6) : `aks-${pool}-${AKS_CLUSTER_HASH}-vmss`);
  const subscription = options.subscription ?? AKS_SUBSCRIPTION;
  const resourceGroup = options.resourceGroup ?? AKS_NODE_RESOURCE_GROUP;
  const vmSize = options.vmSize ?? 'Standard_D4s_v5';
  const zone = options.zone ?? `japaneast-${(instance % 3) + 1}`;
  const pods = String(options.pods ?? 30);
  const ip = 10 + instance;

  const node: RawNode = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: uidFor('Node', undefined, name),
      resourceVersion: String(100000 + instance),
      creationTimestamp: options.createdAt ?? DEFAULT_TIME,
      labels: {
        agentpool: pool,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': vmSize,
        'beta.kubernetes.io/os': 'linux',
        [AGENT_POOL_LABEL]: pool,
        'kubernetes.azure.com/cluster': AKS_CLUSTER_LABEL,
        'kubernetes.azure.com/mode': pool === 'system' ? 'system' : 'user',
        'kubernetes.azure.com/node-image-version': 'AKSUbuntu-2204gen2containerd-202611.10.0',
        'kubernetes.azure.com/os-sku': 'Ubuntu',
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        'node.kubernetes.io/instance-type': vmSize,
        'topology.kubernetes.io/region': 'japaneast',
        'topology.kubernetes.io/zone': zone,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      providerID:
        `azure:///subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/` +
        `virtualMachineScaleSets/${scaleSet}/virtualMachines/${instance}`,
    },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '129886128Ki', memory: '16365040Ki', pods },
      allocatable: {
        cpu: options.cpu ?? '3860m',
        'ephemeral-storage': '119703055367',
        memory: options.memory ?? '12880000Ki',
        pods,
      },
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: `10.224.${Math.floor(ip / 256)}.${ip % 256}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.33.5',
        containerRuntimeVersion: 'containerd://1.7.29-1',
        osImage: 'Ubuntu 22.04.5 LTS',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  };
  for (const part of parts) if (typeof part === 'function') part(node);
  return node;
}

/** `kubectl cordon`: unschedulable, with the taint the node controller adds for it. */
export function cordoned(at: string = DEFAULT_TIME): Mutator<RawNode> {
  return (node) => {
    node.spec.unschedulable = true;
    addTaint(node, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: at });
  };
}

function kubeletStopped(node: RawNode, at: string): void {
  const message = 'Kubelet stopped posting node status.';
  for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']) {
    setCondition(node.status.conditions, { type, status: 'Unknown', reason: 'NodeStatusUnknown', message });
  }
  addTaint(node, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at });
  addTaint(node, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: later(at, 5) });
}

/**
 * A VM deallocated while its Node object stays: conditions Unknown, the unreachable taints, the
 * cloud provider's shutdown taint, and (by default) still cordoned from before it was stopped.
 */
export function deallocated(at: string = DEFAULT_TIME, options: { cordoned?: boolean } = {}): Mutator<RawNode> {
  return (node) => {
    if (options.cordoned ?? true) cordoned(later(at, -60))(node);
    kubeletStopped(node, at);
    addTaint(node, { key: SHUTDOWN_TAINT, effect: 'NoSchedule' });
  };
}

/** The kubelet stopped reporting and the VM is not known to be shut down (a crash, a network cut). */
export function unreachable(at: string = DEFAULT_TIME): Mutator<RawNode> {
  return (node) => kubeletStopped(node, at);
}

/** The kubelet reports NotReady (a VM that is booting, or a sick node). */
export function notReady(reason = 'KubeletNotReady'): Mutator<RawNode> {
  return (node) => {
    setCondition(node.status.conditions, { type: 'Ready', status: 'False', reason, message: 'container runtime network not ready' });
    addTaint(node, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  };
}

/** Labelled `clomo/BatchDeployable=true`: the batch node the scaler must never take away. */
export function protectedBatch(): Mutator<RawNode> {
  return labelled({ [PROTECTED_LABEL]: 'true' });
}

export function scaleDownDisabled(): Mutator<RawNode> {
  return annotated({ [SCALE_DOWN_DISABLED]: 'true' });
}

export function tainted(key: string, effect: TaintEffect, value?: string): Mutator<RawNode> {
  return (node) => addTaint(node, value === undefined ? { key, effect } : { key, value, effect });
}

/** A node that is not a scale-set instance (an availability-set or a virtual node). */
export function providerId(id: string | undefined): Mutator<RawNode> {
  return (node) => {
    if (id === undefined) delete node.spec.providerID;
    else node.spec.providerID = id;
  };
}

// ---------------------------------------------------------------------------------------------
// Pods

export interface AksPodOptions {
  namespace?: string;
  /** Name of the (single) app container; defaults to the pod name up to its first `-`. */
  container?: string;
  createdAt?: string;
}

// The DefaultTolerationSeconds admission plugin adds these to every pod that does not tolerate
// the two taints already.
const DEFAULT_TOLERATIONS: readonly RawToleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/**
 * A bare, Running, Ready pod with one container requesting `100m`/`128Mi`, in namespace `default`,
 * not yet on a node (add `onNode`). Give it an owner with `ownedBy`, or use `workloadPod`/`jobPod`.
 */
export function aksPod(name: string, ...parts: Array<AksPodOptions | Mutator<RawPod>>): RawPod {
  const options: AksPodOptions = Object.assign({}, ...parts.filter((p): p is AksPodOptions => typeof p !== 'function'));
  const namespace = options.namespace ?? 'default';
  const container = options.container ?? name.split('-')[0] ?? name;
  const createdAt = options.createdAt ?? DEFAULT_TIME;
  const pod: RawPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: uidFor('Pod', namespace, name),
      creationTimestamp: createdAt,
      labels: {},
      annotations: {},
    },
    spec: {
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: container,
          image: `clomo.azurecr.io/${container}:2026.11.3`,
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
        },
      ],
      tolerations: DEFAULT_TOLERATIONS.map((t) => ({ ...t })),
    },
    status: {
      phase: 'Running',
      startTime: createdAt,
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
    },
  };
  for (const part of parts) if (typeof part === 'function') part(pod);
  return pod;
}

/** Moves the object to `namespace` (its uid follows, as a new object would get a new one). */
export function inNamespace(namespace: string): Mutator<WithMetadata & { metadata: { namespace: string } }> {
  return (object) => {
    object.metadata.namespace = namespace;
    object.metadata.uid = uidFor(object.kind, namespace, object.metadata.name);
  };
}

export function onNode(nodeName: string): Mutator<RawPod> {
  return (pod) => {
    pod.spec.nodeName = nodeName;
  };
}

/** Makes `kind/name` the pod's controller (replacing any other controller reference). */
export function ownedBy(kind: string, name: string): Mutator<RawPod> {
  return (pod) => {
    const others = (pod.metadata.ownerReferences ?? []).filter((o) => o.controller !== true);
    pod.metadata.ownerReferences = [
      ...others,
      {
        apiVersion: apiVersionOf(kind),
        kind,
        name,
        uid: uidFor(kind, kind === 'Node' ? undefined : pod.metadata.namespace, name),
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  };
}

/** No owner at all: nothing would recreate it if evicted. */
export function bare(): Mutator<RawPod> {
  return (pod) => {
    delete pod.metadata.ownerReferences;
  };
}

/** Requests of the app container (memory is also its limit, as our manifests set it). */
export function requests(cpu: string | undefined, memory: string | undefined): Mutator<RawPod> {
  return (pod) => {
    const container = pod.spec.containers[0];
    if (container === undefined) return;
    const requested: Record<string, string> = {};
    if (cpu !== undefined) requested.cpu = cpu;
    if (memory !== undefined) requested.memory = memory;
    container.resources = memory === undefined ? { requests: requested } : { requests: requested, limits: { memory } };
  };
}

/** Another app container. */
export function container(name: string, cpu: string, memory: string): Mutator<RawPod> {
  return (pod) => {
    pod.spec.containers.push({ name, image: `clomo.azurecr.io/${name}:2026.11.3`, resources: { requests: { cpu, memory } } });
  };
}

/** An init container; `sidecar: true` makes it a native sidecar (`restartPolicy: Always`). */
export function initContainer(name: string, cpu: string, memory: string, options: { sidecar?: boolean } = {}): Mutator<RawPod> {
  return (pod) => {
    const init: RawContainer = { name, image: `clomo.azurecr.io/${name}:2026.11.3`, resources: { requests: { cpu, memory } } };
    if (options.sidecar === true) init.restartPolicy = 'Always';
    (pod.spec.initContainers ??= []).push(init);
  };
}

/** RuntimeClass overhead (`spec.overhead`), as the RuntimeClass admission plugin fills it in. */
export function overhead(cpu: string, memory: string): Mutator<RawPod> {
  return (pod) => {
    pod.spec.overhead = { cpu, memory };
  };
}

export function grace(seconds: number): Mutator<RawPod> {
  return (pod) => {
    pod.spec.terminationGracePeriodSeconds = seconds;
  };
}

export function priority(value: number, className?: string): Mutator<RawPod> {
  return (pod) => {
    pod.spec.priority = value;
    if (className !== undefined) pod.spec.priorityClassName = className;
  };
}

/** Created but not yet looked at by the scheduler: Pending, on no node. */
export function pending(): Mutator<RawPod> {
  return (pod) => {
    pod.status.phase = 'Pending';
    delete pod.spec.nodeName;
    delete pod.status.startTime;
    pod.status.conditions = [];
  };
}

/** Pending because the scheduler found no node: `PodScheduled=False, reason Unschedulable`. */
export function unschedulable(message = '0/3 nodes are available: 3 Too many pods.'): Mutator<RawPod> {
  return (pod) => {
    pending()(pod);
    pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }];
  };
}

/** Bound to a node but not started (pulling images): Pending, not Ready. */
export function containerCreating(): Mutator<RawPod> {
  return (pod) => {
    pod.status.phase = 'Pending';
    pod.status.conditions = [
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      { type: 'PodScheduled', status: 'True' },
    ];
  };
}

export function notReadyPod(): Mutator<RawPod> {
  return (pod) => setCondition(pod.status.conditions, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' });
}

export function phase(value: RawPod['status']['phase']): Mutator<RawPod> {
  return (pod) => {
    pod.status.phase = value;
    if (value === 'Succeeded' || value === 'Failed') {
      setCondition(pod.status.conditions, { type: 'Ready', status: 'False', reason: 'PodCompleted' });
    }
  };
}

export function started(at: string): Mutator<RawPod> {
  return (pod) => {
    pod.status.startTime = at;
  };
}

/**
 * Deleted at `at`: the API server sets the grace and the deletion timestamp, `at` plus the grace
 * (when the kubelet kills what is left), and the pod lingers.
 */
export function terminating(at: string = DEFAULT_TIME): Mutator<RawPod> {
  return (pod) => {
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    pod.metadata.deletionTimestamp = new Date(Date.parse(at) + grace * 1000).toISOString().replace('.000Z', 'Z');
    pod.metadata.deletionGracePeriodSeconds = grace;
  };
}

export function emptyDir(medium?: 'Memory'): Mutator<RawPod> {
  return (pod) => {
    const volumes = (pod.spec.volumes ??= []);
    volumes.push({ name: `scratch-${volumes.length}`, emptyDir: medium === undefined ? {} : { medium } });
  };
}

export function hostPath(path: string): Mutator<RawPod> {
  return (pod) => {
    const volumes = (pod.spec.volumes ??= []);
    volumes.push({ name: `host-${volumes.length}`, hostPath: { path, type: 'Directory' } });
  };
}

export function configMapVolume(name: string): Mutator<RawPod> {
  return (pod) => {
    (pod.spec.volumes ??= []).push({ name, configMap: { name } });
  };
}

export function nodeSelector(selector: Record<string, string>): Mutator<RawPod> {
  return (pod) => {
    pod.spec.nodeSelector = { ...pod.spec.nodeSelector, ...selector };
  };
}

export function tolerating(...tolerations: RawToleration[]): Mutator<RawPod> {
  return (pod) => {
    pod.spec.tolerations = [...(pod.spec.tolerations ?? []), ...tolerations];
  };
}

/** A static pod's mirror: the kubelet creates it, the Node owns it, only the kubelet removes it. */
export function mirrorOf(nodeName: string): Mutator<RawPod> {
  return (pod) => {
    onNode(nodeName)(pod);
    ownedBy('Node', nodeName)(pod);
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      'kubernetes.io/config.hash': safeString(pod.metadata.name, 16),
      'kubernetes.io/config.mirror': safeString(pod.metadata.name, 16),
      'kubernetes.io/config.source': 'file',
    };
  };
}

/** The BG worker's "I am working on a message" annotation. */
export function busy(): Mutator<RawPod> {
  return annotated({ [BUSY]: 'true' });
}

export function safeToEvict(value: boolean): Mutator<RawPod> {
  return annotated({ [SAFE_TO_EVICT]: String(value) });
}

export function doNotDisrupt(): Mutator<RawPod> {
  return annotated({ [DO_NOT_DISRUPT]: 'true' });
}

/**
 * Pod `index` of Deployment `deployment`, as its ReplicaSet names and labels it:
 * `mdm-<template hash>-<suffix>`, owned by ReplicaSet `mdm-<template hash>`, labelled `app=mdm`.
 */
export function workloadPod(deployment: string, index: number, ...parts: Array<AksPodOptions | Mutator<RawPod>>): RawPod {
  const hash = templateHash(deployment);
  const name = `${deployment}-${hash}-${suffixFor(index)}`;
  return aksPod(
    name,
    { container: deployment },
    ownedBy('ReplicaSet', `${deployment}-${hash}`),
    labelled({ app: deployment, 'pod-template-hash': hash }),
    ...parts,
  );
}

/** A pod of Job `job` (the owner a CronJob's Job gives it), labelled as the Job controller does. */
export function jobPod(job: string, ...parts: Array<AksPodOptions | Mutator<RawPod>>): RawPod {
  const app = job.replace(/-\d+$/, '');
  return aksPod(
    `${job}-${safeString(job, 5)}`,
    { container: app },
    ownedBy('Job', job),
    labelled({ app, 'job-name': job, 'batch.kubernetes.io/job-name': job }),
    ...parts,
  );
}

// The DaemonSets AKS runs on every node: one list, shared with the simulated cluster.
export { AKS_DAEMONSETS };

/** The pod DaemonSet `daemonSet` runs on `nodeName`, in kube-system, tolerating every taint. */
export function daemonPod(daemonSet: string, nodeName: string, ...parts: Array<AksPodOptions | Mutator<RawPod>>): RawPod {
  const known = AKS_DAEMONSETS.find((d) => d.name === daemonSet);
  const createdAt = later(DEFAULT_TIME, 60);
  // Unique per node within a pool (the instance id is in the name), so thousands of nodes never collide.
  const aks = AKS_NODE_NAME.exec(nodeName);
  const seed = aks?.[3] !== undefined ? fnv1a(aks[1] ?? '', 0) + parseInt(aks[3], 36) : fnv1a(nodeName, 0);
  return aksPod(
    `${daemonSet}-${suffixFor(seed)}`,
    { namespace: 'kube-system', container: daemonSet, createdAt },
    ownedBy('DaemonSet', daemonSet),
    labelled({ 'k8s-app': daemonSet, 'controller-revision-hash': safeString(daemonSet, 9) }),
    onNode(nodeName),
    priority(2000001000, 'system-node-critical'),
    requests(known?.cpu ?? '10m', known?.memory ?? '20Mi'),
    started(later(createdAt, 5)),
    (pod) => {
      pod.spec.containers[0]!.image = `mcr.microsoft.com/oss/kubernetes/${daemonSet}:v1.33.5`;
      delete pod.spec.containers[0]!.resources!.limits;
      pod.spec.tolerations = [{ operator: 'Exists' }];
    },
    ...parts,
  );
}

/** Every AKS DaemonSet pod of `nodeName` (see AKS_DAEMONSETS); mutators apply to each. */
export function daemonPods(nodeName: string, ...parts: Array<AksPodOptions | Mutator<RawPod>>): RawPod[] {
  return AKS_DAEMONSETS.map((daemonSet) => daemonPod(daemonSet.name, nodeName, ...parts));
}

// ---------------------------------------------------------------------------------------------
// PodDisruptionBudgets and Deployments

export interface AksPdbOptions {
  namespace?: string;
  /** Default `{ app: <name> }`; `null` writes a null selector (matches nothing). */
  matchLabels?: Record<string, string> | null;
  matchExpressions?: RawLabelSelector['matchExpressions'];
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  disruptionsAllowed?: number;
  expectedPods?: number;
}

export function aksPdb(name: string, options: AksPdbOptions = {}, ...mutators: Mutator<RawPdb>[]): RawPdb {
  const namespace = options.namespace ?? 'default';
  const disruptionsAllowed = options.disruptionsAllowed ?? 1;
  const expectedPods = options.expectedPods ?? 3;
  const desiredHealthy = Math.max(0, expectedPods - disruptionsAllowed);
  const selector: RawLabelSelector | null =
    options.matchLabels === null
      ? null
      : {
          ...(options.matchLabels !== undefined || options.matchExpressions === undefined
            ? { matchLabels: options.matchLabels ?? { app: name } }
            : {}),
          ...(options.matchExpressions !== undefined ? { matchExpressions: options.matchExpressions } : {}),
        };
  const spec: RawPdb['spec'] = { selector };
  if (options.maxUnavailable !== undefined) spec.maxUnavailable = options.maxUnavailable;
  else spec.minAvailable = options.minAvailable ?? desiredHealthy;
  const pdb: RawPdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace, uid: uidFor('PodDisruptionBudget', namespace, name), creationTimestamp: DEFAULT_TIME },
    spec,
    status: { currentHealthy: expectedPods, desiredHealthy, disruptionsAllowed, expectedPods, observedGeneration: 1 },
  };
  for (const mutate of mutators) mutate(pdb);
  return pdb;
}

export interface AksDeploymentOptions {
  namespace?: string;
  /** `spec.replicas`; default 1. */
  replicas?: number;
  /** `status.readyReplicas`; default all of them. 0 omits the field, as the API server does. */
  readyReplicas?: number;
  /** Default `{ app: <name> }`, which is also the pod template's labels. */
  matchLabels?: Record<string, string>;
  grace?: number;
}

export function aksDeployment(name: string, options: AksDeploymentOptions = {}, ...mutators: Mutator<RawDeployment>[]): RawDeployment {
  const namespace = options.namespace ?? 'default';
  const replicas = options.replicas ?? 1;
  const ready = options.readyReplicas ?? replicas;
  const matchLabels = options.matchLabels ?? { app: name };
  const status: RawDeployment['status'] = { observedGeneration: 1 };
  if (replicas > 0) status.replicas = replicas;
  if (ready > 0) {
    status.readyReplicas = ready;
    status.availableReplicas = ready;
    status.updatedReplicas = replicas;
  }
  const deployment: RawDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, uid: uidFor('Deployment', namespace, name), generation: 1, creationTimestamp: DEFAULT_TIME },
    spec: {
      replicas,
      selector: { matchLabels },
      template: {
        metadata: { labels: { ...matchLabels } },
        spec: {
          terminationGracePeriodSeconds: options.grace ?? 30,
          containers: [{ name, image: `clomo.azurecr.io/${name}:2026.11.3` }],
        },
      },
    },
    status,
  };
  for (const mutate of mutators) mutate(deployment);
  return deployment;
}

// ---------------------------------------------------------------------------------------------
// Lists and projection

/** What `kubectl get nodes,pods,… -A -o json` prints: a v1 List with kinds on every item. */
export function kubectlList(...items: readonly (object | readonly object[])[]): RawList {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: items.flat() };
}

/**
 * What the API returns for one kind (`PodList`, `NodeList`, …): items without `kind` and
 * `apiVersion`, as client-node hands them over.
 */
export function apiList(kind: 'NodeList' | 'PodList' | 'PodDisruptionBudgetList' | 'DeploymentList', ...items: readonly object[]): RawList {
  const apiVersion = { NodeList: 'v1', PodList: 'v1', PodDisruptionBudgetList: 'policy/v1', DeploymentList: 'apps/v1' }[kind];
  return {
    apiVersion,
    kind,
    metadata: { resourceVersion: '123456' },
    items: items.map((item) => {
      const copy: Record<string, unknown> = { ...item };
      delete copy.kind;
      delete copy.apiVersion;
      return copy;
    }),
  };
}

// The fields client-node 1.4 deserialises as Date (ObjectSerializer's "Date" attributes).
const DATE_FIELDS: ReadonlySet<string> = new Set([
  'creationTimestamp',
  'deletionTimestamp',
  'startTime',
  'lastTransitionTime',
  'lastHeartbeatTime',
  'lastProbeTime',
  'timeAdded',
]);

/** A deep copy shaped as @kubernetes/client-node deserialises it: timestamps become Date objects. */
export function asClientNodeObject(value: unknown): unknown {
  const convert = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string' && key !== undefined && DATE_FIELDS.has(key)) return new Date(v);
    if (Array.isArray(v)) return v.map((e) => convert(e, undefined));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) out[k] = convert(e, k);
      return out;
    }
    return v;
  };
  return convert(value, undefined);
}

/** Projects a list through the real adapter, as the runner does: tests start from AKS shapes. */
export function projectList(list: unknown, source = 'test'): ClusterSnapshot {
  return snapshotFromLists([{ source, json: list }]);
}

/** A full snapshot from AKS-shaped objects (and queues, which do not come from Kubernetes). */
export function aksSnapshot(items: readonly (object | readonly object[])[], queues: readonly QueueView[] = []): Snapshot {
  return { ...projectList(kubectlList(...items)), queues };
}
