// Where each managed node stands this tick: each is classified (state.ts) and what that implies is
// recorded: memory kept or forgotten, notes, refusals, an uncordon.

import { nodeProtection } from '../protection';
import type { DrainMemory, StartMemory } from '../memory';
import type { NodeView } from '../views';
import { rememberFailedStart, START_FAILURE_MS } from './failed-starts';
import { classifyNode, observedState, type NodeClass } from './state';
import type { NodeTick } from './tick';

/** `numbers`: each managed node's number in the cluster index, in the same order. */
export function trackNodes(tick: NodeTick, managed: readonly NodeView[], numbers: readonly number[], paused: boolean): void {
  const { policy } = tick;
  // While paused nothing is touched, not even the bookkeeping that could lead to an action.
  if (paused) {
    managed.forEach((node, k) => {
      tick.track({
        node,
        state: observedState(node),
        workloadPods: 0,
        at: numbers[k]!,
        protection: nodeProtection(node, policy.protectedNodeLabels),
      });
    });
    return;
  }
  forgetAbsent(tick, numbers);
  const workloadPods = tick.input.index.figures.workloadPods;
  const drains = new Recall(tick.memory.drains);
  const starts = new Recall(tick.memory.starting);
  for (let k = 0; k < managed.length; k++) {
    const node = managed[k]!;
    const at = numbers[k]!;
    const { state, protection } = classify(tick, drains, starts, node);
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
  if (memory.failedStarts) {
    const now = tick.input.now;
    for (const [name, failure] of Object.entries(memory.failedStarts)) {
      if (!isPresent(name) || now - Date.parse(failure.at) >= START_FAILURE_MS) delete memory.failedStarts[name];
    }
    if (Object.keys(memory.failedStarts).length === 0) delete memory.failedStarts;
  }
}

/**
 * One of memory's records by node name (drains, starts), read through a Map: a lookup of a name the
 * record does not hold, which is nearly every node of a large cluster, is far cheaper in a Map than
 * on a plain object. Written through, so memory stays the record.
 */
class Recall<T> {
  private readonly byName: Map<string, T>;

  constructor(private readonly record: Record<string, T>) {
    this.byName = new Map(Object.entries(record));
  }

  get(name: string): T | undefined {
    return this.byName.size === 0 ? undefined : this.byName.get(name);
  }

  keep(name: string, value: T | undefined): void {
    if (value === this.get(name)) return;
    if (value) {
      this.record[name] = value;
      this.byName.set(name, value);
    } else {
      delete this.record[name];
      this.byName.delete(name);
    }
  }
}

function classify(tick: NodeTick, drains: Recall<DrainMemory>, starts: Recall<StartMemory>, node: NodeView): NodeClass {
  const name = node.name;
  const found = classifyNode(node, { drain: drains.get(name), start: starts.get(name) }, tick.policy, tick.input.now);
  drains.keep(name, found.drain);
  starts.keep(name, found.start);
  for (const e of found.effects) {
    if (e.kind === 'note') tick.notes.push(e.text);
    else if (e.kind === 'skip') {
      tick.skip(`node/${name}`, e.rule, e.reason);
      // A VM that did not come up (an operation hung, the node never joined) is started again only
      // when no other stopped VM is left: the next one is likelier to come up in time.
      if (e.rule === 'start-timed-out') rememberFailedStart(tick.memory, name, tick.input.now, e.reason);
    } else tick.act({ type: 'uncordon', node: name, scaler: 'nodes', rule: e.rule, reason: e.reason });
  }
  return found;
}
