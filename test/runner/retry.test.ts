// The one retry helper: which failures it retries, how long it waits, and where it stops.

import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetries, type RetryOptions, type Transient } from '../../runner/retry';

class Failure extends Error {
  constructor(readonly transient: Transient | undefined) {
    super(transient ? `transient ${transient.reason}` : 'permanent');
  }
}
const classify = (err: unknown) => (err instanceof Failure ? err.transient : undefined);

/** Fake time: sleeping moves it on, nothing really waits. */
function fakeTime(extra: Partial<RetryOptions> = {}) {
  let now = 0;
  const slept: number[] = [];
  const options: Partial<RetryOptions> = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
    ...extra,
  };
  return { options, slept, advance: (ms: number) => (now += ms) };
}

function failing(...failures: (Transient | undefined)[]) {
  let calls = 0;
  const call = async () => {
    const f = failures[calls++];
    if (calls <= failures.length) throw new Failure(f);
    return 'ok';
  };
  return { call, calls: () => calls };
}

describe('withRetries', () => {
  it('retries transient failures with growing, jittered delays, then succeeds', async () => {
    const t = fakeTime();
    const f = failing({ reason: 'HTTP 503' }, { reason: 'ECONNRESET' }, { reason: 'timeout' });
    expect(await withRetries('read', f.call, classify, t.options)).toBe('ok');
    expect(f.calls()).toBe(4);
    // Half of 250, 500, 1000 ms (random 0.5): full jitter under a doubling cap.
    expect(t.slept).toEqual([125, 250, 500]);
  });

  it('throws a permanent failure at once', async () => {
    const t = fakeTime();
    const f = failing(undefined);
    await expect(withRetries('read', f.call, classify, t.options)).rejects.toThrow('permanent');
    expect(f.calls()).toBe(1);
    expect(t.slept).toEqual([]);
  });

  it('gives up after its attempts, with the last error', async () => {
    const t = fakeTime({ attempts: 3 });
    const f = failing({ reason: 'a' }, { reason: 'b' }, { reason: 'c' }, { reason: 'd' });
    await expect(withRetries('read', f.call, classify, t.options)).rejects.toThrow('transient c');
    expect(f.calls()).toBe(3);
  });

  it('waits out a Retry-After it can afford, and not one it cannot', async () => {
    const t = fakeTime();
    const f = failing({ reason: 'HTTP 429', retryAfterMs: 2_000 });
    expect(await withRetries('read', f.call, classify, t.options)).toBe('ok');
    expect(t.slept[0]).toBeGreaterThanOrEqual(2_000);
    expect(t.slept[0]).toBeLessThan(2_100);

    const long = fakeTime({ maxRetryAfterMs: 5_000 });
    const g = failing({ reason: 'HTTP 429', retryAfterMs: 60_000 });
    await expect(withRetries('read', g.call, classify, long.options)).rejects.toThrow('transient HTTP 429');
    expect(long.slept).toEqual([]);
  });

  it('starts no retry past its budget (slow timeouts count)', async () => {
    const t = fakeTime({ budgetMs: 10_000 });
    let calls = 0;
    const call = async () => {
      calls++;
      t.advance(6_000); // each try times out after 6 s
      throw new Failure({ reason: 'timeout' });
    };
    await expect(withRetries('read', call, classify, t.options)).rejects.toThrow('timeout');
    expect(calls).toBe(2);
  });

  it('reports each retry', async () => {
    const seen: string[] = [];
    const t = fakeTime({ onRetry: (r) => seen.push(`${r.what} #${r.attempt} ${r.reason}`) });
    await withRetries('list pods', failing({ reason: 'HTTP 500' }).call, classify, t.options);
    expect(seen).toEqual(['list pods #1 HTTP 500']);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, cap] and the cap stops growing at maxDelayMs', () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1_000 };
    for (let attempt = 1; attempt < 10; attempt++) {
      const cap = Math.min(1_000, 100 * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, { ...o, random: () => 0 })).toBe(0);
      expect(backoffDelay(attempt, { ...o, random: () => 0.999 })).toBeLessThanOrEqual(cap);
    }
  });
});
