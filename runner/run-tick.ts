// One tick, the same for every trigger, the CLI and the simulator: take the cluster's Lease, read the
// snapshot, call the core, act on the decision (not in a dry run), save memory, record what was done
// and why. The core decides; this file only carries decisions out and reports.
//
// Safe when things go wrong: one Lease for every target, held by an identity unique to the tick, so
// a timer, a manual run and a second instance never act at once; each destructive call re-checked
// against fresh state just before it is sent; a failed action does not stop the others; after the
// tick's deadline no new action starts (act.ts, recheck.ts); a memory save that lost a race is merged entry by
// entry with what is stored (memory-merge.ts).

import { actionTarget, describeRefusal, type Action, type Decision, type NodeMark, type Skip } from '../core/decision';
import { ensureError } from '../core/errors';
import type { Memory, ScalerName } from '../core/memory';
import { SCALER_NAMES } from '../core/scalers';
import { plan } from '../core/plan';
import type { Policy } from '../core/policy';
import type { PoolView, Snapshot } from '../core/views';
import { actAll } from './act';
import { HeldLease } from './held-lease';
import { LEASE_NAME } from './lease-name';
import { rememberFailedStart } from '../core/nodes';
import { mergeMemory } from './memory-merge';
import { forgetFailedStarts } from './observe-starts';
import {
  QueueNotFoundError,
  type ClusterReader,
  type EventSink,
  type KubernetesActions,
  type LeaseLock,
  type Logger,
  type MemoryStore,
  type NodeVms,
  type ObjectRef,
  type QueueDepths,
  type StatusSink,
} from './ports';
import { memoryToSave, tickModes } from './mode';
import { backoffDelay } from './retry';
import { appendHistory } from './status-history';
import { DEFAULT_TICK_LIMITS, DEFAULT_TICK_TIMING, type TickLimits, type TickTiming } from './tick-limits';

export interface RunnerDeps {
  reader: ClusterReader;
  queues: QueueDepths | undefined;
  actions: KubernetesActions;
  vms: NodeVms;
  memory: MemoryStore;
  lease: LeaseLock;
  events: EventSink;
  status: StatusSink | undefined;
  log: Logger;
  clock: () => number;
  /** Which instance runs this tick; the Lease holder is this plus a per-tick suffix. */
  holder: string;
  /** Deadline, Lease duration and waits; defaults in tick-limits.ts. */
  limits?: Partial<TickLimits>;
  /** Wall time, sleep, randomness and tick ids; real by default. */
  timing?: Partial<TickTiming>;
}

export type TickTarget = ScalerName | 'all';

export interface ActionOutcome {
  action: Action;
  /**
   * deferred: not carried out: the tick's deadline had passed, its Lease was lost, or a patch
   * conditional on the object as read met a newer one (409); the next tick plans again.
   * observed: the scaler is in observe mode; the action was recorded, not carried out.
   */
  outcome: 'done' | 'refused' | 'failed' | 'deferred' | 'observed';
  detail?: string;
}

export type TickResult =
  | { status: 'not-leader'; scaler: TickTarget; holder: string }
  | { status: 'off'; scaler: TickTarget }
  | { status: 'planned'; scaler: TickTarget; decision: Decision; snapshot: Snapshot }
  | { status: 'acted'; scaler: TickTarget; decision: Decision; outcomes: ActionOutcome[]; memorySaved: boolean };

export { LEASE_NAME };

