// The nodes the scale-down would drain next if the surplus persists, marked with a PreferNoSchedule
// taint (`graceful-scaler.io/drain-candidate`, as cluster-autoscaler marks its deletion candidates
// `DeletionCandidateOfClusterAutoscaler`): the scheduler then prefers other nodes for new pods, so
// these empty sooner and their drain evicts less. Only a preference: when no other node fits, pods
// still land here.
//
// Which: the running nodes beyond the desired count, chosen by the scale-down's own choice
// (scale-down.ts), so the taint goes exactly where the next cordons would. Reconciled every tick
// from the nodes as they are: the taint is added where it belongs and our own taint (our key, no
// other) removed from a node that is no longer a candidate and takes pods. On a cordoned node it is
// left until the node is uncordoned (a cancelled drain, a start): a cordon keeps pods off anyway.

import { DRAIN_CANDIDATE_TAINT } from '../annotations';
import { plural } from '../planner';
import type { NodeView } from '../views';
import { chooseCandidates } from './scale-down';
import type { NodeTick, Tracked } from './tick';

/** The figures the choice is made from, as sizing and the node planner found them. */
export interface Surplus {
  desired: number;
  /** Nodes running or on their way after this tick's actions (what the scale-down counts against desired). */
  have: number;
  /** Why `desired`, in words. */
  why: string;
}

/** Whether the node carries one of our PreferNoSchedule taints (drain candidate, stays), by key. */
export function hasOurTaint(node: NodeView, key: string): boolean {
  for (const t of node.taints) if (t.key === key && t.effect === 'PreferNoSchedule') return true;
  return false;
}

export function hasDrainCandidateTaint(node: NodeView): boolean {
  return hasOurTaint(node, DRAIN_CANDIDATE_TAINT);
}

/**
 * At most this many nodes carry the taint (cluster-autoscaler soft-taints at most 10 a loop, its
 * `--max-bulk-soft-taint-count`): the scale-down drains a few at a time, so the next drains are among
 * them at any surplus, and choosing asks evictability of every candidate's pods, which for many
 * more would cost a large cluster's tick more than the rest of the scale-down does.
 */
export const MAX_DRAIN_CANDIDATES = 10;

/** A mark to put on a node (`set`) or take off, and why. */
export interface MarkChange {
  node: string;
  set: boolean;
  reason: string;
}

/** The candidates, and the taint changes that make the nodes show them. */
export function planDrainCandidates(tick: NodeTick, surplus: Surplus): { chosen: ReadonlySet<Tracked>; changes: MarkChange[] } {
  const { desired, have, why } = surplus;
  // Up now: nodes on their way are counted in `have` but take no pods yet, so they never make a
  // Ready node a candidate; and at least one node (or `desired`) is left untainted, since a
  // preference among nodes that all carry it prefers nothing.
  const up = tick.tracked.filter((t) => t.state === 'running' && !t.node.cordoned).length;
  const beyond = Math.max(0, Math.min(have, up) - Math.max(desired, 1));
  const count = Math.min(beyond, MAX_DRAIN_CANDIDATES);
  const found = count > 0 ? chooseCandidates(tick, count, undefined, (t) => !t.node.cordoned) : [];
  const capped = count < beyond ? `; only the first ${MAX_DRAIN_CANDIDATES} of the ${beyond} above desired carry the taint` : '';
  const chosen = new Set(found.map((c) => c.t));
  const uncordoned = new Set<string>();
  for (const a of tick.actions) if (a.type === 'uncordon') uncordoned.add(a.node);

  const changes: MarkChange[] = [];
  const mark = (t: Tracked, set: boolean, reason: string) => changes.push({ node: t.node.name, set, reason });
  let rank = 0;
  for (const c of found) {
    rank++;
    if (hasDrainCandidateTaint(c.t.node)) continue;
    const slow = c.t.slowPods > 0 ? `, ${c.t.slowPods} of them slow to leave` : '';
    mark(
      c.t,
      true,
      `${have} nodes running or on the way > ${desired} desired: ${ordinal(rank)} of ${plural(count, 'node')} the scale-down would drain next if the surplus persists (${plural(c.t.workloadPods, 'workload pod')} here${slow}); new pods prefer other nodes meanwhile${capped} (${why})`,
    );
  }
  for (const t of tick.tracked) {
    if (t.state === 'ignored' || chosen.has(t) || !hasDrainCandidateTaint(t.node)) continue;
    const name = t.node.name;
    if (uncordoned.has(name)) {
      mark(t, false, `uncordoned: it takes pods again, so it is no drain candidate`);
      continue;
    }
    // A cordon keeps pods off anyway; a drain whose cordon is still to land keeps the taint too.
    if (t.node.cordoned || t.state === 'draining' || t.state === 'stopping') continue;
    mark(t, false, `no longer a drain candidate: ${whyNot(t, count, desired, have)}`);
  }
  return { chosen, changes };
}

function whyNot(t: Tracked, count: number, desired: number, have: number): string {
  if (t.protection) return `${t.protection.detail}, never drained`;
  if (t.state !== 'running') return `not running (${t.state})`;
  if (count === 0) return `${have} nodes running or on the way, ${desired} desired: no surplus`;
  return `the ${plural(count, 'node')} above the ${desired} desired are others, which would drain sooner or may drain`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
