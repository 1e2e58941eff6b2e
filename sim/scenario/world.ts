// The simulated world a strategy acts on: the AKS cluster with its three pools (system, the user
// pool the scaler manages, the protected batch pool), the workloads (panel, MDM, BG workers) and
// their PDBs, the job queues, and the runner's ports over them, settled before the first step.

import { BATCH_DEPLOYABLE_LABEL, STAYS_LABEL, STAYS_TAINT } from '../../core/annotations';
import type { Policy, WorkerPolicy } from '../../core/policy';
import type { NodeView } from '../../core/views';
import type { Logger } from '../../runner/ports';
import type { RunnerDeps } from '../../runner/run-tick';
import { SimCluster } from '../model/cluster';
import { controllerOf, type Affinity, type DeepReadonly, type Pod, type Toleration } from '../model/objects';
import {
  InMemoryLease,
  InMemoryStore,
  ListEventSink,
  SimClusterReader,
  SimJobQueue,
  SimKubernetesActions,
  SimNodeVms,
  SimQueueDepths,
} from './in-process-ports';
import { MINUTE, type Traffic } from './traffic';
import { nodesFor, userNodeCapacity, type NodeCapacity } from './oracle';
import { cpuMilli, memoryBytes } from '../../core/quantity';
import { authorizedDeps, PortAuthorizer } from './authorized-ports';
import type { ClusterDump } from './cluster-dump';
import { addDumpWorkloads, dumpPools } from './dump-world';
import type { RbacObjects } from '../model/rbac';
import { scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../model/rbac-manifests';
import { clusterAuth, SCALER_TOKEN } from '../servers/kube-auth';

export const NAMESPACE = 'clomo';
export const USER_POOL = 'user';
export const BATCH_LABEL = BATCH_DEPLOYABLE_LABEL;
const DESCHEDULING = { 'clomo/descheduling': 'enabled' };

export interface WorkloadShape {
  /** MDM requests per second one replica serves. */
  rpsPerMdmPod: number;
  mdmMin: number;
  mdmMax: number;
  panelReplicas: number;
}

export const DEFAULT_WORKLOADS: WorkloadShape = { rpsPerMdmPod: 1, mdmMin: 3, mdmMax: 1100, panelReplicas: 3 };

/** Each user-pool workload's pod requests (the oracle bound packs the same pods). */
export const WORKLOAD_REQUESTS = {
  panel: { cpu: '250m', memory: '1Gi' },
  mdm: { cpu: '150m', memory: '512Mi' },
  bg: { cpu: '200m', memory: '512Mi' },
} as const;

/** What a strategy acts through. */
export interface World {
  cluster: SimCluster;
  policy: Policy;
  deps: RunnerDeps;
  /** The same ports, reading without PDBs: for the workers scaler, whose planner does not read them. */
  workerDeps: RunnerDeps;
  reader: SimClusterReader;
  actions: SimKubernetesActions;
  vms: SimNodeVms;
  queues: ReadonlyMap<string, SimJobQueue>;
  worker: WorkerPolicy | undefined;
  /** Peak user nodes needed by the traffic at the policy's pods per node (static provisioning). */
  staticNodes: number;
  /** Current user-pool VMs by node name, with their scale-set reference, as NodeViews. */
  userNodes(): NodeView[];
  /** The state ports behind `deps`, unauthorized, for the simulator's own reads and fault wrappers. */
  inProcess: { memory: InMemoryStore; lease: InMemoryLease; events: ListEventSink };
  /** Who `deps` act as, and what the API server's RBAC lets them do. */
  authorizer: PortAuthorizer;
  /** The node scaler's latest pre-warming forecast (nodes for the coming quarter hour), for the report; set by the strategy. */
  forecastNodes: number | undefined;
}

/** How the world starts: what the strategy asks for and the seed. */
export interface WorldStart {
  traffic: Traffic;
  policy: Policy;
  shape: WorkloadShape;
  seed: number;
  worker: WorkerPolicy | undefined;
  staticNodes: number;
  /** VMs in the user pool, running or deallocated. */
  poolSize: number;
  /** User nodes running at the start. */
  initialNodes: number;
  initialBgReplicas: number;
  /** The runner's lease holder. */
  holder: string;
  /** The RBAC manifest the scaler runs under; default infra/kubernetes/rbac.yaml as it is. */
  rbacManifest?: string;
  /** A person's cluster to start from (checked with checkDump) instead of the reference one. */
  dump?: ClusterDump;
}

const silentLog: Logger = { info() {}, warn() {}, error() {} };

function isWorkloadPod(pod: DeepReadonly<Pod>): boolean {
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
  return controllerOf(pod)?.kind !== 'DaemonSet';
}

export function workloadPodsOn(cluster: SimCluster, node: string): DeepReadonly<Pod>[] {
  return cluster.podsOnNode(node).filter(isWorkloadPod);
}

export function mdmReplicasFor(rps: number, shape: WorkloadShape): number {
  return Math.max(shape.mdmMin, Math.min(shape.mdmMax, Math.ceil(rps / shape.rpsPerMdmPod)));
}

/** The user nodes the traffic needs at its peak, at the policy's target pods per node (the lowest of its windows', if lower). */
export function staticPeakNodes(traffic: Traffic, policy: Policy, shape: WorkloadShape): number {
  let peak = 0;
  for (const rps of traffic.mdmRps) peak = Math.max(peak, mdmReplicasFor(rps, shape));
  const bg = policy.workers[0]?.maxReplicas ?? 0;
  let target = policy.nodes?.targetPodsPerNode ?? 20;
  for (const w of policy.nodes?.schedule ?? []) target = Math.min(target, w.targetPodsPerNode ?? target);
  return Math.max(policy.nodes?.minNodes ?? 1, Math.ceil((peak + bg + shape.panelReplicas) / target));
}

/**
 * The user nodes that hold the pods present when the traffic starts (the panel, MDM at the first
 * step's rate, the BG replicas a strategy starts with), by pods, cpu and memory: the run starts on
 * a cluster that was serving its traffic, whichever strategy then runs it. A strategy that starts
 * with fewer nodes (its minimum) would otherwise find pods pending since before its first tick: the
 * evening-peak trace begins at midnight with more pods than two nodes hold, and those pods, created
 * five minutes before the start, counted as waiting six minutes for every strategy.
 */
export function servingNodes(capacity: NodeCapacity, shape: WorkloadShape, traffic: Traffic, bgReplicas: number): number {
  const mdm = mdmReplicasFor(traffic.mdmRps[0] ?? 0, shape);
  const counts = { panel: shape.panelReplicas, mdm, bg: bgReplicas };
  let cpu = 0;
  let memory = 0;
  for (const [name, count] of Object.entries(counts) as [keyof typeof WORKLOAD_REQUESTS, number][]) {
    cpu += count * cpuMilli(WORKLOAD_REQUESTS[name].cpu);
    memory += count * memoryBytes(WORKLOAD_REQUESTS[name].memory);
  }
  return nodesFor(shape.panelReplicas + mdm + bgReplicas, cpu, memory, capacity);
}

/** The cluster, its VMs settled before the start, its workloads and queues, and the runner's ports over them. */
export function buildWorld(start: WorldStart): World {
  const { traffic, policy, shape } = start;
  const warmup = 10 * MINUTE;
  const dumped = start.dump === undefined ? undefined : dumpPools(start.dump, start.poolSize);
  const cluster = SimCluster.aks({
    seed: start.seed,
    start: traffic.start - warmup,
    pools: dumped?.specs ?? [
      { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
      { name: USER_POOL, count: start.poolSize, scaleDownMode: 'Deallocate' },
      {
        name: 'batch',
        count: 2,
        scaleDownMode: 'Deallocate',
        labels: { [BATCH_LABEL]: 'true' },
        taints: [`${BATCH_LABEL}=true:NoSchedule`],
      },
    ],
    namespaces: [...new Set([NAMESPACE, ...(start.dump?.namespaces ?? [])])],
  });
  const reader = new SimClusterReader(cluster);
  const actions = new SimKubernetesActions(cluster);
  const vms = new SimNodeVms(cluster);
  const userNodes = (): NodeView[] => reader.readNow().nodes.filter((n) => n.pool === USER_POOL);
  const capacity = userNodeCapacity(reader.readNow());
  if (dumped === undefined) {
    const running = Math.max(start.initialNodes, servingNodes(capacity, shape, traffic, start.initialBgReplicas));
    for (const node of userNodes().slice(running)) if (node.vm) cluster.deallocateVm(node.vm.scaleSet, node.vm.instanceId);
  } else {
    // As the dump has them: its deallocated VMs stay so; the scaled pool starts at least as a strategy needs.
    const nodes = reader.readNow().nodes;
    for (const [pool, up] of dumped.running) {
      const keep = pool === USER_POOL ? Math.max(up, start.initialNodes) : up;
      for (const node of nodes.filter((n) => n.pool === pool).slice(keep))
        if (node.vm) cluster.deallocateVm(node.vm.scaleSet, node.vm.instanceId);
    }
  }
  cluster.advance(5 * MINUTE);

  const rps0 = traffic.mdmRps[0] ?? 0;
  if (start.dump !== undefined)
    addDumpWorkloads(cluster, start.dump, { mdm: mdmReplicasFor(rps0, shape), bg: start.initialBgReplicas }, start.worker);
  else {
    addReferenceWorkloads(cluster, shape, rps0, start.initialBgReplicas);
    // servingNodes is a bound: packing may leave a few pods over. Those get their VMs now, which are
    // up well before the start.
    cluster.advance(0);
    let over = Math.ceil(cluster.pendingPods().length / capacity.pods);
    for (const node of userNodes()) {
      if (over <= 0) break;
      if (node.power === 'deallocated' && node.vm && cluster.startVm(node.vm.scaleSet, node.vm.instanceId)) over--;
    }
  }

  const queueNames = start.worker?.queues ?? ['clomo-jobs'];
  const queues = new Map(queueNames.map((name) => [name, new SimJobQueue(name)]));

  const inProcess = {
    memory: new InMemoryStore(),
    lease: new InMemoryLease(() => cluster.now()),
    events: new ListEventSink(() => cluster.now(), 2000),
  };
  const ports: RunnerDeps = {
    reader,
    queues: new SimQueueDepths(queues, () => cluster.now()),
    actions,
    vms,
    ...inProcess,
    status: undefined,
    log: silentLog,
    clock: () => cluster.now(),
    holder: start.holder,
  };
  // The scaler acts as the identity infra/kubernetes/rbac.yaml binds, with exactly what it grants.
  const authorizer = scalerAuthorizer(start.rbacManifest);
  const deps = authorizedDeps(ports, authorizer);
  // The workers planner reads only its Deployments' pods (selected by `app` here), their queues and
  // the Deployments; a reader that leaves out the other pods and the PDBs gives it the same decision
  // for a fraction of the cost, which is most of a week's ticks.
  const workerDeps: RunnerDeps = authorizedDeps({ ...ports, reader: workerReader(cluster, policy) }, authorizer);
  return {
    cluster,
    policy,
    deps,
    workerDeps,
    reader,
    actions,
    vms,
    queues,
    worker: start.worker,
    staticNodes: start.staticNodes,
    userNodes,
    inProcess,
    authorizer,
    forecastNodes: undefined,
  };
}

/** The state namespace the app defaults to (GRACEFUL_SCALER_NAMESPACE unset). */
export const STATE_NAMESPACE = 'graceful-scaler';

let manifestRbac: RbacObjects | undefined;

/** graceful-scaler's identity under `manifest` (default rbac.yaml, read once per process). */
export function scalerAuthorizer(manifest?: string): PortAuthorizer {
  const rbac = manifest === undefined ? (manifestRbac ??= scalerRbac()) : scalerRbac(manifest);
  const auth = clusterAuth(rbac, SIM_SCALER_PRINCIPAL_ID);
  return new PortAuthorizer(auth, auth.authenticate(`Bearer ${SCALER_TOKEN}`), STATE_NAMESPACE);
}

/** Clomo's workloads in the reference cluster: the panel, MDM (following the traffic) and the BG workers, with PDBs. */
function addReferenceWorkloads(cluster: SimCluster, shape: WorkloadShape, rps0: number, initialBgReplicas: number): void {
  cluster.addDeployment({
    name: 'panel',
    namespace: NAMESPACE,
    replicas: shape.panelReplicas,
    ...WORKLOAD_REQUESTS.panel,
    labels: DESCHEDULING,
  });
  cluster.addPdb({ name: 'panel', namespace: NAMESPACE, maxUnavailable: 1 });
  cluster.addDeployment({
    name: 'mdm',
    namespace: NAMESPACE,
    replicas: mdmReplicasFor(rps0, shape),
    ...WORKLOAD_REQUESTS.mdm,
    labels: DESCHEDULING,
  });
  cluster.addPdb({ name: 'mdm', namespace: NAMESPACE, maxUnavailable: '20%' });
  cluster.addDeployment({
    name: 'bg',
    namespace: NAMESPACE,
    replicas: initialBgReplicas,
    ...WORKLOAD_REQUESTS.bg,
    grace: 72_000,
    affinity: BG_PLACEMENT,
    tolerations: BG_TOLERATIONS,
  });
}

/**
 * The change a user makes to the BG Deployment (README, "BG workers and placement"): prefer the
 * nodes graceful-scaler expects to keep longest, and tolerate the taint it puts on them
 * (`nodes.staysTaint`), which the other pods avoid. Only graceful-scaler sets the label and the
 * taint, so for every other strategy they prefer nothing and change nothing.
 */
export const BG_PLACEMENT: Affinity = {
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 100, preference: { matchExpressions: [{ key: STAYS_LABEL, operator: 'In', values: ['true'] }] } },
    ],
  },
};
export const BG_TOLERATIONS: Toleration[] = [{ key: STAYS_TAINT, operator: 'Exists', effect: 'PreferNoSchedule' }];

/** A reader of what the workers planner reads: its Deployments' pods (selected by `app`), no PDBs. */
export function workerReader(cluster: SimCluster, policy: Policy): SimClusterReader {
  const workerApps = new Map<string, string>(policy.workers.map((w) => [w.deployment, w.namespace]));
  return new SimClusterReader(cluster, {
    withPdbs: false,
    pods: (p) => {
      const app = p.metadata.labels?.app;
      return app !== undefined && workerApps.get(app) === p.metadata.namespace;
    },
  });
}