export async function runTick(deps: RunnerDeps, policy: Policy, target: TickTarget, options: { dryRun: boolean }): Promise<TickResult> {
  const modes = tickModes(policy.modes, target === 'all' ? [...SCALER_NAMES] : [target]);
  // A dry run shows what even an `off` scaler would do: it changes nothing either way.
  const scalers = options.dryRun ? [...modes.planned, ...modes.off] : modes.planned;
  if (scalers.length === 0) {
    deps.log.info(`${target}: off (policy modes / GRACEFUL_SCALER_MODE_*); nothing read, planned or done`, { scaler: target, mode: 'off' });
    return { status: 'off', scaler: target };
  }
  const limits: TickLimits = { ...DEFAULT_TICK_LIMITS, ...deps.limits };
  const timing: TickTiming = { ...DEFAULT_TICK_TIMING, ...deps.timing };
  // Unique per tick: the same instance running a timer and a manual run contends with itself too.
  const holder = `${deps.holder}/${timing.tickId()}`;
  const lease = new HeldLease(deps.lease, holder, limits, timing);
  if (!options.dryRun && !(await lease.take())) {
    // A record the Lease-contention alert counts (docs/alerts.md): now and then is normal, often is two writers.
    deps.log.info(`${target}: another tick holds lease ${LEASE_NAME}; backing off this tick`, {
      metric: 'graceful-scaler.lease',
      scaler: target,
      lease: LEASE_NAME,
      outcome: 'backed-off',
      holder,
    });
    return { status: 'not-leader', scaler: target, holder };
  }
  // The deadline counts from here: the wait for the Lease is time another tick was acting.
  const began = timing.now();
  try {
    const { memory: stored, version, unreadable } = await deps.memory.load();
    if (unreadable !== undefined) deps.log.error(`memory unreadable: ${unreadable}`, { scaler: target });
    const snapshot = await readSnapshot(deps, policy, scalers);
    // Only where the node planner runs and acts (a dry run makes no ARM reads).
    const memory =
      scalers.includes('nodes') && !options.dryRun
        ? await forgetFailedStarts(stored, snapshot.nodes, deps.vms, deps.clock(), deps.log)
        : stored;
    const decision = plan({ snapshot, policy, memory, now: deps.clock(), scalers });
    if (options.dryRun) return { status: 'planned', scaler: target, decision, snapshot };

    const nodes = new Map(snapshot.nodes.map((n) => [n.name, n]));
    const outcomes = await actAll(deps, decision.actions, nodes, { observing: modes.observing, limits, timing, began, lease });
    const kept = memoryToSave(memory, forgetFailed(decision.memory, outcomes, decision.now), modes);
    // Renewed (or found lost) before the save; a lost Lease still saves: what was done must be remembered, and the save merges.
    await lease.keep();
    const memorySaved = await saveMemory(deps, stored, kept, version, limits, timing);
    report(deps, target, decision, outcomes);
    const history = (previous: unknown) => appendHistory(previous, decision, outcomes);
    await deps.status
      ?.write(
        target,
        { ...statusRecord(deps, decision, outcomes), modes: Object.fromEntries(scalers.map((s) => [s, policy.modes[s]])) },
        history,
      )
      .catch((err: unknown) => deps.log.warn(`status not written: ${String(err)}`));
    // After the status: a pool's Event is recorded on the status ConfigMap, which exists by now.
    await emitEvents(deps, outcomes, snapshot, decision.skipped);
    return { status: 'acted', scaler: target, decision, outcomes, memorySaved };
  } finally {
    if (!options.dryRun) await lease.release().catch((err: unknown) => deps.log.warn(`lease not released: ${String(err)}`));
  }
}

async function readSnapshot(deps: RunnerDeps, policy: Policy, scalers: readonly ScalerName[]): Promise<Snapshot> {
  const wanted = scalers.includes('workers') ? [...new Set(policy.workers.flatMap((w) => w.queues))] : [];
  let missingQueues: readonly string[] = [];
  const readQueues = async () => {
    if (wanted.length === 0 || !deps.queues) return [];
    try {
      return await deps.queues.read(wanted);
    } catch (err) {
      // A queue the account does not have refuses the workers that use it (core/sanity.ts).
      if (err instanceof QueueNotFoundError) {
        deps.log.warn(err.message, { queues: [...err.queues] });
        missingQueues = err.queues;
        return [...err.read];
      }
      throw err;
    }
  };
  const [cluster, queues, pools] = await Promise.all([deps.reader.readCluster(), readQueues(), readPools(deps, policy, scalers)]);
  return { ...cluster, queues, ...(missingQueues.length > 0 ? { missingQueues } : {}), ...(pools ? { pools } : {}) };
}

