// The effective minimum and maximum of a scaler: policy, then the schedule windows active now, then
// overrides. One pure step shared by the node and worker planners, so invariant 4 (never cross the
// effective bounds) has a single definition.

import type { Override } from './memory';
import { describeOverride } from './overrides';

export interface WindowBound {
  label: string;
  min: number | undefined;
  max: number | undefined;
}

export interface Bounds {
  min: number;
  max: number;
  paused: boolean;
  pinned: number | undefined;
  /** Each step that moved a bound, in words. */
  because: string[];
}

export function effectiveBounds(
  policyMin: number,
  policyMax: number,
  windows: readonly WindowBound[],
  overrides: readonly Override[],
): Bounds {
  let min = policyMin;
  let max = policyMax;
  const because = [`policy ${policyMin}..${policyMax}`];
  for (const w of windows) {
    if (w.min !== undefined && w.min > min) {
      min = Math.min(w.min, max);
      because.push(`window ${w.label} raises the minimum to ${min}`);
    }
    if (w.max !== undefined && w.max < max) {
      max = Math.max(w.max, min);
      because.push(`window ${w.label} lowers the maximum to ${max}`);
    }
  }
  let paused = false;
  let pinned: number | undefined;
  for (const o of overrides) {
    if (o.mode === 'pause') {
      paused = true;
      because.push(describeOverride(o));
    } else if (o.mode === 'pin' && o.count !== undefined) {
      // A pin is a person's exact count; only the policy's hard ceiling still applies (cost guard).
      pinned = Math.max(0, Math.min(o.count, policyMax));
      min = pinned;
      max = pinned;
      because.push(`${describeOverride(o)} sets ${pinned}`);
    } else if (o.mode === 'bounds' && pinned === undefined) {
      if (o.max !== undefined) max = Math.max(0, Math.min(max, o.max));
      if (o.min !== undefined) min = Math.max(min, Math.min(o.min, policyMax));
      if (min > max) min = max;
      because.push(`${describeOverride(o)} narrows to ${min}..${max}`);
    }
  }
  return { min, max, paused, pinned, because };
}
