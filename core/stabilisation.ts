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

export function stabilise(
  previous: readonly Recommendation[],
  now: number,
  windowMs: number,
  value: number,
): Stabilised {
  const cutoff = now - windowMs;
  // Keep the window plus the newest entry before it: that entry proves the window is covered.
  const kept: Recommendation[] = [];
  let before: Recommendation | undefined;
  for (const r of previous) {
    const at = Date.parse(r.at);
    if (!Number.isFinite(at) || at > now) continue;
    if (at > cutoff) kept.push(r);
    else if (!before || Date.parse(before.at) <= at) before = r;
  }
  const history = before ? [before, ...kept] : kept;
  history.push({ at: new Date(now).toISOString(), value });
  let floor = value;
  for (const r of kept) floor = Math.max(floor, r.value);
  if (before) floor = Math.max(floor, before.value);
  let lowSince = now;
  for (let i = history.length - 1; i >= 0; i--) {
    const r = history[i]!;
    if (r.value > value) break;
    lowSince = Date.parse(r.at);
  }
  return { history, floor, covered: windowMs === 0 || before !== undefined, lowSince };
}