/**
 * The node scaler holds while AKS works on a managed pool, so it needs the pools' states. Unreadable
 * states count as busy (the core holds on `undefined`): acting blind during an upgrade is the risk.
 */
async function readPools(deps: RunnerDeps, policy: Policy, scalers: readonly ScalerName[]): Promise<PoolView[] | undefined> {
  if (!scalers.includes('nodes') || !policy.nodes) return undefined;
  try {
    return await deps.vms.poolStates();
  } catch (err) {
    const problem = `agent pool states not read: ${ensureError(err).message}`;
    deps.log.warn(problem, { scaler: 'nodes' });
    return policy.nodes.pools.map((name) => ({ name, provisioningState: undefined, problem }));
  }
}

/**
 * The decision's memory assumes every action took effect. Undo what a failed or refused action
 * would have made us wait for, so the next tick tries again instead of waiting out a timeout.
 */
export function forgetFailed(memory: Memory, outcomes: readonly ActionOutcome[], now: string): Memory {
  // Most ticks have nothing to undo: no copy then (the simulator runs thousands of ticks).
  // A deferred action is undone like a failed one: it was never sent.
  if (outcomes.every((o) => o.outcome === 'done' || o.action.type === 'evict')) return memory;
  const m: Memory = structuredClone(memory);
  for (const { action, outcome, detail } of outcomes) {
    if (outcome === 'done' || action.type === 'evict') continue;
    switch (action.type) {
      case 'start-node':
        delete m.nodes.starting[action.node];
        // Another stopped VM is started first for a while.
        if (outcome === 'refused' || outcome === 'failed')
          rememberFailedStart(m.nodes, action.node, Date.parse(now), `start ${outcome}: ${detail ?? outcome}`);
        break;
      case 'add-nodes':
        m.nodes.provisioning = m.nodes.provisioning.filter((p) => !(p.pool === action.pool && p.count === action.count && p.since === now));
        // A pool that refuses to grow is passed over for a while: the next tick tries the next pool.
        if (outcome === 'refused')
          m.nodes.refusedPools = { ...m.nodes.refusedPools, [action.pool]: { at: now, reason: detail ?? 'refused' } };
        break;
      case 'stop-node': {
        const drain = m.nodes.drains[action.node];
        if (drain) delete drain.stopRequestedAt;
        break;
      }
      case 'cordon':
        if (action.rule === 'scale-down-cordon') delete m.nodes.drains[action.node];
        break;
      default:
        break;
    }
  }
  return m;
}

/**
 * Saves with optimistic concurrency. On a conflict (an override written over HTTP meanwhile, or a
 * tick that ran while this one no longer held the Lease), the stored memory is re-read and this
 * tick's own changes (from `loaded` to `wanted`) are applied to it entry by entry: no other writer's
 * drain, start, pool growth or override is lost.
 */
async function saveMemory(
  deps: RunnerDeps,
  loaded: Memory,
  wanted: Memory,
  version: string | undefined,
  limits: TickLimits,
  timing: TickTiming,
): Promise<boolean> {
  if (await deps.memory.save(wanted, version)) return true;
  for (let attempt = 1; attempt < limits.memorySaveAttempts; attempt++) {
    await timing.sleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 1_000, random: timing.random }));
    const fresh = await deps.memory.load();
    if (await deps.memory.save(mergeMemory(loaded, wanted, fresh.memory, deps.clock()), fresh.version)) return true;
  }
  deps.log.error('memory not saved: the state ConfigMap kept changing under us; the next tick re-plans from what is stored');
  return false;
}

