// One line per scaler at the top of "Would do now": what it aims for against what there is and,
// while the two differ, what closes the gap or the rule that holds it open, with that rule's
// numbers. Built from the decision's summary, actions and skips (data, not the reasons' words), so
// the page never calls a scaler content while a gap stands.

import type { Action, Decision, Skip } from '../core/decision';
import type { Policy } from '../core/policy';
import type { HeadlineBlocker, ScalerHeadline } from './model';

/** Node actions that bring the count of nodes up (scale-up) or down (a new drain). */
const NODES_UP: ReadonlySet<Action['rule']> = new Set(['scale-up-cancel-drain', 'scale-up-start-node', 'scale-up-add-nodes']);
const NODES_DOWN: ReadonlySet<Action['rule']> = new Set(['scale-down-cordon']);

/**
 * Skips that hold a whole scaler rather than one node or pod, most telling first: a person's pause
 * or AKS at work before the pace of drains, the pace before the wait for the scale-down delay.
 */
const HOLDING: readonly Skip['rule'][] = [
  'paused',
  'aks-operation-failed',
  'aks-operation-in-progress',
  'drain-limit',
  'not-needed-long-enough',
  'blocked-by-pod',
  'at-maximum',
  'at-minimum',
  'budget-exhausted',
  'provision-in-progress',
  'provision-timed-out',
  'no-pool-to-grow',
  'queue-unknown',
  'deployment-not-found',
  'scale-down-interval',
  'workers-busy',
  'within-dead-band',
  'no-busy-signal',
  'descheduler-unsettled',
  'descheduler-balanced',
  'no-eligible-nodes',
  'no-fitting-node',
];

function holding(skips: readonly Skip[]): Skip | undefined {
  let best: Skip | undefined;
  let rank = Infinity;
  for (const s of skips) {
    const r = HOLDING.indexOf(s.rule);
    if (r >= 0 && r < rank) {
      best = s;
      rank = r;
    }
  }
  return best;
}

