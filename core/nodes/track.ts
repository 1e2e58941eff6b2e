// Where each managed node stands this tick: each is classified (state.ts) and what that implies is
// recorded: memory kept or forgotten, notes, refusals, an uncordon.

import { statsOf } from '../cluster';
import { classifyNode, observedState } from './state';
import type { NodeTick } from './tick';
import type { NodeView } from '../views';

export function trackNodes(tick: NodeTick, managed: readonly NodeView[], paused: boolean): void {
  const { index } = tick.input;
  // While paused nothing is touched, not even the bookkeeping that could lead to an action.
  if (paused) {
    for (const node of managed) tick.tracked.set(node.name, { node, state: observedState(node), workloadPods: 0, stats: statsOf(index, node.name) });
    return;
  }
  forgetAbsent(tick, managed);
  for (const node of managed) {
    const stats = statsOf(index, node.name);
    tick.tracked.set(node.name, { node, state: classify(tick, node), workloadPods: stats.workloadPods, stats });
  }
}

function forgetAbsent(tick: NodeTick, managed: readonly NodeView[]): void {
  const { memory } = tick;
  const present = new Set(managed.map((n) => n.name));
  for (const name of Object.keys(memory.drains)) {
    if (!present.has(name)) {
      delete memory.drains[name];
      tick.notes.push(`node ${name} is gone; its drain is forgotten`);
    }
  }
  for (const name of Object.keys(memory.starting)) if (!present.has(name)) delete memory.starting[name];
}

function classify(tick: NodeTick, node: NodeView) {
  const { memory } = tick;
  const name = node.name;
  const found = classifyNode(node, { drain: memory.drains[name], start: memory.starting[name] }, tick.policy, tick.input.now);
  if (found.drain) memory.drains[name] = found.drain;
  else delete memory.drains[name];
  if (found.start) memory.starting[name] = found.start;
  else delete memory.starting[name];
  for (const e of found.effects) {
    if (e.kind === 'note') tick.notes.push(e.text);
    else if (e.kind === 'skip') tick.skip(`node/${name}`, e.rule, e.reason);
    else tick.act({ type: 'uncordon', node: name, scaler: 'nodes', rule: e.rule, reason: e.reason });
  }
  return found.state;
}
