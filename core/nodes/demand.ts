// Predictive pre-warming: the node scaler learns, from its own ticks, how many nodes the load needed
// in each quarter hour of each local weekday, and starts nodes ahead of a quarter hour that needed
// more, by the policy's lead (a VM start plus a margin), so the morning surge finds its nodes running.
//
// The profile is kept in memory as plain numbers keyed by slot: `1:07:30` (Monday 07:30-07:45; a
// holiday counts as Sunday, 0) and, as a fallback until each weekday has been seen often enough,
// `work:07:30` or `rest:07:30` (weekdays; weekends and holidays). What a day teaches a slot is the
// peak of the load term in it (the sizing without the schedule's minimum, so the forecast never feeds
// itself). A slot keeps its last five peaks (`1:07:30@0`, newest, to `1:07:30@4`) and forecasts
// their level (`1:07:30`): their median, the lower of the middle two when they are even (so one
// peak: it; two: the lower; three: the second highest; four or five: the third). A surge that comes
// on most days is a pattern and is met with what most recent days needed; a spike on half of the days
// or fewer (an incident, a campaign, a burst of retries) is not, and starting nodes for it a week
// later, at the same time, only bills them. The lower middle when even: with the higher one, a slot
// of two or four days held a spike seen on one or two of them (rest days, which a week of history
// gives two days each; the first days of a trace), 6-20 node-hours a week on most simulated weeks,
// and the mornings were met the same. The median rather than the second highest of five: the
// reference traffic spikes about once a day, so two of five days spiked somewhere in the same slots
// often enough to hold nodes all morning (20-55 node-hours a week on some simulated weeks), while
// the morning surges, which come every day, were met the same. A weekday's own slot answers once it
// has seen three of its days; until then its kind of day answers, which sees five working days a
// week. The slot being observed is an `open:` key holding its peak so far; it is folded into the
// profile when the slot ends.
//
// Why a quarter hour: the forecast holds the slot's peak from the lead before the slot to the lead
// before its end, so on a falling afternoon every slot holds the nodes its first minutes needed. Half
// hours held 104-121 node-hours a week of the simulation's suite above the load; quarter hours about
// two thirds of that, with the same mornings. Profiles written with half hours (keys `1:15`, the
// slot's index) are read as both quarter hours of their half hour (upgradeDemand).
//
// The forecast only ever raises the reactive answer, within the bounds; in `forecast` mode it is
// shown (a skip naming what it would start) and nothing acts on it.

import type { NodeMemory } from '../memory';
import { localClock, type LocalClock } from '../schedule';
import { plural } from '../planner';
import type { Policy } from '../policy';

export const SLOT_MINUTES = 15;
const OPEN = 'open:';
/** The slot width profiles were written with before quarter hours (upgradeDemand). */
const HALF_HOUR_MINUTES = 30;
/** What half-hour profiles (before quarter hours) wrote: a slot's index, `1:15`, `work:15@0`, `open:2026-11-30:1:15`. */
const HALF_HOUR_KEY = /^(open:\d{4}-\d{2}-\d{2}:[0-6]|[0-6]|work|rest):(\d{1,2})(@\d)?$/;
const OPEN_KEY = /^open:(\d{4}-\d{2}-\d{2}):([0-6]):(\d{2}:\d{2})$/;

/** Peaks a slot keeps. */
export const PEAKS_KEPT = 5;
/** A weekday's own slot answers once it holds this many peaks; until then its kind of day does. */
export const WEEKDAY_TRUSTED_FROM = 3;