function blocker(skip: Skip, figures: Record<string, number> = {}): HeadlineBlocker {
  return { rule: skip.rule, target: skip.target, reason: skip.reason, figures };
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

function count(actions: readonly Action[]): string {
  const byType = new Map<string, number>();
  for (const a of actions) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
  return [...byType].map(([type, n]) => `${type} ${n}`).join(', ');
}

function nodesHeadline(decision: Decision, policy: Policy): ScalerHeadline | undefined {
  const summary = decision.summary.nodes;
  const nodePolicy = policy.nodes;
  if (!summary || !nodePolicy) return undefined;
  const actions = decision.actions.filter((a) => a.scaler === 'nodes');
  // Scaler-wide skips: the scaler itself or a pool; a node's own skip (protected, not ready) explains that node only.
  const skips = decision.skipped.filter((s) => s.scaler === 'nodes' && !s.target.startsWith('node/'));
  const desired = summary.desired;
  // What the planner counts against desired: nodes up or on their way, not those already draining.
  const actual = summary.running + summary.starting;
  const figures = (s: Skip): Record<string, number> =>
    s.rule === 'drain-limit'
      ? {
          more: actual - desired,
          drainsInProgress: summary.drainsHoldingSlots,
          drainsWaitingOnly: summary.draining - summary.drainsHoldingSlots,
          maxConcurrentDrains: nodePolicy.maxConcurrentDrains,
        }
      : {};
  const base = { scaler: 'nodes', label: 'Nodes', desired, actual, actions: actions.length };
  const f = summary.forecast;
  // Pre-warming said where it sets desired (act) or would raise it (forecast only).
  const prewarm =
    f === undefined
      ? ''
      : f.mode === 'act' && f.nodes === desired
        ? ` (pre-warming for ${f.slot})`
        : f.mode === 'forecast' && f.nodes > desired
          ? ` (forecast only: pre-warming would aim for ${f.nodes} for ${f.slot})`
          : '';
  const stand = `${actual} running or starting, ${desired} desired${prewarm}`;
  const gap = actual - desired;
  const held = holding(skips);
  if (gap === 0) {
    const busy = actions.length > 0 ? `; carrying on: ${count(actions)}` : '';
    return {
      ...base,
      status: actions.length > 0 ? 'busy' : 'settled',
      text: `${actual} running = ${desired} desired${prewarm}${busy}`,
      blockedBy: undefined,
    };
  }
  const closing = actions.filter((a) => (gap > 0 ? NODES_DOWN : NODES_UP).has(a.rule));
  const direction = gap > 0 ? `${plural(gap, 'node')} more than desired` : `${plural(-gap, 'node')} short of desired`;
  if (closing.length > 0) {
    const partly = held ? ` (only part of the way: ${held.rule})` : '';
    return {
      ...base,
      status: 'closing',
      text: `${stand}: ${direction}; closing now with ${count(closing)}${partly}`,
      blockedBy: held ? blocker(held, figures(held)) : undefined,
    };
  }
  if (held?.rule === 'drain-limit') {
    const f = figures(held);
    return {
      ...base,
      status: 'held',
      text: `${stand}: ${f['more']} more could go, but ${plural(summary.drainsHoldingSlots, 'drain')} already in progress (at most ${nodePolicy.maxConcurrentDrains} at a time)${
        f['drainsWaitingOnly']! > 0 ? `; ${f['drainsWaitingOnly']} more cordoned, waiting only for long work` : ''
      }`,
      blockedBy: blocker(held, f),
    };
  }
  if (held) return { ...base, status: 'held', text: `${stand}: ${direction}, held by ${held.rule}`, blockedBy: blocker(held) };
  // No scaler-wide rule: what holds the nodes one by one (protected, not ready, waiting for pods), counted.
  const own = decision.skipped.filter((s) => s.scaler === 'nodes' && s.target.startsWith('node/'));
  const rules = new Map<string, number>();
  for (const s of own) rules.set(s.rule, (rules.get(s.rule) ?? 0) + 1);
  const first = own[0];
  return {
    ...base,
    status: 'held',
    text: first
      ? `${stand}: ${direction}; nodes held one by one: ${[...rules].map(([r, n]) => `${r} ${n}`).join(', ')}`
      : `${stand}: ${direction}; no rule names why`,
    blockedBy: first ? blocker(first) : undefined,
  };
}

function workerHeadlines(decision: Decision, policy: Policy): ScalerHeadline[] {
  return decision.summary.workers.map((w) => {
    const worker = policy.workers.find((p) => p.name === w.name);
    const deployment = worker ? `${worker.namespace}/${worker.deployment}` : undefined;
    const actions = decision.actions.filter(
      (a) => a.scaler === 'workers' && (a.type === 'scale' || a.type === 'set-deletion-cost') && deploymentOf(a) === deployment,
    );
    const skips = decision.skipped.filter(
      (s) => s.scaler === 'workers' && (s.target === `deployment/${deployment}` || s.reason.startsWith(`worker ${w.name}:`)),
    );
    const base = { scaler: `workers/${w.name}`, label: `Worker ${w.name}`, desired: w.desired, actual: w.current, actions: actions.length };
    const scale = actions.find((a) => a.type === 'scale');
    const held = holding(skips);
    if (scale && scale.type === 'scale')
      return {
        ...base,
        status: 'closing',
        text: `${plural(w.current, 'replica')}, ${w.desired} desired: scaling to ${scale.replicas}`,
        blockedBy: undefined,
      };
    if (w.current === w.desired)
      return { ...base, status: 'settled', text: `${plural(w.current, 'replica')} = ${w.desired} desired`, blockedBy: undefined };
    return {
      ...base,
      status: 'held',
      text: `${plural(w.current, 'replica')}, ${w.desired} desired: held by ${held ? held.rule : 'no named rule (see the skipped list)'}`,
      blockedBy: held ? blocker(held) : undefined,
    };
  });
}

function deploymentOf(a: Action): string | undefined {
  return a.type === 'scale'
    ? `${a.namespace}/${a.deployment}`
    : a.type === 'set-deletion-cost'
      ? `${a.namespace}/${deploymentOfPod(a.pod)}`
      : undefined;
}

/** `bg-5c8d7f9b4-9tq7w` → `bg`: a Deployment's pods are named after its ReplicaSet, named after it. */
function deploymentOfPod(pod: string): string {
  return pod.replace(/-[a-z0-9]{5,10}-[a-z0-9]{5}$/, '');
}

function deschedulerHeadline(decision: Decision, policy: Policy): ScalerHeadline | undefined {
  if (!policy.descheduler) return undefined;
  const actions = decision.actions.filter((a) => a.scaler === 'descheduler');
  const held = holding(decision.skipped.filter((s) => s.scaler === 'descheduler'));
  const base = { scaler: 'descheduler', label: 'Descheduler', desired: undefined, actual: undefined, actions: actions.length };
  if (actions.length > 0)
    return { ...base, status: 'closing', text: `would move ${plural(actions.length, 'pod')} to even out the pool`, blockedBy: undefined };
  if (held && held.rule !== 'descheduler-balanced')
    return { ...base, status: 'held', text: `not balancing: ${held.rule}`, blockedBy: blocker(held) };
  return { ...base, status: 'settled', text: held ? held.reason : 'nothing to balance', blockedBy: undefined };
}

export function scalerHeadlines(decision: Decision, policy: Policy): ScalerHeadline[] {
  const refused = new Set(decision.refused.map((r) => r.scaler));
  const all = [nodesHeadline(decision, policy), ...workerHeadlines(decision, policy), deschedulerHeadline(decision, policy)];
  return all.filter((h): h is ScalerHeadline => h !== undefined && !refused.has(h.scaler.split('/')[0] as never));
}
