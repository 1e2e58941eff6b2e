// Carrying out a decision's actions, in the core's order (an uncordon before a start, a cordon before
// its evictions), each re-checked against fresh state just before it is sent (recheck.ts). A failed
// action does not stop the others; after the tick's deadline, or once the tick's Lease is no longer
// its own (held-lease.ts), no new action starts.
//
// VM operations run side by side: a morning surge can start twenty VMs at once, and ARM takes a second
// or two to accept each start (half a minute when an answer is lost). One after the other they would
// run past the tick's deadline after a handful and leave the rest, and the pods waiting for them, to
// the next minute. Each VM's start or stop is its own ARM operation on its own scale-set instance, so
// a few at a time are sent together; the outcomes keep the decision's order. Uncordons of the nodes
// just started (or of drains given back) are as independent, one node each, and go together too: one
// that hangs until its timeout must not leave the others, and the capacity they give, to the next tick.

import type { Action } from '../core/decision';
import { ensureError } from '../core/errors';
import type { NodeView } from '../core/views';
import type { HeldLease } from './held-lease';
import { observedOutcome } from './mode';
import { VmRefusal } from './ports';
import { recheck } from './recheck';
import type { ActionOutcome, RunnerDeps } from './run-tick';
import type { TickLimits, TickTiming } from './tick-limits';

/** VM operations (or uncordons) sent at once. */
export const VM_OPERATIONS_AT_ONCE = 8;

/**
 * Actions sent side by side with their neighbours of the same lane; undefined: alone, in order. The
 * uncordons of the VMs just started share their lane: sent after the starts but beside them, so one
 * start whose answer is lost (30 s) neither holds them past the tick's deadline nor leaves the nodes
 * cordoned when they come up, with pods waiting for a tick that a crash may cost.
 */
function laneOf(a: Action): 'vm' | 'uncordon' | undefined {
  if (a.type === 'start-node' || a.type === 'stop-node') return 'vm';
  if (a.type === 'uncordon') return a.rule === 'start-uncordon' ? 'vm' : 'uncordon';
  return undefined;
}

export interface ActContext {
  observing: readonly string[];
  limits: TickLimits;
  timing: TickTiming;
  /** When the tick began (timing.now()). */
  began: number;
  lease: Pick<HeldLease, 'keep' | 'lostDetail'>;
}

export async function actAll(
  deps: RunnerDeps,
  actions: readonly Action[],
  nodes: ReadonlyMap<string, NodeView>,
  ctx: ActContext,
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  let i = 0;
  while (i < actions.length) {
    // A run of consecutive VM operations (or uncordons) goes together; anything else goes alone, in order.
    let end = i + 1;
    const lane = laneOf(actions[i]!);
    if (lane !== undefined) while (end < actions.length && laneOf(actions[end]!) === lane) end++;
    const batch = actions.slice(i, end);
    const done = new Array<ActionOutcome>(batch.length);
    let next = 0;
    const worker = async () => {
      for (let k = next++; k < batch.length; k = next++) done[k] = await actOne(deps, batch[k]!, nodes, ctx);
    };
    await Promise.all(Array.from({ length: Math.min(VM_OPERATIONS_AT_ONCE, batch.length) }, worker));
    outcomes.push(...done);
    i = end;
  }
  return outcomes;
}

async function actOne(deps: RunnerDeps, action: Action, nodes: ReadonlyMap<string, NodeView>, ctx: ActContext): Promise<ActionOutcome> {
  if (ctx.observing.includes(action.scaler)) return observedOutcome(action);
  const elapsed = ctx.timing.now() - ctx.began;
  if (elapsed >= ctx.limits.deadlineMs) {
    return {
      action,
      outcome: 'deferred',
      detail: `not started: the tick ran ${Math.round(elapsed / 1000)} s, past its deadline of ${Math.round(ctx.limits.deadlineMs / 1000)} s; the next tick plans again`,
    };
  }
  if (!(await ctx.lease.keep())) return { action, outcome: 'deferred', detail: ctx.lease.lostDetail };
  return act(deps, action, nodes);
}

async function act(deps: RunnerDeps, action: Action, nodes: ReadonlyMap<string, NodeView>): Promise<ActionOutcome> {
  try {
    const stale = await recheck(
      action,
      'node' in action && action.node !== undefined ? nodes.get(action.node) : undefined,
      deps.reader,
      deps.vms,
    );
    if (stale !== undefined) return { action, outcome: 'refused', detail: stale };
    switch (action.type) {
      case 'cordon':
        await deps.actions.cordon(action.node, { since: new Date(deps.clock()).toISOString(), reason: action.reason });
        break;
      case 'uncordon':
        await deps.actions.uncordon(action.node);
        break;
      case 'evict': {
        const result = await deps.actions.evict(action.namespace, action.pod);
        if (result === 'refused-by-pdb')
          return { action, outcome: 'refused', detail: 'a PodDisruptionBudget refused the eviction (429); retried next tick' };
        if (result === 'gone') return { action, outcome: 'done', detail: 'the pod was already gone' };
        break;
      }
      case 'stop-node':
      case 'start-node': {
        const node = nodes.get(action.node);
        if (!node) return { action, outcome: 'failed', detail: `node ${action.node} is not in the snapshot` };
        await (action.type === 'stop-node' ? deps.vms.deallocate(node) : deps.vms.start(node));
        break;
      }
      case 'add-nodes':
        await deps.vms.addNodes(action.pool, action.count);
        break;
      case 'scale':
        await deps.actions.scale(action.namespace, action.deployment, action.replicas);
        break;
      case 'set-deletion-cost':
        await deps.actions.setDeletionCost(action.namespace, action.pod, action.cost);
        break;
      case 'mark-node': {
        const result = await deps.actions.markNode(action.node, action.mark, action.set, deps.clock());
        if (result === 'conflict')
          return { action, outcome: 'deferred', detail: 'the node changed since it was read (409 Conflict); the next tick reads it again' };
        if (result === 'gone') return { action, outcome: 'done', detail: `node ${action.node} is gone` };
        if (result === 'unchanged') return { action, outcome: 'done', detail: 'the node already was so' };
        break;
      }
    }
    return { action, outcome: 'done' };
  } catch (err) {
    if (err instanceof VmRefusal) return { action, outcome: 'refused', detail: `${err.code}: ${err.message}` };
    return { action, outcome: 'failed', detail: ensureError(err).message };
  }
}
