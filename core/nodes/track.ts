// Where each managed node stands this tick: each is classified (state.ts) and what that implies is
// recorded: memory kept or forgotten, notes, refusals, an uncordon.

import { nodeProtection } from '../protection';
import type { DrainMemory, NodeMemory, StartMemory } from '../memory';
import type { ClusterIndex } from '../cluster';
import type { NodeView } from '../views';
import { rememberFailedStart, START_FAILURE_MS } from './failed-starts';
import { STOP_FAILURE_MS } from './failed-stops';
import { classifyNode, observedState, type NodeClass, type NodeRecall } from './state';
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
        slowPods: 0,
        at: numbers[k]!,
        protection: nodeProtection(node, policy.protectedNodeLabels),
      });
    });
    return;
  }
  // Classified before the walk over the pods, which classification does not need: the walk pushes
  // the nodes out of the cache, and thousands of nodes read again after it cost more than reading
  // them now, just after they were numbered and looked at for AKS's marks.
  forgetAbsent(tick, numbers);
  const remembered = new Remembered(tick.memory, tick.input.index);
  for (let k = 0; k < managed.length; k++) {
    const node = managed[k]!;
    const at = numbers[k]!;
    const { state, protection } = classify(tick, remembered, node, at);
    tick.track({ node, state, workloadPods: 0, slowPods: 0, at, protection });
  }
  const { workloadPods, slowPods } = tick.input.index.figures;
  for (const t of tick.tracked) {
    t.workloadPods = workloadPods[t.at]!;
    t.slowPods = slowPods[t.at]!;
  }
}

/** Drains and starts remembered for nodes no longer in the managed pools are forgotten. */
function forgetAbsent(tick: NodeTick, numbers: readonly number[]): void {
  const { memory } = tick;
  const { index, snapshot } = tick.input;
  const present = new Uint8Array(snapshot.nodes.length);
  for (let k = 0; k < numbers.length; k++) present[numbers[k]!] = 1;
  const isPresent = (name: string) => {
    const at = index.listedNumber(name);
    return at >= 0 && present[at] === 1;
  };
  for (const name of Object.keys(memory.drains)) {
    if (!isPresent(name)) {
      delete memory.drains[name];
      tick.notes.push(`node ${name} is gone; its drain is forgotten`);
    }
  }
  for (const name of Object.keys(memory.starting)) if (!isPresent(name)) delete memory.starting[name];
  const now = tick.input.now;
  for (const [key, keepMs] of [
    ['failedStarts', START_FAILURE_MS],
    ['failedStops', STOP_FAILURE_MS],
  ] as const) {
    const failures = memory[key];
    if (!failures) continue;
    for (const [name, failure] of Object.entries(failures)) {
      if (!isPresent(name) || now - Date.parse(failure.at) >= keepMs) delete failures[name];
    }
    if (Object.keys(failures).length === 0) delete memory[key];
  }
}

/**
 * One of memory's records by node name (drains, starts), read by node number. The record holds a
 * handful of names, so each is looked up once in the index, rather than each of thousands of nodes
 * in the record: a lookup by name per node cost more than the rest of its classification. Written
 * through, so memory stays the record.
 */
class Recall<T> {
  private readonly byNumber = new Map<number, T>();

  constructor(
    private readonly record: Record<string, T>,
    index: ClusterIndex,
  ) {
    for (const name of Object.keys(record)) {
      const at = index.listedNumber(name);
      if (at >= 0) this.byNumber.set(at, record[name]!);
    }
  }

  get(at: number): T | undefined {
    return this.byNumber.size === 0 ? undefined : this.byNumber.get(at);
  }

  /** `was`: what get(at) answered before the node was classified. */
  keep(name: string, at: number, was: T | undefined, value: T | undefined): void {
    if (value === was) return;
    if (value) {
      this.record[name] = value;
      this.byNumber.set(at, value);
    } else {
      delete this.record[name];
      this.byNumber.delete(at);
    }
  }
}

/** What memory holds of each node (drains, starts), read and written through by node number. */
class Remembered {
  private readonly drains: Recall<DrainMemory>;
  private readonly starts: Recall<StartMemory>;
  // One recall for every node, filled in for each: classifyNode reads it and keeps none of it, and
  // 5,000 of them a tick were a quarter of the planner's garbage.
  private readonly recall: NodeRecall = { drain: undefined, start: undefined };

  constructor(memory: NodeMemory, index: ClusterIndex) {
    this.drains = new Recall(memory.drains, index);
    this.starts = new Recall(memory.starting, index);
  }

  /** What is remembered of node `at`; valid until the next call. */
  of(at: number): NodeRecall {
    this.recall.drain = this.drains.get(at);
    this.recall.start = this.starts.get(at);
    return this.recall;
  }

  /** Keeps what the classification of the node last asked of decided. */
  keep(name: string, at: number, found: NodeClass): void {
    this.drains.keep(name, at, this.recall.drain, found.drain);
    this.starts.keep(name, at, this.recall.start, found.start);
  }
}

function classify(tick: NodeTick, remembered: Remembered, node: NodeView, at: number): NodeClass {
  const name = node.name;
  const found = classifyNode(node, remembered.of(at), tick.policy, tick.input.now);
  remembered.keep(name, at, found);
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
