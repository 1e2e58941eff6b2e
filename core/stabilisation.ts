// "Up fast, down slow": a scaler may go down only to the highest count it recommended during the
// whole stabilisation window (the HorizontalPodAutoscaler's rule). The history lives in memory.

import type { Recommendation } from './memory';

export interface Stabilised {
  history: Recommendation[];
  /** The highest recommendation in the window: the lowest count scale-down may reach now. */
  floor: number;
  /** False while the history does not yet reach back a whole window (first ticks, or after a gap in memory). */
  covered: boolean;
  /** Since when recommendations have been at most the current one, for reasons. */
  lowSince: number;
}

// The same recommendations come back tick after tick (the history is carried in memory), and
// parsing their times was most of this function's cost: each entry's time is kept beside it, and
// checked against its text, so an edited entry is parsed again. A memo of Date.parse, nothing more.
const parsed = new WeakMap<Recommendation, { at: string; ms: number }>();

function timeOf(r: Recommendation): number {
  if (typeof r !== 'object' || r === null) return Date.parse((r as Recommendation).at);
  const hit = parsed.get(r);
  if (hit !== undefined && hit.at === r.at) return hit.ms;
  const ms = Date.parse(r.at);
  parsed.set(r, { at: r.at, ms });
  return ms;
}

export function stabilise(previous: readonly Recommendation[], now: number, windowMs: number, value: number): Stabilised {
  const cutoff = now - windowMs;
  // Keep the window plus the newest entry before it: that entry proves the window is covered.
  const kept: Recommendation[] = [];
  const keptAt: number[] = [];
  let before: Recommendation | undefined;
  let beforeAt = NaN;
  for (const r of previous) {
    const at = timeOf(r);
    if (!Number.isFinite(at) || at > now) continue;
    if (at > cutoff) {
      kept.push(r);
      keptAt.push(at);
    } else if (!before || beforeAt <= at) {
      before = r;
      beforeAt = at;
    }
  }
  const history = before ? [before, ...kept] : kept;
  const historyAt = before ? [beforeAt, ...keptAt] : keptAt;
  const latest = { at: new Date(now).toISOString(), value };
  history.push(latest);
  historyAt.push(timeOf(latest));
  let floor = value;
  for (const r of kept) floor = Math.max(floor, r.value);
  if (before) floor = Math.max(floor, before.value);
  let lowSince = now;
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i]!;
    if (r.value > value) break;
    lowSince = historyAt[i]!;
  }
  return { history, floor, covered: windowMs === 0 || before !== undefined, lowSince };
}
