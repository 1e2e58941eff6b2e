// Pods as AKS runs them (workload, Job, DaemonSet and mirror pods) and their mutators (see aks.ts).

import { AKS_DAEMONSETS } from '../../sim/model/aks-objects';
import type { Container, Toleration } from '../../sim/model/objects';
import {
  DEFAULT_TIME,
  annotated,
  apiVersionOf,
  fnv1a,
  labelled,
  later,
  safeString,
  setCondition,
  suffixFor,
  templateHash,
  uidFor,
  type BuiltPod,
  type Mutator,
  type WithMetadata,
} from './aks-common';
import { AKS_NODE_NAME } from './aks-nodes';
import { BUSY, DO_NOT_DISRUPT, SAFE_TO_EVICT } from '../../core/annotations';

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
const DEFAULT_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/**
 * A bare, Running, Ready pod with one container requesting `100m`/`128Mi`, in namespace `default`,
 * not yet on a node (add `onNode`). Give it an owner with `ownedBy`, or use `workloadPod`/`jobPod`.
 */
export function aksPod(name: string, ...parts: Array<AksPodOptions | Mutator<BuiltPod>>): BuiltPod {
  const options: AksPodOptions = Object.assign({}, ...parts.filter((p): p is AksPodOptions => typeof p !== 'function'));
  const namespace = options.namespace ?? 'default';
  const container = options.container ?? name.split('-')[0] ?? name;
  const createdAt = options.createdAt ?? DEFAULT_TIME;
  const pod: BuiltPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: uidFor('Pod', namespace, name),
      resourceVersion: '1',
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

export function onNode(nodeName: string): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.nodeName = nodeName;
  };
}

/** Makes `kind/name` the pod's controller (replacing any other controller reference). */
export function ownedBy(kind: string, name: string): Mutator<BuiltPod> {
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
export function bare(): Mutator<BuiltPod> {
  return (pod) => {
    delete pod.metadata.ownerReferences;
  };
}

/** Requests of the app container (memory is also its limit, as our manifests set it). */
export function requests(cpu: string | undefined, memory: string | undefined): Mutator<BuiltPod> {
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
export function container(name: string, cpu: string, memory: string): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.containers.push({ name, image: `clomo.azurecr.io/${name}:2026.11.3`, resources: { requests: { cpu, memory } } });
  };
}

/** An init container; `sidecar: true` makes it a native sidecar (`restartPolicy: Always`). */
export function initContainer(name: string, cpu: string, memory: string, options: { sidecar?: boolean } = {}): Mutator<BuiltPod> {
  return (pod) => {
    const init: Container = { name, image: `clomo.azurecr.io/${name}:2026.11.3`, resources: { requests: { cpu, memory } } };
    if (options.sidecar === true) init.restartPolicy = 'Always';
    (pod.spec.initContainers ??= []).push(init);
  };
}

/** RuntimeClass overhead (`spec.overhead`), as the RuntimeClass admission plugin fills it in. */
export function overhead(cpu: string, memory: string): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.overhead = { cpu, memory };
  };
}

export function grace(seconds: number): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.terminationGracePeriodSeconds = seconds;
  };
}

export function priority(value: number, className?: string): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.priority = value;
    if (className !== undefined) pod.spec.priorityClassName = className;
  };
}

/** Created but not yet looked at by the scheduler: Pending, on no node. */
export function pending(): Mutator<BuiltPod> {
  return (pod) => {
    pod.status.phase = 'Pending';
    delete pod.spec.nodeName;
    delete pod.status.startTime;
    pod.status.conditions = [];
  };
}

/** Pending because the scheduler found no node: `PodScheduled=False, reason Unschedulable`. */
export function unschedulable(message = '0/3 nodes are available: 3 Too many pods.'): Mutator<BuiltPod> {
  return (pod) => {
    pending()(pod);
    pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }];
  };
}

