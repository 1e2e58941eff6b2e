// Where each managed node stands this tick: each is classified (state.ts) and what that implies is
// recorded: memory kept or forgotten, notes, refusals, an uncordon.

import { nodeProtection } from '../protection';
import type { NodeView } from '../views';
import { classifyNode, observedState, type NodeClass } from './state';
import type { NodeTick } from './tick';

/** `numbers`: each managed node's number in the cluster index, in the same order. */
export function trackNodes(tick: NodeTick, managed: readonly NodeView[], numbers: readonly number[], paused: boolean): void {
  const { tracked, policy } = tick;
  // While paused nothing is touched, not even the bookkeeping that could lead to an action.
  if (paused) {
    managed.forEach((node, k) => {
      tracked.set(node.name, { node, state: observedState(node), workloadPods: 0, at: numbers[k]!, protection: nodeProtection(node, policy.protectedNodeLabels) });
    });
    return;
  }
  forgetAbsent(tick, numbers);
  const workloadPods = tick.input.index.figures.workloadPods;
  for (let k = 0; k < managed.length; k++) {
    const node = managed[k]!;
    const at = numbers[k]!;
    const { state, protection } = classify(tick, node);
    tracked.set(node.name, { node, state, workloadPods: workloadPods[at]!, at, protection });
  }
}

/** Drains and starts remembered for nodes no longer in the managed pools are forgotten. */
function forgetAbsent(tick: NodeTick, numbers: readonly number[]): void {
  const { memory } = tick;
  const { index } = tick.input;
  const present = new Uint8Array(index.figures.podCount.length);
  for (const at of numbers) present[at] = 1;
  const isPresent = (name: string) => {
    const at = index.at(name);
    return at >= 0 && present[at] === 1;
  };
  for (const name of Object.keys(memory.drains)) {
    if (!isPresent(name)) {
      delete memory.drains[name];
      tick.notes.push(`node ${name} is gone; its drain is forgotten`);
    }
  }
  for (const name of Object.keys(memory.starting)) if (!isPresent(name)) delete memory.starting[name];
}

function classify(tick: NodeTick, node: NodeView): NodeClass {
  const { memory } = tick;
  const name = node.name;
  const drain = memory.drains[name];
  const start = memory.starting[name];
  const found = classifyNode(node, { drain, start }, tick.policy, tick.input.now);
  if (found.drain !== drain) {
    if (found.drain) memory.drains[name] = found.drain;
    else delete memory.drains[name];
  }
  if (found.start !== start) {
    if (found.start) memory.starting[name] = found.start;
    else delete memory.starting[name];
  }
  for (const e of found.effects) {
    if (e.kind === 'note') tick.notes.push(e.text);
    else if (e.kind === 'skip') tick.skip(`node/${name}`, e.rule, e.reason);
    else tick.act({ type: 'uncordon', node: name, scaler: 'nodes', rule: e.rule, reason: e.reason });
  }
  return found;
}
