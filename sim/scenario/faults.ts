// Faults and crashes as a test tool: seeded, so a soak that finds something replays exactly. The
// simulation drives the runner through in-process ports, not HTTP, so the faults are injected at the
// ports: each call may get what a real API server, network or Storage account gives (500, 429 with
// Retry-After, 409, a timeout, a reset connection, a write applied but its answer lost), shaped as the
// adapters' clients see them, and goes through the same bounded retries (runner/retry.ts with the
// Kubernetes adapter's classification) the production clients wrap every call in. The ARM side is in
// vm-faults.ts.
//
// Time: retries, timeouts and Lease waits move the app's own wall clock (VirtualWall), never the
// cluster's: a tick takes no simulated time, but a slow one still runs into its deadline.
//
// Crashes: a tick may be killed after any of its calls. From then on this incarnation's every call
// throws CrashError (nothing it would still do reaches the cluster: no action, no memory save, no
// Lease release), and the soak starts a fresh runner for the next tick.

import { RequestTimeoutError } from '../../adapters/kubernetes/http-timeout';
import { transientKubeError } from '../../adapters/kubernetes/clients';
import { withRetries, type RetryOptions } from '../../runner/retry';
import { SeededRandom } from '../model/random';

export type KubeFault = '500' | '429' | '409' | 'timeout' | 'reset' | 'lost-response';

/** The faults a read may get; a write may also conflict (409) or lose its answer after being applied. */
export const READ_FAULTS: readonly KubeFault[] = ['500', '429', 'timeout', 'reset'];
export const WRITE_FAULTS: readonly KubeFault[] = ['500', '429', '409', 'timeout', 'reset', 'lost-response'];
/** An eviction's 429 is a PDB's answer, not a fault; the model gives those itself. */
export const EVICT_FAULTS: readonly KubeFault[] = ['500', 'timeout', 'reset', 'lost-response'];

/** The limit of one Kubernetes request (adapters/kubernetes/http-timeout.ts's default): what a timeout costs. */
export const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The app's wall time: what its sleeps and timeouts spend. Calls made side by side (the runner sends
 * VM operations a few at a time) wait side by side, as on a real clock: each sleep is woken in the
 * order of its end once everything runnable has run, and the time moves to that end. So two
 * concurrent 30 s timeouts cost 30 s, not 60.
 */
export class VirtualWall {
  private t = 0;
  private seq = 0;
  private readonly sleepers: { at: number; seq: number; wake: () => void }[] = [];
  private scheduled = false;
  readonly now = (): number => this.t;
  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((wake) => {
      this.sleepers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake });
      this.schedule();
    });

  private schedule(): void {
    if (this.scheduled || this.sleepers.length === 0) return;
    this.scheduled = true;
    // After the microtasks: every call still running side by side has reached its own sleep or ended.
    setImmediate(this.wakeNext);
  }

  private readonly wakeNext = (): void => {
    this.scheduled = false;
    let first = 0;
    for (let k = 1; k < this.sleepers.length; k++) {
      const a = this.sleepers[k]!;
      const b = this.sleepers[first]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) first = k;
    }
    const [sleeper] = this.sleepers.splice(first, 1);
    this.t = Math.max(this.t, sleeper!.at);
    sleeper!.wake();
    this.schedule();
  };
}

/** Thrown by every call of an incarnation after it was killed. */
export class CrashError extends Error {
  constructor(what: string) {
    super(`the app was killed before: ${what}`);
    this.name = 'CrashError';
  }
}

/** Counts by kind, with the first example of each, in the order first seen. */
export class Tally {
  readonly kinds = new Map<string, { count: number; first: string }>();

  add(kind: string, example: string): void {
    const entry = this.kinds.get(kind);
    if (entry) entry.count++;
    else this.kinds.set(kind, { count: 1, first: example });
  }

  total(): number {
    let n = 0;
    for (const { count } of this.kinds.values()) n += count;
    return n;
  }

  rows(): { kind: string; count: number; first: string }[] {
    return [...this.kinds].map(([kind, e]) => ({ kind, ...e }));
  }
}

/** An error as the Kubernetes client throws it for an error answer (transientKubeError reads `status` and `headers`). */
export function statusError(status: number, what: string, retryAfterSeconds?: number): Error {
  return Object.assign(new Error(`${what}: HTTP ${status} (injected)`), {
    status,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  });
}

export function statusOfError(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function resetError(what: string): Error {
  return Object.assign(new Error(`${what}: socket hang up (injected)`), { code: 'ECONNRESET' });
}

export interface FaultSettings {
  seed: number;
  /** Probability that one request (each retry too) goes wrong. */
  rate: number;
  /** Probability that a tick is killed, after a random one of its calls. */
  crashRate: number;
}

/** The seeded source of every fault and crash, and their counts. */
export class Faults {
  readonly random: SeededRandom;
  readonly wall = new VirtualWall();
  readonly tally = new Tally();
  readonly retries: Partial<RetryOptions>;
  /** Calls left before this incarnation is killed; undefined: it lives through the tick. */
  private callsLeft: number | undefined;
  private dead = false;

  constructor(readonly settings: FaultSettings) {
    this.random = new SeededRandom(settings.seed ^ 0x5eed);
    this.retries = { now: this.wall.now, sleep: this.wall.sleep, random: () => this.random.next() };
  }

  /** A tick begins: decides whether, and after how many calls, it is killed. */
  beginTick(): void {
    this.dead = false;
    // A tick makes a handful of calls (Lease, memory, reads, re-checks, actions, save, release).
    this.callsLeft = this.random.next() < this.settings.crashRate ? 1 + this.random.int(12) : undefined;
  }

  /** True once the current incarnation was killed: the next tick needs a fresh runner. */
  get crashed(): boolean {
    return this.dead;
  }

  /** Before each call is sent: throws once the app is dead, and kills it when its time has come. */
  gate(what: string): void {
    if (this.dead) throw new CrashError(what);
    if (this.callsLeft === undefined) return;
    if (--this.callsLeft > 0) return;
    this.dead = true;
    this.tally.add('crash', `killed before: ${what}`);
    throw new CrashError(what);
  }

  /** Which fault, if any, this request gets. */
  roll<K extends string>(kinds: readonly K[]): K | undefined {
    if (kinds.length === 0 || this.random.next() >= this.settings.rate) return undefined;
    return kinds[this.random.int(kinds.length)];
  }

  /**
   * One Kubernetes API call as the adapters make it (Clients.call): each attempt may get a fault,
   * transient ones are retried with the adapters' classification and bounds.
   */
  kube<T>(what: string, kinds: readonly KubeFault[], call: () => Promise<T>): Promise<T> {
    return withRetries(
      what,
      async () => {
        this.gate(what);
        const fault = this.roll(kinds);
        if (fault !== undefined) this.tally.add(`kube ${fault}`, what);
        switch (fault) {
          case undefined:
            return call();
          case '500':
            throw statusError(500, what);
          case '429':
            throw statusError(429, what, 1 + this.random.int(3));
          case '409':
            throw statusError(409, what);
          case 'timeout':
            await this.wall.sleep(REQUEST_TIMEOUT_MS);
            throw new RequestTimeoutError('PUT', `http://sim.invalid/${what.replace(/[^a-z0-9-]+/gi, '/')}`, REQUEST_TIMEOUT_MS);
          case 'reset':
            throw resetError(what);
          case 'lost-response':
            await call();
            throw resetError(what);
        }
      },
      transientKubeError,
      this.retries,
    );
  }
}