function report(deps: RunnerDeps, target: TickTarget, decision: Decision, outcomes: readonly ActionOutcome[]): void {
  for (const r of decision.refused)
    deps.log.error(describeRefusal(r), { scaler: r.scaler, refused: r.field, problem: r.problem, fix: r.fix });
  for (const { action, outcome, detail } of outcomes) {
    if (outcome === 'observed') {
      deps.log.info(`would ${action.type} ${actionTarget(action)}: ${action.reason} [${detail}]`, {
        scaler: action.scaler,
        type: action.type,
        rule: action.rule,
        outcome,
        ...targetOf(action),
      });
      continue; // no Event: nothing happened to the object
    }
    const data = {
      scaler: action.scaler,
      type: action.type,
      rule: action.rule,
      outcome,
      ...(detail ? { detail } : {}),
      ...targetOf(action),
    };
    const line = `${action.type} ${actionTarget(action)}: ${action.reason}${detail ? ` [${outcome}: ${detail}]` : ''}`;
    if (outcome === 'failed') deps.log.error(line, data);
    else if (outcome === 'deferred') deps.log.warn(line, data);
    else deps.log.info(line, data);
  }
  for (const s of decision.skipped)
    deps.log.info(`skipped ${s.target} (${s.rule}): ${s.reason}`, { scaler: s.scaler, rule: s.rule, target: s.target });
  for (const note of decision.notes) deps.log.info(note, { scaler: target });
  // The figures an operator charts and the alerts watch (docs/alerts.md), as one structured record.
  const n = decision.summary.nodes;
  deps.log.info('graceful-scaler tick', {
    metric: 'graceful-scaler.tick',
    scaler: target,
    ...(n
      ? {
          desiredNodes: n.desired,
          runningNodes: n.running,
          startingNodes: n.starting,
          stoppedNodes: n.stopped,
          drainingNodes: n.draining,
          workloadPodsPerNode: n.podsPerRunningNode,
        }
      : {}),
    ...(n
      ? {
          pendingPods: n.pendingPods,
          oldestPendingPodSeconds: n.oldestPendingPodSeconds ?? 0,
          oldestDrainSeconds: n.oldestDrainSeconds ?? 0,
          overdueDrains: n.overdueDrains,
          aksHeldPools: n.aksHolds.map((h) => h.pool),
          aksFailedPools: n.aksHolds.filter((h) => h.failed).map((h) => h.pool),
        }
      : {}),
    workers: decision.summary.workers.map((w) => ({
      name: w.name,
      replicas: w.current,
      desired: w.desired,
      queueDepth: w.messages,
      oldestMessageAgeSeconds: w.oldestAgeSeconds,
    })),
    evictions: outcomes.filter((o) => o.action.type === 'evict' && o.outcome === 'done').length,
    refusals: outcomes.filter((o) => o.outcome === 'refused').length + decision.skipped.length,
    failures: outcomes.filter((o) => o.outcome === 'failed').length,
    deferred: outcomes.filter((o) => o.outcome === 'deferred').length,
    observed: outcomes.filter((o) => o.outcome === 'observed').length,
    refused: decision.refused.length,
  });
}

/** Events are best effort (the recorder swallows its failures); awaited so none outlives the tick. */
async function emitEvents(
  deps: RunnerDeps,
  outcomes: readonly ActionOutcome[],
  snapshot: Snapshot,
  skipped: readonly Skip[],
): Promise<void> {
  const sent: Promise<void>[] = [];
  for (const { action, outcome, detail } of outcomes) {
    if (outcome === 'failed' || outcome === 'deferred' || outcome === 'observed') continue;
    const ref = refOf(action, deps.status, snapshot);
    if (ref) sent.push(deps.events.emit(ref, eventOf(action, outcome, detail)));
  }
  // A drain that gave up its slot on pods stuck terminating: `kubectl describe node` names them, as
  // the page does, since a person has to look at those pods (a finalizer, a kubelet gone quiet).
  for (const s of skipped) {
    if (s.rule !== 'stuck-terminating' || !s.target.startsWith('node/')) continue;
    const node = s.target.slice('node/'.length);
    sent.push(
      deps.events.emit({ kind: 'Node', name: node }, { reason: 'DrainStuck', message: s.reason, type: 'Warning', action: 'drain' }),
    );
  }
  await Promise.allSettled(sent);
}

