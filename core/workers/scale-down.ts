// Down slow, and gently. Workers are removed only when every rule agrees, checked in this order:
// 1. the scale-down delay: the lower need held for the whole delay (the highest need in it is the floor);
// 2. idle workers only: the need is at least the busy workers (busy-annotated pods), which stay until idle;
// 3. the dead band: the replicas exceed the need by more than `scaleDownMargin` of it, and go down to
//    the need plus that margin, so the jobs that come next find idle workers;
// 4. the interval: no scale-down within `scaleDownInterval` of the last change of replicas.
// Why: BG jobs run from under a second to over ten hours, so the queue's depth / jobsPerWorker falls
// far below the workers still busy with long jobs. Going down to it sent SIGTERM to busy workers
// (which kept working while terminating, beyond the maximum), and left no idle worker for the next
// job, whose wait past maxQueueDelay added workers again a few minutes later: hundreds of changes a day.
//
// A lowered maximum (schedule window, override) is a ceiling a person asked for: it is enforced at
// once, idle workers first, and busy ones above it get SIGTERM to finish their job within their grace.

import type { Bounds } from '../bounds';
import type { SkipRule } from '../decision';
import { formatDuration } from '../duration';
import type { WorkerPolicy } from '../policy';
import type { Stabilised } from '../stabilisation';
import type { WorkerPods } from './idle-first';

export type ScaleDownHold = Extract<SkipRule, 'not-needed-long-enough' | 'workers-busy' | 'within-dead-band' | 'scale-down-interval'>;

export type ScaleDownVerdict = { scale: true; to: number; reason: string } | { scale: false; rule: ScaleDownHold; reason: string };

export interface ScaleDownInput {
  worker: WorkerPolicy;
  now: number;
  current: number;
  /** "desired N workers: …" */
  why: string;
  stab: Stabilised;
  bounds: Bounds;
  pods: WorkerPods;
  /** When this scaler last changed the replicas (memory). */
  lastScale: number | undefined;
}

/** The dead band above a need: idle workers kept for the jobs that come next (none above a need of 0). */
export function scaleDownMargin(worker: WorkerPolicy, need: number): number {
  return Math.ceil((need * worker.scaleDownMarginPercent) / 100);
}

/** The need below which no worker goes, the dead band above it, and both in words. */
interface Band {
  need: number;
  keep: number;
  text: string;
}

function bandOf(worker: WorkerPolicy, stab: Stabilised, busy: number): Band {
  const delay = formatDuration(worker.scaleDownDelayMs);
  const need = Math.max(stab.floor, busy);
  const margin = scaleDownMargin(worker, need);
  const needText =
    busy > stab.floor
      ? `${need} busy (only idle workers are removed; the highest need in the ${delay} delay was ${stab.floor})`
      : `${need}, the highest in the ${delay} scale-down delay`;
  return {
    need,
    keep: need + margin,
    text: `need ${needText} + dead band ${margin} (scaleDownMargin ${worker.scaleDownMarginPercent}% of ${need}) = ${need + margin}`,
  };
}

export function considerScaleDown(input: ScaleDownInput): ScaleDownVerdict {
  const { worker, now, current, why, stab, bounds, pods } = input;
  const delay = formatDuration(worker.scaleDownDelayMs);
  const busy = pods.signal ? pods.busy.length : 0;
  const busyNote = pods.signal ? `; ${busy} of ${current} busy, idle ones go first` : '';
  const band = bandOf(worker, stab, busy);
  if (current > bounds.max) {
    // Down to the ceiling at once; below it only as far as the usual rules would go (never on a
    // history that does not cover the delay), so no busy worker under the ceiling is signalled.
    const to = stab.covered ? Math.min(bounds.max, band.keep) : bounds.max;
    const below = to < bounds.max ? `, and below it to ${band.text}` : '';
    const signalled = Math.max(0, busy - to);
    const sigterm = signalled > 0 ? `; ${signalled} busy workers above it get SIGTERM and finish their job within their grace period` : '';
    return { scale: true, to, reason: `${current} → ${to}: ${why}, above the maximum ${bounds.max}${below}${busyNote}${sigterm}` };
  }
  const hold = (rule: ScaleDownHold, text: string): ScaleDownVerdict => ({
    scale: false,
    rule,
    reason: `${current} workers, ${why}; ${text}`,
  });
  if (!stab.covered) {
    // First ticks after a start or after memory was lost: never scale down on assumption.
    const observed = now - Date.parse(stab.history[0]?.at ?? new Date(now).toISOString());
    return hold(
      'not-needed-long-enough',
      `observed for only ${formatDuration(observed)} of the ${delay} scale-down delay: not scaling down before the whole delay has been seen`,
    );
  }
  if (stab.floor >= current) {
    return hold(
      'not-needed-long-enough',
      `lower for ${formatDuration(now - stab.lowSince)} of the ${delay} scale-down delay, but ${stab.floor} were needed within it`,
    );
  }
  if (band.need >= current)
    return hold('workers-busy', `all ${current} are busy: only idle workers are removed, busy ones stay until idle`);
  if (current <= band.keep) return hold('within-dead-band', `${band.text}: not above the dead band, no scale-down`);
  const since = input.lastScale === undefined ? Infinity : now - input.lastScale;
  const interval = formatDuration(worker.scaleDownIntervalMs);
  if (since < worker.scaleDownIntervalMs) {
    return hold(
      'scale-down-interval',
      `${band.text}, but replicas last changed ${formatDuration(since)} ago: at most one scale-down per ${interval} (scaleDownInterval)`,
    );
  }
  const to = band.keep;
  const removing = pods.signal ? `removing ${current - to} of ${current - busy} idle` : `removing ${current - to}`;
  const last = since === Infinity ? '' : `, last change ${formatDuration(since)} ago (scaleDownInterval ${interval})`;
  return { scale: true, to, reason: `${current} → ${to}: ${why}; ${band.text}; ${removing}${last}${busyNote}` };
}
