// A person's own cluster as the simulator starts from it: `kubectl get nodes,pods,deployments,pdb,jobs
// -A -o json` (one List) read into agent pools (name, mode, VM size, max pods, labels, taints, how many
// nodes and how many running), Deployments (replicas, requests, grace, placement), PodDisruptionBudgets
// and the Job pods running. What the dump does not say is not guessed silently: every assumption and
// everything left out is a note, printed before the run.

import type { AgentPoolSpec } from '../azure/agent-pools';
import { VM_SIZES, DEFAULT_VM_SIZE } from '../azure/vm-sizes';
import type { PdbSpec } from '../model/workloads';
import type { NodeSelectorTerm, PodAffinityTerm, PreferredSchedulingTerm } from '../model/objects';

export interface DumpPool extends AgentPoolSpec {
  /** Nodes Ready and not shut down at the dump; the rest start deallocated. */
  running: number;
}

export interface DumpWorkload {
  namespace: string;
  name: string;
  replicas: number;
  cpu: string;
  memory: string;
  grace: number;
  labels: Record<string, string>;
  nodeSelector?: Record<string, string>;
  /** The template's preferred node affinity (the simulated scheduler scores it). */
  preferredNodeAffinity?: PreferredSchedulingTerm[];
  /** The template's required node affinity terms (the simulated scheduler filters by them). */
  requiredNodeAffinity?: NodeSelectorTerm[];
  /** The template's required pod anti-affinity terms (the simulated scheduler filters by them). */
  podAntiAffinity?: PodAffinityTerm[];
  tolerations?: { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
}

export interface DumpJobPod {
  namespace: string;
  job: string;
  cpu: string;
  memory: string;
  nodeSelector?: Record<string, string>;
}

export interface ClusterDump {
  pools: DumpPool[];
  workloads: DumpWorkload[];
  pdbs: PdbSpec[];
  jobPods: DumpJobPod[];
  namespaces: string[];
  /** What was assumed or left out, one sentence each. */
  notes: string[];
}

export class DumpError extends Error {}

type Obj = Record<string, any>;

const POOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool'];
/** Labels AKS and Kubernetes set on every node by themselves: not the pool's own. */
const SYSTEM_LABEL =
  /^(kubernetes\.io\/|beta\.kubernetes\.io\/|kubernetes\.azure\.com\/|node\.kubernetes\.io\/|topology\.kubernetes\.io\/|failure-domain\.beta\.kubernetes\.io\/|node-role\.kubernetes\.io\/|agentpool$|storageprofile$|storagetier$)/;
/** Taints the node lifecycle and cloud provider put on and take off by themselves. */
const STATE_TAINT =
  /^(node\.kubernetes\.io\/|node\.cloudprovider\.kubernetes\.io\/|ToBeDeletedByClusterAutoscaler$|DeletionCandidateOfClusterAutoscaler$)/;
const SHUTDOWN = 'node.cloudprovider.kubernetes.io/shutdown';
const DEFAULT_MAX_PODS = 30;

function quantityMilli(q: string | undefined): number {
  if (q === undefined) return 0;
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
function quantityBytes(q: string | undefined): number {
  if (q === undefined) return 0;
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?|k)?$/.exec(q);
  return m === null ? 0 : Number(m[1]) * (m[2] ? BINARY[m[2]]! : 1);
}

/** The pod's requests summed over its containers, as quantities the model takes (`250m`, `512Mi`). */
function requestsOf(podSpec: Obj | undefined): { cpu: string; memory: string } | undefined {
  const containers: Obj[] = podSpec?.containers ?? [];
  let cpu = 0;
  let memory = 0;
  let any = false;
  for (const c of containers) {
    const r = c.resources?.requests;
    if (r === undefined) continue;
    any = true;
    cpu += quantityMilli(r.cpu);
    memory += quantityBytes(r.memory);
  }
  return any ? { cpu: `${Math.round(cpu)}m`, memory: `${Math.ceil(memory / 2 ** 20)}Mi` } : undefined;
}

function ownerOf(pod: Obj): { kind: string; name: string } | undefined {
  const owner = ((pod.metadata?.ownerReferences ?? []) as Obj[]).find((o) => o.controller === true);
  return owner === undefined ? undefined : { kind: String(owner.kind), name: String(owner.name) };
}

/** A ReplicaSet's Deployment: its name without the pod-template-hash suffix. */
function deploymentOfReplicaSet(name: string, podTemplateHash: string | undefined): string {
  if (podTemplateHash !== undefined && name.endsWith(`-${podTemplateHash}`)) return name.slice(0, -podTemplateHash.length - 1);
  return name.replace(/-[a-z0-9]{5,10}$/, '');
}

export function readClusterDump(json: unknown, source: string): ClusterDump {
  const list = json as Obj;
  if (typeof list !== 'object' || list === null || !Array.isArray(list.items))
    throw new DumpError(`${source}: expected the List of \`kubectl get nodes,pods,deployments,pdb,jobs -A -o json\`, with items`);
  const items = list.items as Obj[];
  const of = (kind: string) => items.filter((i) => i.kind === kind);
  const notes: string[] = [];
  const nodes = of('Node');
  if (nodes.length === 0)
    throw new DumpError(`${source}: no Node in the dump; include nodes: kubectl get nodes,pods,deployments,pdb,jobs -A -o json`);

  const pools = readPools(nodes, notes);
  const { workloads, jobPods } = readWorkloads(of('Deployment'), of('Pod'), of('Job'), notes);
  const pdbs = readPdbs(of('PodDisruptionBudget'), notes);
  const namespaces = [
    ...new Set([...workloads.map((w) => w.namespace), ...jobPods.map((j) => j.namespace), ...pdbs.map((p) => p.namespace!)]),
  ]
    .filter((ns) => !['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(ns))
    .sort();
  for (const kind of new Set(items.map((i) => String(i.kind)))) {
    if (!['Node', 'Pod', 'Deployment', 'PodDisruptionBudget', 'Job'].includes(kind))
      notes.push(`${kind} objects in the dump are not simulated`);
  }
  return { pools, workloads, pdbs, jobPods, namespaces, notes };
}

function readPools(nodes: Obj[], notes: string[]): DumpPool[] {
  const byPool = new Map<string, Obj[]>();
  for (const node of nodes) {
    const labels: Record<string, string> = node.metadata?.labels ?? {};
    const pool = POOL_LABELS.map((l) => labels[l]).find((v) => v !== undefined);
    if (pool === undefined) {
      notes.push(`node ${node.metadata?.name} has no agentpool label (kubernetes.azure.com/agentpool): not simulated`);
      continue;
    }
    byPool.set(pool, [...(byPool.get(pool) ?? []), node]);
  }
  const pools: DumpPool[] = [];
  for (const [pool, members] of [...byPool].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // AKS sets labels and taints per pool; a node whose own differ (put on by hand) becomes a pool of its own.
    const groups = new Map<string, Obj[]>();
    for (const node of members) groups.set(signature(node), [...(groups.get(signature(node)) ?? []), node]);
    const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
    ordered.forEach((group, index) => {
      const name = index === 0 ? pool : `${pool}${index + 1}`;
      if (index > 0) {
        const extra = Object.entries(ownLabels(group[0]!))
          .filter(([k, v]) => ownLabels(ordered[0]![0]!)[k] !== v)
          .map(([k, v]) => `${k}=${v}`);
        notes.push(
          `${group.map((n) => n.metadata.name).join(', ')} of pool ${pool} differ from its other nodes (${extra.join(', ') || 'taints'}): simulated as a separate pool ${name}`,
        );
      }
      pools.push(poolOf(name, pool, group, notes));
    });
  }
  if (!pools.some((p) => p.mode === 'System')) {
    notes.push('no System-mode pool in the dump: a 1-node Standard_D4s_v5 pool "system" is added, as AKS requires one');
    pools.unshift({ name: 'system', mode: 'System', count: 1, running: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] });
  }
  return pools;
}

function ownLabels(node: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries((node.metadata?.labels ?? {}) as Record<string, string>).filter(([k]) => !SYSTEM_LABEL.test(k)));
}

function ownTaints(node: Obj): string[] {
  return ((node.spec?.taints ?? []) as Obj[])
    .filter((t) => !STATE_TAINT.test(String(t.key)))
    .map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`)
    .sort();
}

function signature(node: Obj): string {
  return JSON.stringify([Object.entries(ownLabels(node)).sort(), ownTaints(node)]);
}

function poolOf(name: string, pool: string, nodes: Obj[], notes: string[]): DumpPool {
  const first = nodes[0]!;
  const labels: Record<string, string> = first.metadata?.labels ?? {};
  const mode = labels['kubernetes.azure.com/mode'];
  if (mode === undefined) notes.push(`pool ${pool}: no kubernetes.azure.com/mode label; taken as a User pool`);
  const size = labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'];
  let vmSize = size ?? DEFAULT_VM_SIZE;
  if (size === undefined) notes.push(`pool ${pool}: no node.kubernetes.io/instance-type label; simulated as ${DEFAULT_VM_SIZE}`);
  else if (VM_SIZES[size] === undefined) {
    notes.push(
      `pool ${pool}: VM size ${size} is not one the simulator models (${Object.keys(VM_SIZES).join(', ')}); simulated as ${DEFAULT_VM_SIZE}`,
    );
    vmSize = DEFAULT_VM_SIZE;
  }
  const pods = Number(first.status?.allocatable?.pods);
  const maxPods = Number.isInteger(pods) && pods > 0 ? pods : DEFAULT_MAX_PODS;
  if (maxPods !== pods) notes.push(`pool ${name}: no status.allocatable.pods; max pods taken as ${DEFAULT_MAX_PODS} (Azure CNI's default)`);
  const running = nodes.filter((n) => {
    const ready = ((n.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready')?.status === 'True';
    return ready && !((n.spec?.taints ?? []) as Obj[]).some((t) => t.key === SHUTDOWN);
  }).length;
  const cordoned = nodes.filter((n) => n.spec?.unschedulable === true).map((n) => n.metadata.name);
  if (cordoned.length > 0)
    notes.push(
      `pool ${name}: ${cordoned.join(', ')} cordoned in the dump; simulated uncordoned (running) or deallocated as their power state says`,
    );
  const taints = ownTaints(first);
  return {
    name,
    mode: mode === 'system' ? 'System' : 'User',
    count: nodes.length,
    running,
    vmSize,
    maxPods,
    // A deallocated VM is only kept (to start again) in Deallocate mode; the dump cannot say which mode the pool has.
    scaleDownMode: 'Deallocate',
    labels: ownLabels(first),
    ...(taints.length > 0 ? { taints } : {}),
  };
}

function readWorkloads(
  deployments: Obj[],
  pods: Obj[],
  jobs: Obj[],
  notes: string[],
): { workloads: DumpWorkload[]; jobPods: DumpJobPod[] } {
  const workloads = new Map<string, DumpWorkload>();
  const podsOf = new Map<string, Obj[]>();
  const jobPods: DumpJobPod[] = [];
  const skipped = new Map<string, number>();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ns = String(pod.metadata?.namespace ?? 'default');
    const owner = ownerOf(pod);
    if (owner?.kind === 'ReplicaSet') {
      const key = `${ns}/${deploymentOfReplicaSet(owner.name, pod.metadata?.labels?.['pod-template-hash'])}`;
      podsOf.set(key, [...(podsOf.get(key) ?? []), pod]);
    } else if (owner?.kind === 'Job') {
      const r = requestsOf(pod.spec) ?? { cpu: '100m', memory: '128Mi' };
      jobPods.push({ namespace: ns, job: owner.name, ...r, ...(pod.spec?.nodeSelector ? { nodeSelector: pod.spec.nodeSelector } : {}) });
    } else if (owner?.kind !== 'DaemonSet' && pod.metadata?.annotations?.['kubernetes.io/config.mirror'] === undefined) {
      const what = owner === undefined ? 'bare pods (no controller)' : `pods of ${owner.kind}s`;
      skipped.set(what, (skipped.get(what) ?? 0) + 1);
    }
  }
  notes.push("DaemonSet pods are not copied: the simulator runs AKS's own DaemonSets (kube-proxy, azure-cns, …) on every node");
  for (const [what, count] of skipped)
    notes.push(`${count} ${what}: not simulated (the dump holds no controller the simulator runs for them)`);
  if (jobPods.length > 0)
    notes.push(
      `${jobPods.length} running Job pod(s): restarted at the start, each assumed to run 1 hour more (a dump cannot say how long)`,
    );
  if (jobs.length > 0) notes.push(`Jobs: their running pods are simulated; a Job's completions and parallelism are not`);

  for (const d of deployments) {
    const ns = String(d.metadata?.namespace ?? 'default');
    const name = String(d.metadata?.name);
    const key = `${ns}/${name}`;
    const template = d.spec?.template ?? {};
    let requests = requestsOf(template.spec);
    if (requests === undefined) {
      requests = requestsOf(podsOf.get(key)?.[0]?.spec);
      notes.push(
        requests === undefined
          ? `Deployment ${key}: no resource requests; taken as 100m CPU and 128Mi`
          : `Deployment ${key}: no requests in its template; taken from its pod (${requests.cpu} CPU, ${requests.memory})`,
      );
    }
    workloads.set(key, {
      namespace: ns,
      name,
      replicas: Number(d.spec?.replicas ?? 1),
      ...(requests ?? { cpu: '100m', memory: '128Mi' }),
      grace: Number(template.spec?.terminationGracePeriodSeconds ?? 30),
      labels: template.metadata?.labels ?? {},
      ...(template.spec?.nodeSelector ? { nodeSelector: template.spec.nodeSelector } : {}),
      ...preferredOf(template.spec),
      ...requiredOf(template.spec),
      ...antiAffinityOf(template.spec),
      ...(template.spec?.tolerations ? { tolerations: template.spec.tolerations } : {}),
    });
  }
  // Deployments the dump lacks but whose pods it holds: rebuilt from the pods.
  for (const [key, members] of podsOf) {
    if (workloads.has(key)) continue;
    const [ns, name] = key.split('/') as [string, string];
    const pod = members[0]!;
    const requests = requestsOf(pod.spec) ?? { cpu: '100m', memory: '128Mi' };
    notes.push(
      `Deployment ${key} is not in the dump: rebuilt from its ${members.length} pod(s) (replicas ${members.length}, ${requests.cpu} CPU, ${requests.memory} each)`,
    );
    const labels = { ...(pod.metadata?.labels ?? {}) } as Record<string, string>;
    delete labels['pod-template-hash'];
    workloads.set(key, {
      namespace: ns,
      name,
      replicas: members.length,
      ...requests,
      grace: Number(pod.spec?.terminationGracePeriodSeconds ?? 30),
      labels,
      ...(pod.spec?.nodeSelector ? { nodeSelector: pod.spec.nodeSelector } : {}),
      ...preferredOf(pod.spec),
      ...requiredOf(pod.spec),
      ...antiAffinityOf(pod.spec),
      ...(pod.spec?.tolerations
        ? { tolerations: (pod.spec.tolerations as Obj[]).filter((t) => !String(t.key ?? '').startsWith('node.kubernetes.io/')) }
        : {}),
    });
  }
  return { workloads: [...workloads.values()], jobPods };
}

/** `affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution` of a pod spec, when it has one. */
function preferredOf(spec: Obj | undefined): { preferredNodeAffinity?: PreferredSchedulingTerm[] } {
  const terms = (spec?.affinity as { nodeAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: unknown } } | undefined)
    ?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) && terms.length > 0 ? { preferredNodeAffinity: terms as PreferredSchedulingTerm[] } : {};
}

/** `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms` of a pod spec, when it has them. */
function requiredOf(spec: Obj | undefined): { requiredNodeAffinity?: NodeSelectorTerm[] } {
  const terms = (
    spec?.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown } } } | undefined
  )?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return Array.isArray(terms) && terms.length > 0 ? { requiredNodeAffinity: terms as NodeSelectorTerm[] } : {};
}

