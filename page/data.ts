// Builds the status page's document from a dry run of every scaler (its decision and the snapshot it
// read) and the stored history. Pure: the HTTP function gathers the inputs.

import { indexCluster, statsOf } from '../core/cluster';
import { vmsByPool } from '../core/cost';
import { actionTarget, type Action, type Decision } from '../core/decision';
import type { Memory } from '../core/memory';
import { classifyNode, observedState, type NodeState, type StateRules } from '../core/nodes/state';
import type { Policy } from '../core/policy';
import { nodeProtection } from '../core/protection';
import type { NodeView, Snapshot } from '../core/views';
import { mergeHistories } from '../runner/status-history';
import { localClock } from '../core/schedule';
import { modeBanners } from './banners';
import { dashboardCost } from './cost';
import { scalerHeadlines } from './headline';
import type { DashboardData, DashboardNode, DashboardNodeState } from './model';

export interface DashboardInputs {
  decision: Decision;
  snapshot: Snapshot;
  policy: Policy;
  /** What the status store holds, keyed by scaler (see StatusSink.read). */
  stored: Record<string, { last: unknown; history: unknown }>;
  source: string;
}

export function buildDashboard({ decision, snapshot, policy, stored, source }: DashboardInputs): DashboardData {
  const index = indexCluster(snapshot, policy);
  const managed = new Set(policy.nodes?.pools ?? []);
  const protectedLabels = policy.nodes?.protectedNodeLabels ?? [];
  const nodes: DashboardNode[] = snapshot.nodes.map((node) => {
    const stats = statsOf(index, node.name);
    return {
      name: node.name,
      pool: node.pool ?? '',
      state: nodeState(node, decision.memory, policy.nodes, Date.parse(decision.now)),
      protectedBy: protectionOf(node, managed, protectedLabels),
      workloadPods: stats.workloadPods,
      maxPods: node.allocatable.pods,
      memoryRequestedBytes: stats.usedMemoryBytes,
      memoryAllocatableBytes: node.allocatable.memoryBytes,
      cpuRequestedMilli: stats.usedCpuMilli,
      cpuAllocatableMilli: node.allocatable.cpuMilli,
    };
  });
  nodes.sort((a, b) => (a.pool === b.pool ? (a.name < b.name ? -1 : 1) : a.pool < b.pool ? -1 : 1));

  const counted = nodes.filter((n) => managed.size === 0 || managed.has(n.pool));
  const count = (state: DashboardNodeState) => counted.filter((n) => n.state === state).length;
  const summary = decision.summary.nodes;
  const workloads = new Map(snapshot.workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const history = mergeHistories(Object.values(stored).map((s) => s.history));

  return {
    now: decision.now,
    timezone: policy.timezone,
    source,
    nodes,
    counts: {
      running: count('running'),
      starting: count('starting'),
      draining: count('draining'),
      stopped: count('stopped'),
      notReady: count('not-ready'),
      desired: summary?.desired,
      minNodes: summary?.minNodes,
      maxNodes: summary?.maxNodes,
      why: summary?.why,
    },
    pendingPods: snapshot.pods.filter((p) => p.phase === 'Pending' && p.node === undefined).length,
    cost: dashboardCost({ policy, vmsNow: vmsByPool(snapshot.nodes), samples: history.nodes, now: decision.now }),
    workers: decision.summary.workers.map((w) => {
      const worker = policy.workers.find((p) => p.name === w.name);
      const deployment = worker ? workloads.get(`${worker.namespace}/${worker.deployment}`) : undefined;
      return {
        name: w.name,
        namespace: worker?.namespace ?? '',
        deployment: worker?.deployment ?? '',
        replicas: deployment?.replicas ?? w.current,
        desired: w.desired,
        queueDepth: w.messages,
        oldestMessageAgeSeconds: w.oldestAgeSeconds,
        minReplicas: w.minReplicas,
        maxReplicas: w.maxReplicas,
      };
    }),
    overrides: decision.memory.overrides,
    modes: { ...policy.modes },
    banners: modeBanners(policy),
    refused: decision.refused.map((r) => ({ scaler: r.scaler, field: r.field, problem: r.problem, fix: r.fix })),
    endedOverrides: history.endedOverrides,
    holiday: holidayOf(decision.now, policy),
    headlines: scalerHeadlines(decision, policy),
    wouldDo: decision.actions.map((a: Action) => ({
      scaler: a.scaler,
      type: a.type,
      target: actionTarget(a),
      rule: a.rule,
      reason: a.reason,
    })),
    skipped: decision.skipped.map((s) => ({ scaler: s.scaler, target: s.target, rule: s.rule, reason: s.reason })),
    notes: decision.notes,
    timeline: history.timeline,
    series: { nodes: history.nodes, workers: history.workers },
    form: {
      scalers: [
        ...(policy.nodes ? ['nodes'] : []),
        ...(policy.workers.length > 0 ? ['workers'] : []),
        ...(policy.descheduler ? ['descheduler'] : []),
        'all',
      ],
      workers: policy.workers.map((w) => w.name),
    },
  };
}

/** Today's local date and its name when the policy lists it as a holiday. */
function holidayOf(now: string, policy: Policy): DashboardData['holiday'] {
  const t = Date.parse(now);
  if (!Number.isFinite(t) || policy.holidays.size === 0) return undefined;
  const { date } = localClock(t, policy.timezone, policy.holidays);
  return policy.holidays.has(date) ? { date, name: policy.holidayNames?.get(date) } : undefined;
}

/** Without a node policy nothing times out and no node is still joining: memory and the node alone decide. */
const MEMORY_ONLY: StateRules = { protectedNodeLabels: [], startTimeoutMs: Infinity, provisionTimeoutMs: -Infinity };

/**
 * The state a person would name: the node planner's own classification (core/nodes/state.ts) against
 * the memory the decision leaves, so a drain or a start it knows of comes first; then the VM as ARM
 * sees it, which the kubelet shows only later.
 */
export function nodeState(node: NodeView, memory: Memory, rules: StateRules = MEMORY_ONLY, now = 0): DashboardNodeState {
  if (node.power === 'stopping') return 'stopped';
  const { state } = classifyNode(node, { drain: memory.nodes.drains[node.name], start: memory.nodes.starting[node.name] }, rules, now);
  return pageState(state === 'ignored' ? observedState(node) : state, node);
}

/** The page's names for the planner's states. */
function pageState(state: Exclude<NodeState, 'ignored'>, node: NodeView): DashboardNodeState {
  switch (state) {
    case 'running':
    case 'draining':
    case 'stopped':
    case 'starting':
      return state;
    case 'stopping':
      return 'draining'; // drained and its stop requested; the VM still runs
    case 'booting':
      return 'starting'; // a new VM still joining
    case 'unavailable':
      return node.ready ? 'running' : 'not-ready'; // cordoned by someone else: running, just not ours to count
    case 'not-ready':
      return node.power === 'starting' ? 'starting' : 'not-ready';
  }
}

function protectionOf(node: NodeView, managed: ReadonlySet<string>, protectedLabels: readonly string[]): string | undefined {
  const protection = nodeProtection(node, protectedLabels);
  if (protection) return protection.detail;
  if (managed.size > 0 && !managed.has(node.pool ?? '')) return `pool ${node.pool ?? '(none)'} is not managed`;
  return undefined;
}
