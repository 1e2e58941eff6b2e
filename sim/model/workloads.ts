// The workload objects of the simulated cluster, built from short specs: Deployments (and the
// ReplicaSet and pods their controllers make), PodDisruptionBudgets, a Job's pod, and the AKS
// DaemonSets with their per-node pods. Plain object builders; the cluster stores them through its
// API so they get uids, resourceVersions and defaults like anything a client creates.

import type { DaemonSetSpec } from './aks-objects';
import type {
  Affinity,
  Deployment,
  KubeObject,
  LabelSelectorObject,
  Pod,
  PodDisruptionBudget,
  PodSpec,
  ReplicaSet,
  Toleration,
} from './objects';
import { cloneJson } from './objects';
import { formatSelector, selectorFromKubernetes } from '../../core/selector';
import { fnv1a32, safeEncodeHash } from './random';

export interface DeploymentSpec {
  name: string;
  /** Default `default`. */
  namespace?: string;
  /** Default 1. */
  replicas?: number;
  /** Requests of the one container; memory is also its limit, as our manifests set it. */
  cpu?: string;
  memory?: string;
  /** Pod labels beside `app: <name>` (which is also the selector), e.g. `clomo/descheduling: enabled`. */
  labels?: Record<string, string>;
  /** Pod annotations. */
  annotations?: Record<string, string>;
  /** terminationGracePeriodSeconds; default 30 (BG workers: 72000). */
  grace?: number;
  nodeSelector?: Record<string, string>;
  /** The pod template's affinity (the scheduler filters by required and scores by preferred node affinity). */
  affinity?: Affinity;
  tolerations?: Toleration[];
  priority?: number;
  priorityClassName?: string;
}

export interface PdbSpec {
  name: string;
  namespace?: string;
  /** Default `{ app: <name> }`; `null` writes a null selector (matches nothing). */
  matchLabels?: Record<string, string> | null;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}

export interface JobPodSpec {
  /** The Job's name (`clomo-daily-batch-29012345`); the pod is `<job>-<5 chars>`. */
  job: string;
  namespace?: string;
  cpu?: string;
  memory?: string;
  /** How long the work takes once the pod runs; the pod then Succeeds. Undefined: until stopped. */
  runsForMs?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  grace?: number;
  labels?: Record<string, string>;
}

function containerFor(name: string, cpu: string | undefined, memory: string | undefined): PodSpec['containers'][number] {
  const requests: Record<string, string> = {};
  if (cpu !== undefined) requests.cpu = cpu;
  if (memory !== undefined) requests.memory = memory;
  return {
    name,
    image: `clomo.azurecr.io/${name}:2026.11.3`,
    resources: memory === undefined ? { requests } : { requests, limits: { memory } },
  };
}

export function deploymentObject(spec: DeploymentSpec): Deployment {
  const labels = { app: spec.name };
  const podSpec: PodSpec = {
    terminationGracePeriodSeconds: spec.grace ?? 30,
    containers: [containerFor(spec.name, spec.cpu ?? '100m', spec.memory ?? '128Mi')],
  };
  if (spec.nodeSelector !== undefined) podSpec.nodeSelector = { ...spec.nodeSelector };
  if (spec.affinity !== undefined) podSpec.affinity = cloneJson(spec.affinity);
  if (spec.tolerations !== undefined) podSpec.tolerations = cloneJson(spec.tolerations);
  if (spec.priority !== undefined) podSpec.priority = spec.priority;
  if (spec.priorityClassName !== undefined) podSpec.priorityClassName = spec.priorityClassName;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? 'default',
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { app: spec.name },
    },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: {
          labels: { ...labels, ...spec.labels },
          ...(spec.annotations !== undefined ? { annotations: { ...spec.annotations } } : {}),
        },
        spec: podSpec,
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
  };
}

