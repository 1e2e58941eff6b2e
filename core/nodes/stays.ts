// The nodes that stay: `graceful-scaler.io/stays=true` on the managed nodes the node scaler expects
// to keep longest, so long-running work (BG workers, whose jobs run for hours and which a drain
// must wait for) can prefer them through a preferred node affinity in its Deployment (README, "BG
// workers and placement"). Pods never require the label: it only steers new pods.
//
// How many: the fewest nodes the scaler expects to keep over the coming day, the night's or the
// weekend's low (the schedule's minimum and the learned demand, core/nodes/demand.ts, slot by slot),
// and fewer than are up now (a label every node carries steers nothing). Which: those the scale-down would drain last, its own order
// reversed (scale-down.ts), protected nodes first as they are never drained; never a node marked as
// a drain candidate. Reconciled every tick from the nodes as they are.

import { effectiveBounds } from '../bounds';
import { STAYS_LABEL, STAYS_TAINT } from '../annotations';
import { Heap } from '../heap';
import { plural } from '../planner';
import { clockAfter, isWindowActive, type LocalClock } from '../schedule';
import { learnedAt, SLOT_MINUTES } from './demand';
import { hasOurTaint, type MarkChange } from './drain-candidates';
import { drainOrder } from './scale-down';
import type { NodeTick, Tracked } from './tick';

/** How far ahead the low is looked for: a night and the morning after, or a day of a weekend. */
export const STAYS_HORIZON_MINUTES = 24 * 60;