/** Bound to a node but not started (pulling images): Pending, not Ready. */
export function containerCreating(): Mutator<BuiltPod> {
  return (pod) => {
    pod.status.phase = 'Pending';
    pod.status.conditions = [
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      { type: 'PodScheduled', status: 'True' },
    ];
  };
}

export function notReadyPod(): Mutator<BuiltPod> {
  return (pod) => setCondition(pod.status.conditions, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' });
}

export function phase(value: BuiltPod['status']['phase']): Mutator<BuiltPod> {
  return (pod) => {
    pod.status.phase = value;
    if (value === 'Succeeded' || value === 'Failed') {
      setCondition(pod.status.conditions, { type: 'Ready', status: 'False', reason: 'PodCompleted' });
    }
  };
}

export function started(at: string): Mutator<BuiltPod> {
  return (pod) => {
    pod.status.startTime = at;
  };
}

/**
 * Deleted at `at`: the API server sets the grace and the deletion timestamp, `at` plus the grace
 * (when the kubelet kills what is left), and the pod lingers.
 */
export function terminating(at: string = DEFAULT_TIME): Mutator<BuiltPod> {
  return (pod) => {
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    pod.metadata.deletionTimestamp = new Date(Date.parse(at) + grace * 1000).toISOString().replace('.000Z', 'Z');
    pod.metadata.deletionGracePeriodSeconds = grace;
  };
}

export function emptyDir(medium?: 'Memory'): Mutator<BuiltPod> {
  return (pod) => {
    const volumes = (pod.spec.volumes ??= []);
    volumes.push({ name: `scratch-${volumes.length}`, emptyDir: medium === undefined ? {} : { medium } });
  };
}

export function hostPath(path: string): Mutator<BuiltPod> {
  return (pod) => {
    const volumes = (pod.spec.volumes ??= []);
    volumes.push({ name: `host-${volumes.length}`, hostPath: { path, type: 'Directory' } });
  };
}

export function configMapVolume(name: string): Mutator<BuiltPod> {
  return (pod) => {
    (pod.spec.volumes ??= []).push({ name, configMap: { name } });
  };
}

export function nodeSelector(selector: Record<string, string>): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.nodeSelector = { ...pod.spec.nodeSelector, ...selector };
  };
}

export function tolerating(...tolerations: Toleration[]): Mutator<BuiltPod> {
  return (pod) => {
    pod.spec.tolerations = [...(pod.spec.tolerations ?? []), ...tolerations];
  };
}

/** A static pod's mirror: the kubelet creates it, the Node owns it, only the kubelet removes it. */
export function mirrorOf(nodeName: string): Mutator<BuiltPod> {
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
export function busy(): Mutator<BuiltPod> {
  return annotated({ [BUSY]: 'true' });
}

export function safeToEvict(value: boolean): Mutator<BuiltPod> {
  return annotated({ [SAFE_TO_EVICT]: String(value) });
}

export function doNotDisrupt(): Mutator<BuiltPod> {
  return annotated({ [DO_NOT_DISRUPT]: 'true' });
}

/**
 * Pod `index` of Deployment `deployment`, as its ReplicaSet names and labels it:
 * `mdm-<template hash>-<suffix>`, owned by ReplicaSet `mdm-<template hash>`, labelled `app=mdm`.
 */
export function workloadPod(deployment: string, index: number, ...parts: Array<AksPodOptions | Mutator<BuiltPod>>): BuiltPod {
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
export function jobPod(job: string, ...parts: Array<AksPodOptions | Mutator<BuiltPod>>): BuiltPod {
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
export function daemonPod(daemonSet: string, nodeName: string, ...parts: Array<AksPodOptions | Mutator<BuiltPod>>): BuiltPod {
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
export function daemonPods(nodeName: string, ...parts: Array<AksPodOptions | Mutator<BuiltPod>>): BuiltPod[] {
  return AKS_DAEMONSETS.map((daemonSet) => daemonPod(daemonSet.name, nodeName, ...parts));
}