/** `affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution` of a pod spec, when it has terms. */
function antiAffinityOf(spec: Obj | undefined): { podAntiAffinity?: PodAffinityTerm[] } {
  const terms = (spec?.affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } } | undefined)
    ?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) && terms.length > 0 ? { podAntiAffinity: terms as PodAffinityTerm[] } : {};
}

function readPdbs(pdbs: Obj[], notes: string[]): PdbSpec[] {
  const out: PdbSpec[] = [];
  for (const p of pdbs) {
    const key = `${p.metadata?.namespace}/${p.metadata?.name}`;
    const selector = p.spec?.selector ?? {};
    if (selector.matchExpressions !== undefined) {
      notes.push(`PodDisruptionBudget ${key}: matchExpressions are not simulated; the budget is left out`);
      continue;
    }
    out.push({
      name: String(p.metadata?.name),
      namespace: String(p.metadata?.namespace ?? 'default'),
      matchLabels: selector.matchLabels ?? {},
      ...(p.spec?.minAvailable !== undefined ? { minAvailable: p.spec.minAvailable } : {}),
      ...(p.spec?.maxUnavailable !== undefined ? { maxUnavailable: p.spec.maxUnavailable } : {}),
      ...(p.spec?.unhealthyPodEvictionPolicy ? { unhealthyPodEvictionPolicy: p.spec.unhealthyPodEvictionPolicy } : {}),
    });
  }
  return out;
}
