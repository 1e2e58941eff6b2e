// The compact views the core reads. They are projections of Kubernetes, ARM and queue objects made
// at the edges (adapters/), never raw API objects: a 5,000-node cluster has 150,000 pods and their
// raw JSON would not fit a Functions worker. Times are epoch milliseconds.

export type PowerState = 'running' | 'starting' | 'stopping' | 'deallocated' | 'unknown';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

/** A node selector requirement (`matchExpressions[]` / `matchFields[]` of a node selector term). */
export interface NodeRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: readonly string[];
}

/** A node selector term: every requirement holds; `matchFields` names only `metadata.name`. */
export interface NodeSelectorTerm {
  matchExpressions: readonly NodeRequirement[];
  matchFields: readonly NodeRequirement[];
}

/**
 * A required pod anti-affinity term (`podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[]`):
 * the pod runs in no topology domain (the nodes sharing the value of `topologyKey`) where a pod
 * `selector` matches runs, in `namespaces`.
 */
export interface AntiAffinityTerm {
  selector: LabelSelector;
  topologyKey: string;
  /** Where the selector looks; undefined: every namespace (a namespaceSelector, whose namespaces' labels the scaler does not read, is taken as all). */
  namespaces: readonly string[] | undefined;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect;
}

/** The scale-set instance behind a node, parsed from `spec.providerID`. */
export interface VmRef {
  subscription: string;
  resourceGroup: string;
  scaleSet: string;
  instanceId: string;
}

export interface Resources {
  /** CPU in millicores. */
  cpuMilli: number;
  /** Memory in bytes. */
  memoryBytes: number;
}

export interface NodeView {
  name: string;
  /** Value of `kubernetes.azure.com/agentpool` (AKS writes it on every node). */
  pool: string | undefined;
  labels: Readonly<Record<string, string>>;
  /** Only the annotations the core reads (ours and the ecosystem's scale-down controls). */
  annotations: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  cordoned: boolean;
  ready: boolean;
  allocatable: Resources & { pods: number };
  createdAt: number;
  vm: VmRef | undefined;
  /**
   * What is known of the VM. From a Kubernetes dump alone: `deallocated` for a NotReady node with the
   * `node.cloudprovider.kubernetes.io/shutdown` taint, `running` for a Ready node, else `unknown`.
   * The ARM adapter can refine it from the instance view.
   */
  power: PowerState;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface ControllerRef {
  kind: string;
  name: string;
  /** API group of the owner (`apps`, `batch`, '' for core); undefined when unknown (built by hand). */
  group?: string;
}

export interface PodView {
  namespace: string;
  name: string;
  /** `spec.nodeName`; undefined while pending. */
  node: string | undefined;
  phase: PodPhase;
  /** Pending with `PodScheduled=False, reason Unschedulable`: the scheduler found no node. */
  unschedulable: boolean;
  controller: ControllerRef | undefined;
  labels: Readonly<Record<string, string>>;
  /** Only the annotations the core reads. */
  annotations: Readonly<Record<string, string>>;
  requests: Resources;
  priority: number;
  graceSeconds: number;
  /** Has a `deletionTimestamp`: already on its way out, still counts as running on its node. */
  terminating: boolean;
  /**
   * The `deletionTimestamp`: when the grace period given at deletion ends (the API server adds it
   * to the time of the delete call). Undefined when not terminating or not known.
   */
  deletingAt?: number | undefined;
  /** Mounts an emptyDir (not memory-backed) or a hostPath volume. */
  localStorage: boolean;
  /** The names of those local volumes (`spec.volumes[].name`); undefined when not known. */
  localVolumes?: readonly string[] | undefined;
  createdAt: number;
  startedAt: number | undefined;
  daemonSet: boolean;
  mirror: boolean;
  nodeSelector: Readonly<Record<string, string>>;
  /**
   * `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`: a node
   * must match one of them (on top of `nodeSelector`); undefined when the pod has none.
   */
  requiredNodeTerms?: readonly NodeSelectorTerm[] | undefined;
  /** Its required pod anti-affinity; undefined when it has none. */
  antiAffinity?: readonly AntiAffinityTerm[] | undefined;
  tolerations: readonly Toleration[];
}

/** A parsed Kubernetes label selector: every requirement must hold. */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: readonly string[];
}
export interface LabelSelector {
  requirements: readonly LabelRequirement[];
}

export interface PdbView {
  namespace: string;
  name: string;
  /** undefined: the PDB's selector is null and it matches nothing. */
  selector: LabelSelector | undefined;
  disruptionsAllowed: number;
}

export interface WorkloadView {
  namespace: string;
  name: string;
  kind: 'Deployment';
  /** `spec.replicas` */
  replicas: number;
  readyReplicas: number;
  selector: LabelSelector;
}

export interface QueueView {
  name: string;
  /** Azure's approximate count: visible messages plus those being worked on (invisible). */
  messages: number;
  /** Age of the oldest visible message in seconds; undefined when unknown or the queue is empty. */
  oldestAgeSeconds: number | undefined;
}

/**
 * Which controllers exist, by name only (ReplicaSets, StatefulSets, Jobs, DaemonSets,
 * ReplicationControllers): enough to know whether a pod's owner would recreate it.
 */
export interface ControllerNames {
  /** The kinds that were read; a pod owned by another kind is not judged by this. */
  kinds: ReadonlySet<string>;
  /** `Kind/namespace/name` of each one found (see {@link controllerKey}). */
  names: ReadonlySet<string>;
}

export const controllerKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/**
 * An agent pool as ARM reports it, for one question: is AKS working on it (upgrade, node-image
 * upgrade, scale, update)? `provisioningState` is open-ended in the API: only `Succeeded` means idle.
 */
export interface PoolView {
  name: string;
  /** undefined: ARM said nothing, or the state could not be read (`problem` says why). */
  provisioningState: string | undefined;
  problem?: string;
}

export interface Snapshot {
  nodes: readonly NodeView[];
  pods: readonly PodView[];
  pdbs: readonly PdbView[];
  workloads: readonly WorkloadView[];
  queues: readonly QueueView[];
  /** Undefined when the controllers were not read (a `plan` dump without them). */
  controllers?: ControllerNames | undefined;
  /**
   * Queues the storage account says do not exist (not merely unread): a worker using one is refused,
   * since a typo would otherwise look like an empty queue forever.
   */
  missingQueues?: readonly string[];
  /** The agent pools' states from ARM; undefined when not read (a Kubernetes dump, no ARM access). */
  pools?: readonly PoolView[];
}
