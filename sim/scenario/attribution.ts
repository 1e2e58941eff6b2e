// Where the node-hours went: every billed user node at every step is given to exactly one reason,
// in this order (each takes what is left of the step's billed nodes, up to its own count):
//   needed     the nodes the run's own pods need now at their requests (pods not terminating,
//              pending ones included), by the oracle's per-instant bound;
//   headroom   the policy's pods-per-node target above that (ceil(pods / targetPodsPerNode));
//   schedule   the schedule's minimum above both;
//   draining   cordoned nodes still billed (holding draining work, or stopping);
//   delay      nodes above the desired count that the desired count covered within the last
//              scale-down delay (unneeded, waiting out the stabilisation window);
//   early      nodes above the desired count that it reaches within the look-ahead (started before
//              they are needed);
//   other      what is left: idle above the desired count, not draining, past the delay — a
//              scale-down held back (drain slots taken, stop limits).
// The desired count is max(needed, policy target, schedule minimum), as the node scaler sizes the pool.
// The reasons sum to the billed nodes at every step, so to the run's user node-hours.

export const REASONS = ['needed', 'headroom', 'schedule', 'draining', 'delay', 'early', 'other'] as const;
export type Reason = (typeof REASONS)[number];
export type Attribution = Record<Reason, number>;

/** Per step: billed user nodes, what the pods need, the policy target, the schedule minimum, cordoned billed nodes. */
export interface StepRecord {
  billed: ArrayLike<number>;
  need: ArrayLike<number>;
  target: ArrayLike<number>;
  minimum: ArrayLike<number>;
  cordoned: ArrayLike<number>;
}

export interface AttributionOptions {
  /** Steps the desired count is remembered for (the scale-down delay). */
  delaySteps: number;
  /** Steps ahead a node above the desired count counts as started early. */
  lookaheadSteps: number;
}

/** The maximum of `values` over [i - before, i - 1] (before > 0) or [i + 1, i + after], for every i; -Infinity when empty. */
export function windowMax(values: ArrayLike<number>, from: number, to: number): Float64Array {
  // A monotonic deque over the window [i + from, i + to].
  const n = values.length;
  const out = new Float64Array(n).fill(-Infinity);
  const deque: number[] = [];
  let head = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + to);
    for (; next <= hi; next++) {
      while (deque.length > head && values[deque[deque.length - 1]!]! <= values[next]!) deque.pop();
      deque.push(next);
    }
    while (deque.length > head && deque[head]! < i + from) head++;
    if (deque.length > head && i + from <= hi) out[i] = values[deque[head]!]!;
  }
  return out;
}

/** Each step's billed nodes split by reason (see the top of this file). */
export function attributeSteps(record: StepRecord, options: AttributionOptions): Record<Reason, Int32Array> {
  const n = record.billed.length;
  const out = Object.fromEntries(REASONS.map((r) => [r, new Int32Array(n)])) as Record<Reason, Int32Array>;
  const desired = new Float64Array(n);
  for (let i = 0; i < n; i++) desired[i] = Math.max(record.need[i]!, record.target[i]!, record.minimum[i]!);
  const past = options.delaySteps > 0 ? windowMax(desired, -options.delaySteps, -1) : new Float64Array(n).fill(-Infinity);
  const future = options.lookaheadSteps > 0 ? windowMax(desired, 1, options.lookaheadSteps) : new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    let left = record.billed[i]!;
    const take = (reason: Reason, count: number) => {
      const k = Math.max(0, Math.min(left, count));
      out[reason][i] = k;
      left -= k;
    };
    const need = record.need[i]!;
    const target = Math.max(need, record.target[i]!);
    take('needed', need);
    take('headroom', target - need);
    take('schedule', record.minimum[i]! - target);
    take('draining', record.cordoned[i]!);
    take('delay', past[i]! - desired[i]!);
    take('early', future[i]! - desired[i]!);
    take('other', left);
  }
  return out;
}

/** The reasons' node-hours over the run. */
export function attributeHours(perStep: Record<Reason, Int32Array>, stepMs: number): Attribution {
  const hours = {} as Attribution;
  for (const reason of REASONS) {
    let sum = 0;
    for (const v of perStep[reason]) sum += v;
    hours[reason] = (sum * stepMs) / 3_600_000;
  }
  return hours;
}