export interface ExpectedFloor {
  nodes: number;
  /** Where the low is, in words: `2 at Tue 02:00 (schedule minimum 2, learned demand 1)`. */
  text: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * The fewest nodes expected over the coming day: at each point where it may change (each demand
 * slot, each window's start and end), the schedule's minimum raised by the learned demand, within
 * the schedule's maximum; and no more than desired now. Overrides are left out: they end when a
 * person says, which no forecast knows.
 */
export function expectedFloor(tick: NodeTick, desired: number): ExpectedFloor {
  const { policy } = tick;
  const { clock, policy: whole } = tick.input;
  const profile = tick.memory.demand ?? {};
  let best: ExpectedFloor = { nodes: desired, text: `${desired} desired now` };
  // The horizon spans today and tomorrow: their calendars are worked out once, the minutes per point.
  const days = [clock, clockAfter(clock, 1440 - clock.minute, whole.holidays)];
  for (const ahead of changePoints(clock, policy.schedule)) {
    const total = clock.minute + ahead;
    const day = Math.floor(total / 1440);
    const at: LocalClock = { ...days[day]!, minute: total - day * 1440 };
    const windows = policy.schedule.filter((w) => isWindowActive(w, at)).map((w) => ({ label: w.label, min: w.minNodes, max: w.maxNodes }));
    const bounds = effectiveBounds(policy.minNodes, policy.maxNodes, windows, []);
    const learned = learnedAt(profile, at);
    const nodes = Math.min(bounds.max, Math.max(bounds.min, learned === undefined ? 0 : Math.ceil(learned)));
    if (nodes >= best.nodes) continue;
    const demand = learned === undefined ? 'no demand learned for it' : `learned demand ${Math.ceil(learned)}`;
    best = { nodes, text: `${nodes} at ${describe(at)} (schedule minimum ${bounds.min}, ${demand})` };
  }
  return best;
}

/** Minutes from now at which the floor may change within the horizon, ascending. */
function changePoints(clock: LocalClock, windows: readonly { startMinute: number; endMinute: number }[]): number[] {
  const points = new Set<number>();
  for (let m = SLOT_MINUTES - (clock.minute % SLOT_MINUTES); m <= STAYS_HORIZON_MINUTES; m += SLOT_MINUTES) points.add(m);
  for (const w of windows) {
    for (const edge of [w.startMinute, w.endMinute]) {
      for (let day = 0; day <= 1; day++) {
        const m = edge + day * 1440 - clock.minute;
        if (m > 0 && m <= STAYS_HORIZON_MINUTES) points.add(m);
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}

function describe(at: LocalClock): string {
  const hh = String(Math.floor(at.minute / 60)).padStart(2, '0');
  const mm = String(at.minute % 60).padStart(2, '0');
  return `${DAYS[at.weekday]} ${hh}:${mm}`;
}

/** The label changes that put `stays` on the nodes expected to stay longest, and take it off the others; and the nodes labelled once they are made. */
export function planStays(
  tick: NodeTick,
  floor: ExpectedFloor,
  candidates: ReadonlySet<Tracked>,
): { changes: MarkChange[]; labelled: ReadonlySet<Tracked> } {
  const schedulable = tick.tracked.filter((t) => t.state === 'running' && !t.node.cordoned);
  const up = candidates.size === 0 ? schedulable : schedulable.filter((t) => !candidates.has(t));
  const count = Math.min(floor.nodes, up.length);
  const before = drainOrder(tick);
  // Drained last first: protected nodes (never drained), then the scale-down's order reversed.
  const last = new Heap(up, (a, b) => (a.protection ? 0 : 1) - (b.protection ? 0 : 1) || before(b, a));
  // A node keeps its label while it is among twice as many drained last: pod counts move every
  // minute, and a label that followed each move would send new workers somewhere else each time.
  const late: Tracked[] = [];
  while (late.length < Math.min(2 * count, up.length)) late.push(last.take()!);
  const stays = new Set<Tracked>();
  for (const t of late) if (stays.size < count && t.node.labels[STAYS_LABEL] === 'true') stays.add(t);
  for (const t of late) if (stays.size < count) stays.add(t);

  // Put on only where it tells nodes apart: a preference for a label every node up carries prefers
  // nothing. Where it already is, it stays while its node qualifies.
  const adding = count < schedulable.length;
  const changes: MarkChange[] = [];
  const labelled = new Set<Tracked>();
  const mark = (t: Tracked, set: boolean, reason: string) => changes.push({ node: t.node.name, set, reason });
  const expected = `${plural(floor.nodes, 'node')} expected to stay over the coming day: ${floor.text}`;
  for (const t of tick.tracked) {
    if (t.state === 'ignored') continue;
    const hasLabel = t.node.labels[STAYS_LABEL] !== undefined;
    if (stays.has(t)) {
      if (t.node.labels[STAYS_LABEL] === 'true') labelled.add(t);
      if (t.node.labels[STAYS_LABEL] === 'true' || !adding) continue;
      labelled.add(t);
      const kept = t.protection
        ? `${t.protection.detail}, never drained`
        : `${late.indexOf(t) < count ? 'drained last' : `among the ${late.length} drained last`} of the ${up.length} up (${plural(t.workloadPods, 'workload pod')}, ${t.slowPods} slow to leave)`;
      mark(t, true, `one of the ${plural(count, 'node')} kept longest: ${kept}; ${expected}`);
    } else if (hasLabel) {
      mark(t, false, `no longer expected to stay: ${whyNot(t, candidates, count, up.length, expected)}`);
    }
  }
  return { changes, labelled };
}

/**
 * The taint changes that make the stays taint follow the stays label (policy `nodes.staysTaint`): on
 * every node labelled once this tick's label changes are made, off every other node, and off every
 * node when the policy does not ask for it (it was turned off). Pods that do not tolerate the taint
 * then prefer the nodes that go, so those hold what moves easily and the nodes that stay keep room
 * for the long-running workers that tolerate it (README, "BG workers and placement").
 */
export function planStaysTaint(tick: NodeTick, labelled: ReadonlySet<Tracked>): MarkChange[] {
  const wanted = tick.policy.staysTaint;
  const changes: MarkChange[] = [];
  for (const t of tick.tracked) {
    if (t.state === 'ignored') continue;
    const want = wanted && labelled.has(t);
    if (want === hasOurTaint(t.node, STAYS_TAINT)) continue;
    const reason = want
      ? `labelled ${STAYS_LABEL}=true: pods that do not tolerate the taint prefer the nodes that go, so this one keeps its room for long-running work (nodes.staysTaint)`
      : wanted
        ? `no longer labelled ${STAYS_LABEL}=true`
        : 'nodes.staysTaint is off';
    changes.push({ node: t.node.name, set: want, reason });
  }
  return changes;
}

function whyNot(t: Tracked, candidates: ReadonlySet<Tracked>, count: number, up: number, expected: string): string {
  if (candidates.has(t)) return 'a drain candidate now';
  if (t.state !== 'running' || t.node.cordoned) return `not up and schedulable (${t.node.cordoned ? 'cordoned' : t.state})`;
  return `${count === 0 ? 'none are kept' : `not among the ${plural(Math.min(2 * count, up), 'node')} drained last`}; ${expected}`;
}