function statusRecord(deps: RunnerDeps, decision: Decision, outcomes: readonly ActionOutcome[]) {
  return {
    lastRun: decision.now,
    holder: deps.holder,
    summary: decision.summary,
    actions: outcomes.map((o) => ({
      type: o.action.type,
      target: actionTarget(o.action),
      rule: o.action.rule,
      outcome: o.outcome,
      reason: o.action.reason,
      ...(o.detail ? { detail: o.detail } : {}),
    })),
    skipped: decision.skipped.slice(0, 100),
    refused: decision.refused,
    notes: decision.notes,
  };
}

function targetOf(a: Action): Record<string, string | number> {
  switch (a.type) {
    case 'evict':
    case 'set-deletion-cost':
      return { namespace: a.namespace, pod: a.pod };
    case 'scale':
      return { namespace: a.namespace, deployment: a.deployment, replicas: a.replicas };
    case 'add-nodes':
      return { pool: a.pool, count: a.count };
    default:
      return { node: a.node };
  }
}

/**
 * The object an action's Event is recorded on. A pool is no Kubernetes object: its growth is recorded
 * on the status ConfigMap (as cluster-autoscaler does on its own), or, without one, on a node of the
 * pool; never on an object that does not exist, which `kubectl describe` would never show.
 */
function refOf(a: Action, status: StatusSink | undefined, snapshot: Snapshot): ObjectRef | undefined {
  switch (a.type) {
    case 'evict':
    case 'set-deletion-cost':
      return { kind: 'Pod', name: a.pod, namespace: a.namespace };
    case 'scale':
      return { kind: 'Deployment', name: a.deployment, namespace: a.namespace };
    case 'add-nodes': {
      if (status?.ref) return status.ref;
      const node = snapshot.nodes.find((n) => n.pool === a.pool);
      return node ? { kind: 'Node', name: node.name } : undefined;
    }
    default:
      return { kind: 'Node', name: a.node };
  }
}

const EVENT_REASONS: Record<Action['type'], string> = {
  cordon: 'ScaleDownCordon',
  uncordon: 'Uncordon',
  evict: 'Evict',
  'stop-node': 'StopNode',
  'start-node': 'StartNode',
  'add-nodes': 'AddNodes',
  scale: 'ScaleWorkers',
  'set-deletion-cost': 'SetDeletionCost',
  'mark-node': 'MarkNode',
};

const MARK_EVENTS: Record<NodeMark, string> = { 'drain-candidate': 'DrainCandidate', stays: 'Stays', 'stays-taint': 'StaysTaint' };

/** A mark's Event names the mark: `DrainCandidate`, `DrainCandidateCleared`, `Stays`, `StaysCleared`, `StaysTaint`, `StaysTaintCleared`. */
function eventReason(a: Action): string {
  if (a.type !== 'mark-node') return EVENT_REASONS[a.type];
  return `${MARK_EVENTS[a.mark]}${a.set ? '' : 'Cleared'}`;
}

function eventOf(a: Action, outcome: 'done' | 'refused', detail: string | undefined) {
  return {
    reason: outcome === 'refused' ? `${eventReason(a)}Refused` : eventReason(a),
    message: `${a.reason}${detail ? ` (${detail})` : ''}`,
    type: outcome === 'refused' ? ('Warning' as const) : ('Normal' as const),
    action: a.type,
  };
}
