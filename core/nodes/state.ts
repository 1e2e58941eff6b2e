// Where a node stands, as the node planner sees it: from the node itself (VM power, kubelet, cordon,
// our annotations) and what the planner remembers of it (a drain, a start). Pure: the planner applies
// what a classification implies (memory kept or forgotten, notes, refusals, an uncordon), and the
// status page names the same states to a person.

import { DRAIN_REASON, DRAINING_SINCE, SHUTDOWN_TAINT } from '../annotations';
import type { ActionRule, SkipRule } from '../decision';
import { formatDuration } from '../duration';
import type { DrainMemory, StartMemory } from '../memory';
import type { NodePolicy } from '../policy';
import { nodeProtection, type Protection } from '../protection';
import type { NodeView } from '../views';

export type NodeState = 'running' | 'draining' | 'stopping' | 'stopped' | 'starting' | 'booting' | 'unavailable' | 'not-ready' | 'ignored';

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
  /** Why the node may not be scaled down, if it may not (looked up once, read again by candidate choice). */
  protection: Protection | undefined;
}

const NO_EFFECTS: readonly StateEffect[] = [];

/**
 * Most nodes of a large cluster are plainly running, with nothing remembered and nothing to say:
 * they share one answer per state rather than allocate thousands of equal ones per tick.
 */
const PLAIN: Partial<Record<NodeState, NodeClass>> = {};

function answer(
  state: NodeState,
  drain: DrainMemory | undefined,
  start: StartMemory | undefined,
  effects: StateEffect[] | undefined,
  protection: Protection | undefined,
): NodeClass {
  if (drain === undefined && start === undefined && effects === undefined && protection === undefined) {
    return (PLAIN[state] ??= Object.freeze({ state, drain, start, effects: NO_EFFECTS, protection }));
  }
  return { state, drain, start, effects: effects ?? NO_EFFECTS, protection };
}

/** A node whose VM is deallocated, or that AKS marks as shut down. */
export function isStopped(node: NodeView): boolean {
  if (node.power === 'deallocated') return true;
  if (node.ready) return false;
  for (const t of node.taints) if (t.key === SHUTDOWN_TAINT) return true;
  return false;
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
  let effects: StateEffect[] | undefined;

  const protection = nodeProtection(node, rules.protectedNodeLabels);
  if (protection?.rule === 'ignored') {
    if (remembered) {
      remembered = undefined;
      (effects ??= []).push({
        kind: 'note',
        text: `node ${name} is marked ${protection.detail.split(':')[0]}; its drain is forgotten and its cordon left as it is`,
      });
    }
    (effects ??= []).push({ kind: 'skip', rule: 'ignored', reason: protection.detail });
    return answer('ignored', remembered, started, effects, protection);
  }
  let drain = drainOf(node, remembered);
  const start = started;
  const startExpired = start !== undefined && now - Date.parse(start.since) >= rules.startTimeoutMs;
  if (start && startExpired && !node.ready) {
    started = undefined;
    (effects ??= []).push({
      kind: 'skip',
      rule: 'start-timed-out',
      reason: `started ${start.since} but not Ready after ${formatDuration(rules.startTimeoutMs)}; it may be started again`,
    });
  }

  if (isStopped(node)) {
    if (drain) {
      remembered = undefined;
      (effects ??= []).push({ kind: 'note', text: `node ${name} is stopped; its drain is complete` });
    }
    return answer(started ? 'starting' : 'stopped', remembered, started, effects, protection);
  }
  if (drain && protection) {
    // Protected after the drain began (say, labelled for a batch): never drained or stopped; give it back.
    remembered = undefined;
    if (node.ready && node.cordoned) {
      (effects ??= []).push({
        kind: 'uncordon',
        rule: 'drain-blocked-uncordon',
        reason: `drain abandoned: the node is now protected (${protection.detail})`,
      });
      return answer('running', remembered, started, effects, protection);
    }
    drain = undefined;
  }
  if (node.ready) {
    if (start) {
      // A drain read from the node's annotation alone is the one its stop ended; one in memory is live.
      if (node.cordoned && start.uncordonWhenReady && remembered === undefined) {
        // Remembered until the snapshot shows the uncordon landed, so a failed patch is retried
        // rather than mistaken next tick for somebody else's cordon.
        (effects ??= []).push({
          kind: 'uncordon',
          rule: 'started-node-ready',
          reason: `started ${start.since}, Ready now; it was cordoned when stopped, so scheduling resumes`,
        });
        return answer('running', remembered, started, effects, protection);
      }
      started = undefined;
    }
    if (drain) {
      if (!node.cordoned) {
        // Our cordon writes the annotation in the same patch: with it, a person uncordoned the node
        // (kubectl keeps annotations) and meant it. Without it, either our cordon never landed (resume),
        // or, when a stop was asked (only ever after the cordon landed), we gave the node back
        // (failed-stops.ts: the VM would not deallocate) and the memory of that was lost. Kept, that
        // drain would never resume (no cordon is re-issued on the way down) and its planned evictions,
        // each refused as stale, would spend the PodDisruptionBudgets other drains need, every tick.
        const byPerson = node.annotations[DRAINING_SINCE] !== undefined;
        if (byPerson || drain.stopRequestedAt !== undefined) {
          remembered = undefined;
          (effects ??= []).push({
            kind: 'note',
            text: byPerson
              ? `node ${name} was uncordoned outside graceful-scaler; its drain (since ${drain.since}) is cancelled`
              : `node ${name} is Ready and uncordoned although its stop was asked ${drain.stopRequestedAt}: it was given back (its VM would not deallocate); the drain (since ${drain.since}) is over`,
          });
          return answer('running', remembered, started, effects, protection);
        }
        // Otherwise the cordon is re-issued by the drain step, unless scale-up cancels the drain first.
      }
      return answer(drain.stopRequestedAt ? 'stopping' : 'draining', drain, started, effects, protection);
    }
    if (node.cordoned) {
      (effects ??= []).push({
        kind: 'skip',
        rule: 'cordoned-by-someone-else',
        reason: 'cordoned, not by graceful-scaler: not counted as capacity, left as it is',
      });
      return answer('unavailable', remembered, started, effects, protection);
    }
    return answer('running', remembered, started, effects, protection);
  }
  // Not Ready and not (yet) marked as shut down.
  if (started) {
    // We started its VM, so whatever drain was remembered ended with the stop: kept, it would hold a
    // drain slot no step counts (invariant 6) and block the uncordon once the node is Ready.
    if (remembered) {
      remembered = undefined;
      (effects ??= []).push({ kind: 'note', text: `node ${name} is starting; its earlier drain is over` });
    }
    return answer('starting', remembered, started, effects, protection);
  }
  if (drain) {
    // Still counts against maxConcurrentDrains; the Eviction API works whatever the kubelet's state.
    return answer(drain.stopRequestedAt ? 'stopping' : 'draining', drain, started, effects, protection);
  }
  if (now - node.createdAt < rules.provisionTimeoutMs) return answer('booting', remembered, started, effects, protection);
  (effects ??= []).push({
    kind: 'skip',
    rule: 'not-ready',
    reason: 'NotReady without the shutdown taint: neither capacity nor a VM to start',
  });
  return answer('not-ready', remembered, started, effects, protection);
}
