// How long a tick may take and how it waits, with defaults for the Function timers. Every value is
// injectable (RunnerDeps.limits, RunnerDeps.timing): the tests and the fault soak shrink them and
// drive time themselves.

import { randomBytes } from 'node:crypto';

export interface TickLimits {
  /**
   * After this long (wall time since the tick took its Lease), no new action is started: the rest are recorded
   * as deferred and memory is still saved. Below the shortest timer period (the workers' 30 s), so a
   * tick never overlaps the next one of its timer.
   */
  deadlineMs: number;
  /**
   * The Lease's duration. A tick renews it as it goes (held-lease.ts), so it only needs to outlast the
   * longest call between two renewals (an ARM operation's 30 s bound); short, so that a crashed tick
   * holds the others up for less than one node-timer period.
   */
  leaseSeconds: number;
  /**
   * How long a tick waits for a Lease held by another tick before backing off: longer than the Lease
   * itself (leaseSeconds), so that a Lease left by a tick that crashed passes to the waiting tick
   * when it expires, within the same minute. With 10 s, a crash-restarted app whose workers tick
   * (every 30 s) crashed again held the node ticks off for minutes while a morning's pods waited. A
   * live holder's tick ends within its deadline, so the waiter then runs after it instead of skipping
   * a minute. The deadline counts from when the Lease was taken, not from the wait.
   */
  leaseWaitMs: number;
  /** Between two tries for the Lease (jittered). */
  leasePollMs: number;
  /** Saves of memory tried on optimistic-concurrency conflicts, each merged with what is stored. */
  memorySaveAttempts: number;
}

export const DEFAULT_TICK_LIMITS: TickLimits = {
  deadlineMs: 25_000,
  leaseSeconds: 40,
  leaseWaitMs: 45_000,
  leasePollMs: 500,
  memorySaveAttempts: 5,
};

/** Wall time, sleep, randomness and tick ids: real by default, a test's or the soak's when injected. */
export interface TickTiming {
  /** Monotonic milliseconds (not the clock the decisions use, which the simulator moves by minutes). */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Makes the per-tick part of the Lease holder identity. */
  tickId: () => string;
}

export const DEFAULT_TICK_TIMING: TickTiming = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  tickId: () => randomBytes(4).toString('hex'),
};
