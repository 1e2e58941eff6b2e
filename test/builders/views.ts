// Builders for the core's views: short test cases instead of pages of JSON. Each builder takes a name
// and small mutators (`onNode('n1')`, `ownedBy('ReplicaSet', 'web')`, `labelled({...})`).

import { AGENT_POOL_LABEL, BUSY, DRAIN_CANDIDATE_TAINT, SHUTDOWN_TAINT, STAYS_LABEL, STAYS_TAINT } from '../../core/annotations';
import { emptyMemory, type Memory } from '../../core/memory';
import type { Policy } from '../../core/policy';
import { validatePolicy } from '../../core/policy-validate';
import type { NodeView, PdbView, PodView, QueueView, Snapshot, WorkloadView } from '../../core/views';
import { parseSelector } from '../../core/selector';

/** Monday 30 November 2026, 03:00 in Tokyo: a quiet weekday night. */
export const NOW = Date.parse('2026-11-30T03:00:00+09:00');
export const MINUTE = 60_000;
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

type Mut<T> = (v: T) => void;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// --- nodes --------------------------------------------------------------------------------------

export function buildNode(name: string, ...muts: Mut<Mutable<NodeView>>[]): NodeView {
  const node: Mutable<NodeView> = {
    name,
    pool: 'user',
    labels: { [AGENT_POOL_LABEL]: 'user', 'kubernetes.io/hostname': name },
    annotations: {},
    taints: [],
    cordoned: false,
    ready: true,
    allocatable: { pods: 30, cpuMilli: 3860, memoryBytes: 12880000 * 1024 },
    createdAt: Date.parse('2026-11-01T00:00:00Z'),
    vm: { subscription: 'sub', resourceGroup: 'mc_rg', scaleSet: 'aks-user-vmss', instanceId: name.replace(/\D/g, '') || '0' },
    power: 'running',
  };
  for (const m of muts) m(node);
  return node;
}

export const inPool =
  (pool: string): Mut<Mutable<NodeView>> =>
  (n) => {
    n.pool = pool;
    n.labels = { ...n.labels, [AGENT_POOL_LABEL]: pool };
  };
export const nodeLabelled =
  (labels: Record<string, string>): Mut<Mutable<NodeView>> =>
  (n) => {
    n.labels = { ...n.labels, ...labels };
  };
export const nodeAnnotated =
  (annotations: Record<string, string>): Mut<Mutable<NodeView>> =>
  (n) => {
    n.annotations = { ...n.annotations, ...annotations };
  };
