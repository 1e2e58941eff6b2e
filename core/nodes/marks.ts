// The placement marks of one tick: the drain-candidate taint (drain-candidates.ts), the stays
// label and, when the policy asks, the stays taint (stays.ts), planned after the tick's scale-up,
// scale-down and drains so they describe the nodes as this tick leaves them, and never a drain
// candidate's taint beside a stays mark on one node. Bounded like every run (invariant 6):
// marks taken off go first, since a node that takes pods again should not be avoided a tick longer.

import { Budget } from '../budget';
import type { Action, ActionRule, NodeMark } from '../decision';
import { plural } from '../planner';
import { planDrainCandidates, type MarkChange, type Surplus } from './drain-candidates';
import { expectedFloor, planStays, planStaysTaint } from './stays';
import type { NodeTick } from './tick';

/** Node patches for marks per run: a first tick over a large cluster catches up over a few ticks. */
export const MARKS_PER_RUN = 20;

const RULES: Record<NodeMark, readonly [on: ActionRule, off: ActionRule]> = {
  'drain-candidate': ['drain-candidate-taint', 'drain-candidate-untaint'],
  stays: ['stays-label', 'stays-unlabel'],
  'stays-taint': ['stays-taint', 'stays-untaint'],
};

function action(mark: NodeMark, c: MarkChange): Extract<Action, { type: 'mark-node' }> {
  return { type: 'mark-node', node: c.node, mark, set: c.set, scaler: 'nodes', rule: RULES[mark][c.set ? 0 : 1], reason: c.reason };
}

export function markNodes(tick: NodeTick, surplus: Surplus): void {
  const { chosen, changes } = planDrainCandidates(tick, surplus);
  const stays = planStays(tick, expectedFloor(tick, surplus.desired), chosen);
  const all = [
    ...changes.map((c) => action('drain-candidate', c)),
    ...stays.changes.map((c) => action('stays', c)),
    ...planStaysTaint(tick, stays.labelled).map((c) => action('stays-taint', c)),
  ];
  const ordered = [...all.filter((a) => !a.set), ...all.filter((a) => a.set)];
  const budget = new Budget('node marks', MARKS_PER_RUN);
  let deferred = 0;
  for (const a of ordered) {
    if (budget.take()) tick.act(a);
    else deferred++;
  }
  if (deferred > 0) tick.skip('nodes', 'budget-exhausted', `${plural(deferred, 'node mark')}: ${budget.explain()}`);
}