export function pdbObject(spec: PdbSpec): PodDisruptionBudget {
  const selector: LabelSelectorObject | null = spec.matchLabels === null ? null : { matchLabels: spec.matchLabels ?? { app: spec.name } };
  const pdbSpec: PodDisruptionBudget['spec'] = { selector };
  if (spec.maxUnavailable !== undefined) pdbSpec.maxUnavailable = spec.maxUnavailable;
  if (spec.minAvailable !== undefined || spec.maxUnavailable === undefined) pdbSpec.minAvailable = spec.minAvailable ?? 1;
  if (spec.unhealthyPodEvictionPolicy !== undefined) pdbSpec.unhealthyPodEvictionPolicy = spec.unhealthyPodEvictionPolicy;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: spec.name, namespace: spec.namespace ?? 'default', uid: '', resourceVersion: '', creationTimestamp: '' },
    spec: pdbSpec,
  };
}

/** A pod of Job `job`, owned and labelled as the Job controller makes it (the Job object itself is not simulated). */
export function jobPodObject(spec: JobPodSpec, suffix: string, jobUid: string): Pod {
  const app = spec.job.replace(/-\d+$/, '');
  const podSpec: PodSpec = {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: spec.grace ?? 30,
    containers: [containerFor(app, spec.cpu ?? '100m', spec.memory ?? '128Mi')],
  };
  if (spec.nodeSelector !== undefined) podSpec.nodeSelector = { ...spec.nodeSelector };
  if (spec.tolerations !== undefined) podSpec.tolerations = cloneJson(spec.tolerations);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${spec.job}-${suffix}`,
      generateName: `${spec.job}-`,
      namespace: spec.namespace ?? 'default',
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { app, 'job-name': spec.job, 'batch.kubernetes.io/job-name': spec.job, 'controller-uid': jobUid, ...spec.labels },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: spec.job, uid: jobUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: podSpec,
    status: {},
  };
}

/** The pod-template-hash of a Deployment's template (FNV-32a of its JSON, safe-encoded). */
export function templateHash(template: Deployment['spec']['template']): string {
  return safeEncodeHash(fnv1a32(JSON.stringify(template)));
}

export function replicaSetFor(deployment: Deployment, hash: string): ReplicaSet {
  const template = cloneJson(deployment.spec.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
  const selector = cloneJson(deployment.spec.selector);
  selector.matchLabels = { ...selector.matchLabels, 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { ...template.metadata.labels },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment.metadata.name,
          uid: deployment.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas: deployment.spec.replicas ?? 1, selector, template },
  };
}

export function podFromTemplate(
  owner: { apiVersion: string; kind: string; name: string; uid: string; namespace: string },
  template: ReplicaSet['spec']['template'],
  name: string,
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${owner.name}-`,
      namespace: owner.namespace,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { ...template.metadata?.labels },
      ...(template.metadata?.annotations !== undefined ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [
        { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    // Shallow: the pods of one ReplicaSet share the template's containers, tolerations and the
    // like. Stored objects are never changed in place, so sharing them is safe and saves memory
    // at 150,000 pods.
    spec: { ...template.spec },
    status: {},
  };
}

export function daemonSetObject(spec: DaemonSetSpec): KubeObject {
  const labels = { 'k8s-app': spec.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: spec.name,
      namespace: 'kube-system',
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { ...labels, 'kubernetes.azure.com/managedby': 'aks' },
    },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, 'controller-revision-hash': safeEncodeHash(fnv1a32(spec.name)).slice(0, 9) } },
        spec: {
          priorityClassName: 'system-node-critical',
          priority: 2000001000,
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: spec.name,
              image: `mcr.microsoft.com/oss/kubernetes/${spec.name}:v1.33.5`,
              resources: { requests: { cpu: spec.cpu, memory: spec.memory } },
            },
          ],
          tolerations: [{ operator: 'Exists' }],
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
  };
}

/** The autoscaling/v1 Scale of a Deployment, as its scale subresource shows it. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string };
  spec: { replicas: number };
  status: { replicas: number; selector: string };
}

export function scaleOf(deployment: Deployment): Scale {
  const selector = selectorFromKubernetes(deployment.spec.selector);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: deployment.metadata.name,
      namespace: deployment.metadata.namespace,
      uid: deployment.metadata.uid,
      resourceVersion: deployment.metadata.resourceVersion,
      creationTimestamp: deployment.metadata.creationTimestamp,
    },
    spec: { replicas: deployment.spec.replicas ?? 1 },
    status: { replicas: deployment.status?.replicas ?? 0, selector: selector === undefined ? '' : formatSelector(selector) },
  };
}
