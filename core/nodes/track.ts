// Where each managed node stands this tick: each is classified (state.ts) and what that implies is
// recorded: memory kept or forgotten, notes, refusals, an uncordon.

import { nodeProtection } from '../protection';
import type { DrainMemory, StartMemory } from '../memory';
import type { NodeView } from '../views';
import { classifyNode, observedState, type NodeClass } from './state';
import type { NodeTick } from './tick';

/** `numbers`: each managed node's number in the cluster index, in the same order. */
export function trackNodes(tick: NodeTick, managed: readonly NodeView[], numbers: readonly number[], paused: boolean): void {
  const { policy } = tick;
  // While paused nothing is touched, not even the bookkeeping that could lead to an action.
  if (paused) {
    managed.forEach((node, k) => {
      tick.track({ node, state: observedState(node), workloadPods: 0, at: numbers[k]!, protection: nodeProtection(node, policy.protectedNodeLabels) });
    });
    return;
  }
  forgetAbsent(tick, numbers);
  const workloadPods = tick.input.index.figures.workloadPods;
  const recall = new Recall(tick);
  for (let k = 0; k < managed.length; k++) {
    const node = managed[k]!;
    const at = numbers[k]!;
    const { state, protection } = classify(tick, recall, node);
    tick.track({ node, state, workloadPods: workloadPods[at]!, at, protection });
  }
}

/** Drains and starts remembered for nodes no longer in the managed pools are forgotten. */
function forgetAbsent(tick: NodeTick, numbers: readonly number[]): void {
  const { memory } = tick;
  const { index } = tick.input;
  const present = new Uint8Array(index.figures.podCount.length);
  for (let k = 0; k < numbers.length; k++) present[numbers[k]!] = 1;
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

/**
 * Memory's drains and starts by node name, as Maps: a lookup by a name memory does not hold, which
 * is nearly every node of a large cluster, is far cheaper in a Map than on a plain object. Written
 * through, so memory stays the record.
 */
class Recall {
  readonly drains: Map<string, DrainMemory>;
  readonly starting: Map<string, StartMemory>;

  constructor(private readonly tick: NodeTick) {
    this.drains = new Map(Object.entries(tick.memory.drains));
    this.starting = new Map(Object.entries(tick.memory.starting));
  }

  drain(name: string): DrainMemory | undefined {
    return this.drains.size === 0 ? undefined : this.drains.get(name);
  }

  start(name: string): StartMemory | undefined {
    return this.starting.size === 0 ? undefined : this.starting.get(name);
  }

  keep(name: string, drain: DrainMemory | undefined, start: StartMemory | undefined): void {
    const { memory } = this.tick;
    if (drain !== this.drain(name)) {
      if (drain) {
        memory.drains[name] = drain;
        this.drains.set(name, drain);
      } else {
        delete memory.drains[name];
        this.drains.delete(name);
      }
    }
    if (start !== this.start(name)) {
      if (start) {
        memory.starting[name] = start;
        this.starting.set(name, start);
      } else {
        delete memory.starting[name];
        this.starting.delete(name);
      }
    }
  }
}

function classify(tick: NodeTick, recall: Recall, node: NodeView): NodeClass {
  const name = node.name;
  const found = classifyNode(node, { drain: recall.drain(name), start: recall.start(name) }, tick.policy, tick.input.now);
  recall.keep(name, found.drain, found.start);
  for (const e of found.effects) {
    if (e.kind === 'note') tick.notes.push(e.text);
    else if (e.kind === 'skip') tick.skip(`node/${name}`, e.rule, e.reason);
    else tick.act({ type: 'uncordon', node: name, scaler: 'nodes', rule: e.rule, reason: e.reason });
  }
  return found;
}
