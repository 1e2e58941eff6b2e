// What the audit reads: Kubernetes objects as the API serves them, typed as far as the checks look.
// The scaler's compact views drop what a drain audit needs (preStop hooks, probes, commands,
// volumes, a Job's podFailurePolicy), so the audit keeps the raw shape: every field optional, as in
// a hand-written manifest, and read defensively. Timestamps are epoch ms (the adapter converts).

export type Labels = Readonly<Record<string, string>>;

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  /** '' for cluster-scoped objects (nodes). */
  namespace: string;
  uid?: string;
  labels: Labels;
  annotations: Labels;
  ownerReferences: readonly OwnerReference[];
  createdMs?: number;
}

export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata: ObjectMeta;
  /** The object's own spec/status, as found (see the typed views below). */
  spec?: any;
  status?: any;
}

export interface ExecAction {
  command?: string[];
}

export interface Handler {
  exec?: ExecAction;
  httpGet?: unknown;
  tcpSocket?: unknown;
  /** PodLifecycleSleepAction (Kubernetes 1.29 alpha, 1.30 beta on by default). */
  sleep?: { seconds?: number };
}

export interface ContainerPort {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  readinessProbe?: unknown;
  lifecycle?: { preStop?: Handler; postStart?: Handler };
  volumeMounts?: { name: string; mountPath?: string }[];
}

export interface Volume {
  name: string;
  hostPath?: { path?: string };
  emptyDir?: { medium?: string; sizeLimit?: string } | null;
  persistentVolumeClaim?: { claimName?: string };
  ephemeral?: unknown;
  [source: string]: unknown;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface PodAffinityTerm {
  labelSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  topologyKey?: string;
  namespaces?: string[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchExpressions?: NodeSelectorRequirement[] }[] };
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
  };
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  restartPolicy?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  shareProcessNamespace?: boolean;
  priorityClassName?: string;
}

export interface PodTemplate {
  metadata: { labels: Labels; annotations: Labels };
  spec: PodSpec;
}

export interface PodFailurePolicyRule {
  action?: string;
  onPodConditions?: { type?: string; status?: string }[];
  onExitCodes?: unknown;
}

export interface JobSpec {
  completionMode?: string;
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  podReplacementPolicy?: string;
  activeDeadlineSeconds?: number;
  podFailurePolicy?: { rules?: PodFailurePolicyRule[] };
}

/** Every object of the dump by kind, as read; kinds the audit does not know are kept in `other`. */
export interface AuditObjects {
  pods: KubeObject[];
  deployments: KubeObject[];
  replicaSets: KubeObject[];
  replicationControllers: KubeObject[];
  statefulSets: KubeObject[];
  daemonSets: KubeObject[];
  jobs: KubeObject[];
  cronJobs: KubeObject[];
  pdbs: KubeObject[];
  services: KubeObject[];
  nodes: KubeObject[];
  /** Karpenter NodePools (`karpenter.sh`), for their terminationGracePeriod. */
  nodePools: KubeObject[];
  other: KubeObject[];
}

export function emptyAuditObjects(): AuditObjects {
  return {
    pods: [],
    deployments: [],
    replicaSets: [],
    replicationControllers: [],
    statefulSets: [],
    daemonSets: [],
    jobs: [],
    cronJobs: [],
    pdbs: [],
    services: [],
    nodes: [],
    nodePools: [],
    other: [],
  };
}

const BY_KIND: Readonly<Record<string, keyof AuditObjects>> = {
  Pod: 'pods',
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  ReplicationController: 'replicationControllers',
  StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets',
  Job: 'jobs',
  CronJob: 'cronJobs',
  PodDisruptionBudget: 'pdbs',
  Service: 'services',
  Node: 'nodes',
  NodePool: 'nodePools',
};

/** Files an object under its kind (a later object with the same kind, namespace and name replaces an earlier one). */
export function addObject(objects: AuditObjects, object: KubeObject): void {
  const list = objects[BY_KIND[object.kind] ?? 'other'];
  // An index per collection, so a dump of 150,000 pods is filed in linear time.
  let positions = POSITIONS.get(objects);
  if (positions === undefined) {
    positions = new Map();
    POSITIONS.set(objects, positions);
  }
  const key = objectKey(object);
  const at = positions.get(key);
  if (at !== undefined) list[at] = object;
  else {
    positions.set(key, list.length);
    list.push(object);
  }
}

const POSITIONS = new WeakMap<AuditObjects, Map<string, number>>();

export function objectKey(o: { kind: string; metadata: { namespace: string; name: string } }): string {
  return o.metadata.namespace === '' ? `${o.kind} ${o.metadata.name}` : `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
}