export interface Forecast {
  /** Nodes the load needed in the coming slot, as learned. */
  nodes: number;
  /** The local start of the slot the forecast is for, `Mon 07:30`. */
  slot: string;
  /** Which part of the profile answered: the same weekday, or weekdays / rest days as a whole. */
  basis: 'weekday' | 'day kind';
  /** How many peaks (days) the answering slot holds. */
  peaks: number;
  /** Those peaks (nodes), newest first: the numbers the level was chosen from; empty for a level kept without them. */
  days: number[];
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The slot `clock` falls in, by its local start: `07:30`. */
function slotOf(clock: LocalClock): string {
  return hhmm(clock.minute - (clock.minute % SLOT_MINUTES));
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function kindOf(weekday: number): 'work' | 'rest' {
  return weekday === 0 || weekday === 6 ? 'rest' : 'work';
}

/**
 * Rewrites a profile written with half hours (keys by index, `1:15`) as quarter hours (`1:07:30`,
 * `1:07:45`): each half hour's level and peaks go to both its quarter hours, which then learn on
 * their own. A key already written as a quarter hour is kept. In place, on the tick's own copy.
 */
export function upgradeDemand(memory: NodeMemory): void {
  const profile = memory.demand;
  if (!profile) return;
  for (const key of Object.keys(profile)) {
    const half = HALF_HOUR_KEY.exec(key);
    if (!half) continue;
    const [, prefix, index, peak = ''] = half;
    const value = profile[key]!;
    delete profile[key];
    const start = Number(index) * HALF_HOUR_MINUTES;
    if (prefix!.startsWith(OPEN)) {
      // The open half hour's peak so far is its first quarter's (the higher, if a lost save merged both).
      const upgraded = `${prefix}:${hhmm(start)}`;
      profile[upgraded] = Math.max(profile[upgraded] ?? 0, value);
      continue;
    }
    for (let minute = start; minute < start + HALF_HOUR_MINUTES; minute += SLOT_MINUTES)
      profile[`${prefix}:${hhmm(minute)}${peak}`] ??= value;
  }
}

/** The load seen by this tick (nodes), recorded against the slot it falls in; slots that ended are folded into the profile. */
export function learnDemand(memory: NodeMemory, clock: LocalClock, load: number): void {
  // Updated in place: the tick's memory is already its own copy (NodeTick), and this runs every tick.
  const profile: Record<string, number> = (memory.demand ??= {});
  const current = `${OPEN}${clock.date}:${clock.weekday}:${slotOf(clock)}`;
  for (const key of Object.keys(profile)) {
    if (!key.startsWith(OPEN) || key === current) continue;
    // `open:<date>:<weekday>:<slot>`: a slot that has ended (possibly two, after a lost save merged).
    const ended = OPEN_KEY.exec(key);
    const peak = profile[key]!;
    delete profile[key];
    if (!ended) continue;
    const [, , weekday, slot] = ended;
    fold(profile, `${weekday}:${slot}`, peak);
    fold(profile, `${kindOf(Number(weekday))}:${slot}`, peak);
  }
  profile[current] = Math.max(profile[current] ?? 0, load);
}

function fold(profile: Record<string, number>, key: string, peak: number): void {
  // A level with no peaks beside it was written before peaks were kept (an average of the days
  // seen): it counts as one peak.
  if (profile[`${key}@0`] === undefined && profile[key] !== undefined) profile[`${key}@0`] = profile[key]!;
  for (let i = PEAKS_KEPT - 1; i > 0; i--) {
    const older = profile[`${key}@${i - 1}`];
    if (older !== undefined) profile[`${key}@${i}`] = older;
  }
  profile[`${key}@0`] = peak;
  profile[key] = levelOf(peaksOf(profile, key));
}

/** The peaks a slot holds, newest first. */
function peaksOf(profile: Readonly<Record<string, number>>, key: string): number[] {
  const peaks: number[] = [];
  for (let i = 0; i < PEAKS_KEPT; i++) {
    const p = profile[`${key}@${i}`];
    if (p !== undefined) peaks.push(p);
  }
  return peaks;
}

/** Which of a slot's peaks, highest first, is its level: the median, the lower middle one when even. */
function levelRank(count: number): number {
  return Math.floor(count / 2);
}

/** What the slot forecasts from its peaks: their median, the lower middle one when even (see the top of this file). */
export function levelOf(peaks: readonly number[]): number {
  const sorted = [...peaks].sort((a, b) => b - a);
  return sorted[levelRank(sorted.length)] ?? 0;
}

/** What the profile says the load needs in the slot that starts within `leadMs` of now; undefined when it has not been seen. */
export function forecastDemand(memory: NodeMemory, policy: Policy, now: number, leadMs: number): Forecast | undefined {
  const profile = memory.demand;
  if (!profile) return undefined;
  const ahead = localClock(now + leadMs, policy.timezone, policy.holidays);
  const key = answeringKey(profile, ahead);
  const value = key === undefined ? undefined : profile[key];
  if (key === undefined || value === undefined) return undefined;
  const name = policy.holidayNames?.get(ahead.date);
  const day = policy.holidays.has(ahead.date) ? `${ahead.date} (holiday${name ? ` ${name}` : ''}, as Sunday)` : DAY_NAMES[ahead.weekday]!;
  const label = `${day} ${slotOf(ahead)}`;
  const days = peaksOf(profile, key).map((p) => Math.ceil(p));
  const basis = key.startsWith(`${ahead.weekday}:`) ? 'weekday' : 'day kind';
  return { nodes: Math.ceil(value), slot: label, basis, peaks: Math.max(1, days.length), days };
}

/** The key that answers for the slot `clock` falls in: that weekday's once trusted, else its kind of day's; undefined when neither was seen. */
function answeringKey(profile: Readonly<Record<string, number>>, clock: LocalClock): string | undefined {
  const slot = slotOf(clock);
  const weekday = `${clock.weekday}:${slot}`;
  if (profile[weekday] !== undefined && profile[`${weekday}@${WEEKDAY_TRUSTED_FROM - 1}`] !== undefined) return weekday;
  const kind = `${kindOf(clock.weekday)}:${slot}`;
  if (profile[kind] !== undefined) return kind;
  // Only a weekday's slot was kept (memory from before the kinds of day): better than nothing.
  return profile[weekday] !== undefined ? weekday : undefined;
}

/** What the profile learned for the slot `clock` falls in (answeringKey); undefined when nothing was seen. */
export function learnedAt(profile: Readonly<Record<string, number>>, clock: LocalClock): number | undefined {
  const key = answeringKey(profile, clock);
  return key === undefined ? undefined : profile[key];
}

/**
 * `the load needed 44 nodes in the quarter hour from Mon 07:30 (as learned for this kind of day: the
 * third highest of its last 5 days, which needed 44, 52, 41, 47 and 30 nodes, newest first)`: the days'
 * numbers are said, so a spike someone remembers is seen left out rather than forgotten.
 */
export function describeForecast(f: Forecast): string {
  const kind = f.basis === 'weekday' ? `this weekday` : `this kind of day`;
  const rank = f.peaks === 2 ? 'the lower' : ['the highest', 'the second highest', 'the third highest'][levelRank(f.peaks)]!;
  let rule = f.peaks >= 3 ? `${rank} of its last ${f.peaks} days` : `${rank} of ${plural(f.peaks, 'day')}`;
  if (f.days.length >= 2) rule += `, which needed ${f.days.slice(0, -1).join(', ')} and ${f.days.at(-1)!} nodes, newest first`;
  return `the load needed ${f.nodes} node${f.nodes === 1 ? '' : 's'} in the quarter hour from ${f.slot} (as learned for ${kind}: ${rule})`;
}
