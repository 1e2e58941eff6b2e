// Predictive pre-warming: the node scaler learns, from its own ticks, how many nodes the load needed
// in each half hour of each local weekday, and starts nodes ahead of a half hour that needed more,
// by the policy's lead (a VM start plus a margin), so the morning surge finds its nodes running.
//
// The profile is kept in memory as plain numbers keyed by slot: `1:15` (Monday 07:30-08:00; a
// holiday counts as Sunday, 0) and, as a fallback until each weekday has been seen, `work:15` or
// `rest:15` (weekdays; weekends and holidays). Each slot holds the peak of the load term (the
// sizing without the schedule's minimum, so the forecast never feeds itself), averaged with the
// slots seen before, so one odd day moves a slot halfway. The slot being observed is an `open:` key
// holding its peak so far; it is folded into the profile when the slot ends.
//
// The forecast only ever raises the reactive answer, within the bounds; in `forecast` mode it is
// shown (a skip naming what it would start) and nothing acts on it.

import type { NodeMemory } from '../memory';
import { localClock, type LocalClock } from '../schedule';
import type { Policy } from '../policy';

export const SLOT_MINUTES = 30;
const OPEN = 'open:';

export interface Forecast {
  /** Nodes the load needed in the coming slot, as learned. */
  nodes: number;
  /** The local start of the slot the forecast is for, `Mon 07:30`. */
  slot: string;
  /** Which part of the profile answered: the same weekday, or weekdays / rest days as a whole. */
  basis: 'weekday' | 'day kind';
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function slotOf(clock: LocalClock): number {
  return Math.floor(clock.minute / SLOT_MINUTES);
}

function kindOf(weekday: number): 'work' | 'rest' {
  return weekday === 0 || weekday === 6 ? 'rest' : 'work';
}

/** The load seen by this tick (nodes), recorded against the slot it falls in; slots that ended are folded into the profile. */
export function learnDemand(memory: NodeMemory, clock: LocalClock, load: number): void {
  // Updated in place: the tick's memory is already its own copy (NodeTick), and this runs every tick.
  const profile: Record<string, number> = (memory.demand ??= {});
  const current = `${OPEN}${clock.date}:${clock.weekday}:${slotOf(clock)}`;
  for (const key of Object.keys(profile)) {
    if (!key.startsWith(OPEN) || key === current) continue;
    // `open:<date>:<weekday>:<slot>`: a slot that has ended (possibly two, after a lost save merged).
    const [, , weekday, slot] = key.split(':');
    const peak = profile[key]!;
    delete profile[key];
    fold(profile, `${weekday}:${slot}`, peak);
    fold(profile, `${kindOf(Number(weekday))}:${slot}`, peak);
  }
  profile[current] = Math.max(profile[current] ?? 0, load);
}

function fold(profile: Record<string, number>, key: string, peak: number): void {
  const before = profile[key];
  profile[key] = before === undefined ? peak : Math.round(((before + peak) / 2) * 10) / 10;
}

/** What the profile says the load needs in the slot that starts within `leadMs` of now; undefined when it has not been seen. */
export function forecastDemand(memory: NodeMemory, policy: Policy, now: number, leadMs: number): Forecast | undefined {
  const profile = memory.demand;
  if (!profile) return undefined;
  const ahead = localClock(now + leadMs, policy.timezone, policy.holidays);
  const slot = slotOf(ahead);
  const same = profile[`${ahead.weekday}:${slot}`];
  const value = learnedAt(profile, ahead);
  if (value === undefined) return undefined;
  const minute = slot * SLOT_MINUTES;
  const name = policy.holidayNames?.get(ahead.date);
  const day = policy.holidays.has(ahead.date) ? `${ahead.date} (holiday${name ? ` ${name}` : ''}, as Sunday)` : DAY_NAMES[ahead.weekday]!;
  const label = `${day} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return { nodes: Math.ceil(value), slot: label, basis: same !== undefined ? 'weekday' : 'day kind' };
}

/** What the profile learned for the slot `clock` falls in: that weekday's, else its kind of day's; undefined when neither was seen. */
export function learnedAt(profile: Readonly<Record<string, number>>, clock: LocalClock): number | undefined {
  const slot = slotOf(clock);
  return profile[`${clock.weekday}:${slot}`] ?? profile[`${kindOf(clock.weekday)}:${slot}`];
}

/** `the load needed 44 nodes in Mon 07:30-08:00 (same weekday, learned)`. */
export function describeForecast(f: Forecast): string {
  const basis = f.basis === 'weekday' ? 'as learned for this weekday' : 'as learned for this kind of day, this weekday not yet seen';
  return `the load needed ${f.nodes} node${f.nodes === 1 ? '' : 's'} in the half hour from ${f.slot} (${basis})`;
}
