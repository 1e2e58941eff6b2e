// Where a node stands, as the node planner sees it: from the node itself (VM power, kubelet, cordon,
// our annotations) and what the planner remembers of it (a drain, a start). Pure: the planner applies
// what a classification implies (memory kept or forgotten, notes, refusals, an uncordon), and the
// status page names the same states to a person.

import { DRAIN_REASON, DRAINING_SINCE, SHUTDOWN_TAINT } from '../annotations';
import type { ActionRule, SkipRule } from '../decision';
import { formatDuration } from '../duration';
import type { DrainMemory, StartMemory } from '../memory';
import type { NodePolicy } from '../policy';
import { nodeProtection } from '../protection';
import type { NodeView } from '../views';

export type NodeState =
  | 'running'
  | 'draining'
  | 'stopping'
  | 'stopped'
  | 'starting'
  | 'booting'
  | 'unavailable'
  | 'not-ready'
  | 'ignored';

/** What the planner remembers of one node at the start of a tick. */
export interface NodeRecall {
  drain: DrainMemory | undefined;
  start: StartMemory | undefined;
}

/** The parts of the node policy classification reads. */
export type StateRules = Pick<NodePolicy, 'protectedNodeLabels' | 'startTimeoutMs' | 'provisionTimeoutMs'>;

/** What a classification implies besides the state, in the order the planner records it. */
export type StateEffect =
  | { kind: 'note'; text: string }
  | { kind: 'skip'; rule: SkipRule; reason: string }
  | { kind: 'uncordon'; rule: ActionRule; reason: string };

export interface NodeClass {
  state: NodeState;
  /** The drain remembered after this classification: kept, resumed from the node, or undefined when forgotten. */
  drain: DrainMemory | undefined;
  /** The start remembered after this classification. */
  start: StartMemory | undefined;
  effects: readonly StateEffect[];
}

const NO_EFFECTS: readonly StateEffect[] = [];

/** A node whose VM is deallocated, or that AKS marks as shut down. */
export function isStopped(node: NodeView): boolean {
  return node.power === 'deallocated' || (!node.ready && node.taints.some((t) => t.key === SHUTDOWN_TAINT));
}

/** The state from the node alone, memory aside: while paused nothing may be inferred from memory. */
export function observedState(node: NodeView): 'stopped' | 'running' | 'unavailable' {
  if (isStopped(node)) return 'stopped';
  return node.ready && !node.cordoned ? 'running' : 'unavailable';
}

/** A drain is remembered in memory and mirrored on the node, so either survives a crash of the other. */
export function drainOf(node: NodeView, remembered: DrainMemory | undefined): DrainMemory | undefined {
  if (remembered) return remembered;
  const since = node.annotations[DRAINING_SINCE];
  if (since === undefined || !node.cordoned) return undefined;
  return { since, reason: node.annotations[DRAIN_REASON] ?? 'resumed from the node annotation' };
}

export function classifyNode(node: NodeView, recall: NodeRecall, rules: StateRules, now: number): NodeClass {
  const name = node.name;
  let remembered = recall.drain;
  let started = recall.start;
  let effects = NO_EFFECTS as StateEffect[];
  const say = (effect: StateEffect) => {
    if (effects === NO_EFFECTS) effects = [];
    effects.push(effect);
  };
  const result = (state: NodeState): NodeClass => ({ state, drain: remembered, start: started, effects });

  const protection = nodeProtection(node, rules.protectedNodeLabels);
  if (protection?.rule === 'ignored') {
    if (remembered) {
      remembered = undefined;
      say({ kind: 'note', text: `node ${name} is marked ${protection.detail.split(':')[0]}; its drain is forgotten and its cordon left as it is` });
    }
    say({ kind: 'skip', rule: 'ignored', reason: protection.detail });
    return result('ignored');
  }
  let drain = drainOf(node, remembered);
  const start = started;
  const startExpired = start !== undefined && now - Date.parse(start.since) >= rules.startTimeoutMs;
  if (start && startExpired && !node.ready) {
    started = undefined;
    say({ kind: 'skip', rule: 'start-timed-out', reason: `started ${start.since} but not Ready after ${formatDuration(rules.startTimeoutMs)}; it may be started again` });
  }

  if (isStopped(node)) {
    if (drain) {
      remembered = undefined;
      say({ kind: 'note', text: `node ${name} is stopped; its drain is complete` });
    }
    return result(started ? 'starting' : 'stopped');
  }
  if (drain && protection) {
    // Protected after the drain began (say, labelled for a batch): never drained or stopped; give it back.
    remembered = undefined;
    if (node.ready && node.cordoned) {
      say({ kind: 'uncordon', rule: 'drain-blocked-uncordon', reason: `drain abandoned: the node is now protected (${protection.detail})` });
      return result('running');
    }
    drain = undefined;
  }
  if (node.ready) {
    if (start) {
      if (node.cordoned && start.uncordonWhenReady && !drain) {
        // Remembered until the snapshot shows the uncordon landed, so a failed patch is retried
        // rather than mistaken next tick for somebody else's cordon.
        say({ kind: 'uncordon', rule: 'started-node-ready', reason: `started ${start.since}, Ready now; it was cordoned when stopped, so scheduling resumes` });
        return result('running');
      }
      started = undefined;
    }
    if (drain) {
      if (!node.cordoned) {
        // Our cordon writes the annotation in the same patch: with it, a person uncordoned the node
        // (kubectl keeps annotations) and meant it; without it, our cordon never landed: resume.
        if (node.annotations[DRAINING_SINCE] !== undefined) {
          remembered = undefined;
          say({ kind: 'note', text: `node ${name} was uncordoned outside graceful-scaler; its drain (since ${drain.since}) is cancelled` });
          return result('running');
        }
        // Otherwise the cordon is re-issued by the drain step, unless scale-up cancels the drain first.
      }
      remembered = drain;
      return result(drain.stopRequestedAt ? 'stopping' : 'draining');
    }
    if (node.cordoned) {
      say({ kind: 'skip', rule: 'cordoned-by-someone-else', reason: 'cordoned, not by graceful-scaler: not counted as capacity, left as it is' });
      return result('unavailable');
    }
    return result('running');
  }
  // Not Ready and not (yet) marked as shut down.
  if (started) return result('starting');
  if (drain) {
    // Still counts against maxConcurrentDrains; the Eviction API works whatever the kubelet's state.
    remembered = drain;
    return result(drain.stopRequestedAt ? 'stopping' : 'draining');
  }
  if (now - node.createdAt < rules.provisionTimeoutMs) return result('booting');
  say({ kind: 'skip', rule: 'not-ready', reason: 'NotReady without the shutdown taint: neither capacity nor a VM to start' });
  return result('not-ready');
}
