// Bounded, jittered retries of transient failures, in one place: the Kubernetes adapters wrap every
// call in it, the runner uses its backoff between memory-save conflicts, the overrides endpoint between
// its write conflicts. A tick has a deadline, so nothing here waits for long: a few attempts, delays of
// at most a few seconds, a total budget, and a Retry-After longer than we are willing to wait is not
// waited out (the call fails and the next tick tries again).

/** How one call is retried. Every field has a default (DEFAULT_RETRY); the soak and tests tune them. */
export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Backoff before retry n (1-based) is random in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))] ("full jitter"). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the error is thrown at once. */
  maxRetryAfterMs: number;
  /** No retry starts once this long has passed since the first try (slow timeouts included). */
  budgetMs: number;
  /** Monotonic milliseconds, sleep and randomness: injected by tests and the soak. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Told about each retry (for logs and the soak's fault counts). */
  onRetry?: (info: { what: string; attempt: number; delayMs: number; reason: string }) => void;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 3_000,
  maxRetryAfterMs: 10_000,
  budgetMs: 20_000,
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Why a failure is worth another try, and how long the server asked us to wait (429/503 Retry-After). */
export interface Transient {
  reason: string;
  retryAfterMs?: number;
}

/** Says whether an error is transient; undefined means permanent (thrown at once). */
export type Classify = (err: unknown) => Transient | undefined;

/** The delay before retry `attempt` (1-based): full jitter, or the server's Retry-After plus a little. */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
  retryAfterMs?: number,
): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  // Jitter spreads the retries of runners that failed together, so they do not collide again.
  const jitter = Math.floor(options.random() * cap);
  return retryAfterMs !== undefined ? retryAfterMs + Math.floor(jitter / 4) : jitter;
}

/** Runs `call`, retrying what `classify` calls transient within the options' bounds. */
export async function withRetries<T>(
  what: string,
  call: () => Promise<T>,
  classify: Classify,
  options: Partial<RetryOptions> = {},
): Promise<T> {
  const o: RetryOptions = { ...DEFAULT_RETRY, ...options };
  const started = o.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const transient = classify(err);
      if (transient === undefined || attempt >= o.attempts) throw err;
      if (transient.retryAfterMs !== undefined && transient.retryAfterMs > o.maxRetryAfterMs) throw err;
      const delayMs = backoffDelay(attempt, o, transient.retryAfterMs);
      if (o.now() - started + delayMs > o.budgetMs) throw err;
      o.onRetry?.({ what, attempt, delayMs, reason: transient.reason });
      await o.sleep(delayMs);
    }
  }
}