export const cordoned: Mut<Mutable<NodeView>> = (n) => {
  n.cordoned = true;
};
export const notReady: Mut<Mutable<NodeView>> = (n) => {
  n.ready = false;
  n.power = 'unknown';
};
/** As AKS shows a deallocated VM: NotReady, unreachable + shutdown taints, still cordoned. */
export const deallocated: Mut<Mutable<NodeView>> = (n) => {
  n.ready = false;
  n.cordoned = true;
  n.power = 'deallocated';
  n.taints = [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    { key: SHUTDOWN_TAINT, effect: 'NoSchedule' },
  ];
};
export const tainted =
  (key: string, value?: string, effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' = 'NoSchedule'): Mut<Mutable<NodeView>> =>
  (n) => {
    n.taints = [...n.taints, { key, ...(value !== undefined ? { value } : {}), effect }];
  };
/** Carries our drain-candidate taint, as a tick before put it there (value: Unix seconds). */
export const drainCandidate: Mut<Mutable<NodeView>> = tainted(DRAIN_CANDIDATE_TAINT, '1796000000', 'PreferNoSchedule');
/** Carries our stays label. */
export const stays: Mut<Mutable<NodeView>> = nodeLabelled({ [STAYS_LABEL]: 'true' });
/** Carries our stays taint (policy nodes.staysTaint), as a tick before put it there. */
export const staysTainted: Mut<Mutable<NodeView>> = tainted(STAYS_TAINT, 'true', 'PreferNoSchedule');
export const createdAt =
  (ms: number): Mut<Mutable<NodeView>> =>
  (n) => {
    n.createdAt = ms;
  };
export const maxPods =
  (pods: number): Mut<Mutable<NodeView>> =>
  (n) => {
    n.allocatable = { ...n.allocatable, pods };
  };

// --- pods ---------------------------------------------------------------------------------------

export function buildPod(name: string, ...muts: Mut<Mutable<PodView>>[]): PodView {
  const pod: Mutable<PodView> = {
    namespace: 'clomo',
    name,
    node: undefined,
    phase: 'Running',
    unschedulable: false,
    controller: { kind: 'ReplicaSet', name: `${name.replace(/-[^-]*$/, '')}-rs` },
    labels: {},
    annotations: {},
    requests: { cpuMilli: 100, memoryBytes: 256 * MIB },
    priority: 0,
    graceSeconds: 30,
    terminating: false,
    localStorage: false,
    createdAt: Date.parse('2026-11-01T00:00:00Z'),
    startedAt: Date.parse('2026-11-01T00:00:05Z'),
    daemonSet: false,
    mirror: false,
    nodeSelector: {},
    tolerations: [],
  };
  for (const m of muts) m(pod);
  return pod;
}

export const onNode =
  (node: string): Mut<Mutable<PodView>> =>
  (p) => {
    p.node = node;
  };
export const inNamespace =
  (namespace: string): Mut<Mutable<PodView>> =>
  (p) => {
    p.namespace = namespace;
  };
export const ownedBy =
  (kind: string, name: string): Mut<Mutable<PodView>> =>
  (p) => {
    p.controller = { kind, name };
    p.daemonSet = kind === 'DaemonSet';
  };
export const noController: Mut<Mutable<PodView>> = (p) => {
  p.controller = undefined;
};
export const daemon: Mut<Mutable<PodView>> = (p) => {
  p.controller = { kind: 'DaemonSet', name: 'kube-proxy' };
  p.daemonSet = true;
  p.namespace = 'kube-system';
  p.requests = { cpuMilli: 10, memoryBytes: 20 * MIB };
};
export const mirrorPod: Mut<Mutable<PodView>> = (p) => {
  p.mirror = true;
  p.controller = { kind: 'Node', name: 'n' };
};
export const labelled =
  (labels: Record<string, string>): Mut<Mutable<PodView>> =>
  (p) => {
    p.labels = { ...p.labels, ...labels };
  };
export const annotated =
  (annotations: Record<string, string>): Mut<Mutable<PodView>> =>
  (p) => {
    p.annotations = { ...p.annotations, ...annotations };
  };
export const requests =
  (cpuMilli: number, memoryBytes: number): Mut<Mutable<PodView>> =>
  (p) => {
    p.requests = { cpuMilli, memoryBytes };
  };
export const pending: Mut<Mutable<PodView>> = (p) => {
  p.node = undefined;
  p.phase = 'Pending';
  p.startedAt = undefined;
};
export const unschedulable: Mut<Mutable<PodView>> = (p) => {
  pending(p);
  p.unschedulable = true;
};
export const terminating: Mut<Mutable<PodView>> = (p) => {
  p.terminating = true;
};
export const phase =
  (value: PodView['phase']): Mut<Mutable<PodView>> =>
  (p) => {
    p.phase = value;
  };
export const grace =
  (seconds: number): Mut<Mutable<PodView>> =>
  (p) => {
    p.graceSeconds = seconds;
  };
export const startedAt =
  (ms: number): Mut<Mutable<PodView>> =>
  (p) => {
    p.startedAt = ms;
    p.createdAt = ms;
  };
/** Owned by a controller of this API group (`apps`, `batch`, '' for core, or a custom one). */
export const ownedByIn =
  (kind: string, name: string, group: string): Mut<Mutable<PodView>> =>
  (p) => {
    p.controller = { kind, name, group };
    p.daemonSet = kind === 'DaemonSet';
  };
export const podCreatedAt =
  (ms: number): Mut<Mutable<PodView>> =>
  (p) => {
    p.createdAt = ms;
  };
/** Terminating, its grace period ending at `ms` (the deletionTimestamp). */
export const deletingAt =
  (ms: number): Mut<Mutable<PodView>> =>
  (p) => {
    p.terminating = true;
    p.deletingAt = ms;
  };
/** emptyDir/hostPath volumes with these names. */
export const localVolumes =
  (...names: string[]): Mut<Mutable<PodView>> =>
  (p) => {
    p.localStorage = names.length > 0;
    p.localVolumes = names;
  };
export const withLocalStorage: Mut<Mutable<PodView>> = (p) => {
  p.localStorage = true;
};
export const selectingNodes =
  (selector: Record<string, string>): Mut<Mutable<PodView>> =>
  (p) => {
    p.nodeSelector = selector;
  };
/** A required node affinity of one term per list of `key In values` requirements (`zone=1,2`-style shorthand). */
export const requiringNodes =
  (...terms: Record<string, string>[]): Mut<Mutable<PodView>> =>
  (p) => {
    p.requiredNodeTerms = terms.map((term) => ({
      matchExpressions: Object.entries(term).map(([key, values]) => ({ key, operator: 'In' as const, values: values.split(',') })),
      matchFields: [],
    }));
  };
/** A required pod anti-affinity: no pod labelled `label` (in its namespace) in the same `topologyKey` domain. */
export const repelling =
  (label: Record<string, string>, topologyKey = 'kubernetes.io/hostname'): Mut<Mutable<PodView>> =>
  (p) => {
    const term = {
      selector: { requirements: Object.entries(label).map(([key, value]) => ({ key, operator: 'In' as const, values: [value] })) },
      topologyKey,
      namespaces: [p.namespace],
    };
    p.antiAffinity = [...(p.antiAffinity ?? []), term];
  };
export const tolerating =
  (key: string): Mut<Mutable<PodView>> =>
  (p) => {
    p.tolerations = [...p.tolerations, { key, operator: 'Exists' }];
  };

/** `count` ReplicaSet pods of one app on a node, named `<app>-<node>-<i>`. */
export function podsOf(app: string, node: string, count: number, ...muts: Mut<Mutable<PodView>>[]): PodView[] {
  return Array.from({ length: count }, (_, i) =>
    buildPod(`${app}-${node}-${i}`, onNode(node), ownedBy('ReplicaSet', `${app}-rs`), labelled({ app }), ...muts),
  );
}

/**
 * `count` running pods of the worker Deployment `app` on node n1, each publishing the busy annotation
 * ("true" / "false"), or not publishing it at all (`busy` undefined); named `<app>-busy-<i>` and so on.
 */
export function workerPods(app: string, count: number, busy: boolean | undefined, ...muts: Mut<Mutable<PodView>>[]): PodView[] {
  const state = busy === undefined ? 'silent' : busy ? 'busy' : 'idle';
  const marks: Record<string, string> = busy === undefined ? {} : { [BUSY]: String(busy) };
  return Array.from({ length: count }, (_, i) =>
    buildPod(`${app}-${state}-${i}`, onNode('n1'), ownedBy('ReplicaSet', `${app}-rs`), labelled({ app }), annotated(marks), ...muts),
  );
}

// --- the rest -----------------------------------------------------------------------------------

export function buildPdb(name: string, selector: string, disruptionsAllowed: number, namespace = 'clomo'): PdbView {
  const parsed = parseSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return { namespace, name, selector: parsed.selector, disruptionsAllowed };
}

export function buildDeployment(name: string, replicas: number, readyReplicas = replicas, namespace = 'clomo'): WorkloadView {
  const parsed = parseSelector(`app=${name}`);
  if (!parsed.ok) throw new Error(parsed.error);
  return { namespace, name, kind: 'Deployment', replicas, readyReplicas, selector: parsed.selector };
}

export function buildQueue(name: string, messages: number, oldestAgeSeconds?: number): QueueView {
  return { name, messages, oldestAgeSeconds };
}

export function buildSnapshot(parts: Partial<{ [K in keyof Snapshot]: Snapshot[K] }>): Snapshot {
  return { nodes: [], pods: [], pdbs: [], workloads: [], queues: [], ...parts };
}

// --- policy and memory --------------------------------------------------------------------------

/**
 * The reference policy of the README, as a plain object to tweak per test; its scalers act (the
 * tests of observe mode say so themselves).
 */
export function examplePolicyDocument(): Record<string, any> {
  return {
    modes: { nodes: 'act', workers: 'act', descheduler: 'act' },
    timezone: 'Asia/Tokyo',
    holidays: ['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-11'],
    nodes: {
      pools: ['user'],
      targetPodsPerNode: 20,
      minNodes: 2,
      maxNodes: 12,
      schedule: [
        { days: 'Mon-Fri', hours: '07:30-21:00', minNodes: 5 },
        { days: 'Sat-Sun', hours: '09:00-18:00', minNodes: 3 },
      ],
      protectedNodeLabels: ['clomo/BatchDeployable'],
      scaleDownDelay: '10m',
      maxConcurrentDrains: 1,
      maxEvictionsPerRun: 20,
    },
    workers: [
      {
        name: 'bg',
        namespace: 'clomo',
        deployment: 'bg',
        queues: ['clomo-jobs', 'clomo-jobs-priority'],
        jobsPerWorker: 4,
        minReplicas: 1,
        maxReplicas: 40,
        maxQueueDelay: '2m',
        scaleDownDelay: '5m',
        schedule: [{ days: 'Mon-Fri', hours: '08:00-20:00', minReplicas: 4 }],
      },
    ],
    descheduler: {
      podSelector: 'clomo/descheduling=enabled',
      nodeSelector: 'kubernetes.azure.com/agentpool=user',
      balanceBy: 'memory',
      maxEvictionsPerRun: 5,
      minPodAge: '15m',
    },
  };
}

/** The example policy document, tweaked: what a person would write in the policy file. */
export function buildPolicyDocument(tweak: (doc: Record<string, any>) => void = () => {}): Record<string, any> {
  const doc = examplePolicyDocument();
  tweak(doc);
  return doc;
}

/** Validates a policy document (the example, tweaked) and fails the test loudly if it is invalid. */
export function buildPolicy(tweak: (doc: Record<string, any>) => void = () => {}): Policy {
  const result = validatePolicy(buildPolicyDocument(tweak));
  if (!result.ok) throw new Error(`test policy invalid:\n${result.errors.join('\n')}`);
  return result.policy;
}

export function buildMemory(tweak: (m: Memory) => void = () => {}): Memory {
  const m = emptyMemory();
  tweak(m);
  return m;
}

export const at = (ms: number): string => new Date(ms).toISOString();

/** Memory holding one override that pins the node count for the next minute (a tick with something to do). */
export function pinnedNodes(count: number, now = NOW): Memory {
  return buildMemory((m) =>
    m.overrides.push({ id: 'o', scaler: 'nodes', mode: 'pin', count, reason: 'test', createdAt: at(now), expiresAt: at(now + MINUTE) }),
  );
}
