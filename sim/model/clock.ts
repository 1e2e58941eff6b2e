// Simulated time: the model never reads the real clock. Time moves only when a test or the
// simulator calls `advance`, and everything that "takes a while" (a grace period, a VM boot) is a
// happening scheduled on the timeline at a simulated instant.

import { MinHeap } from './heap';

interface Scheduled {
  at: number;
  /** Insertion order: happenings due at the same instant run in the order they were scheduled. */
  seq: number;
  run: () => void;
}

export class Timeline {
  private readonly heap = new MinHeap<Scheduled>((a, b) => (a.at === b.at ? a.seq < b.seq : a.at < b.at));
  private seq = 0;
  private current: number;

  constructor(start: number) {
    this.current = start;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.current;
  }

  /** Runs `run` when simulated time reaches `at` (at once on the next step if `at` is not later than now). */
  schedule(at: number, run: () => void): void {
    this.heap.push({ at: Math.max(at, this.current), seq: this.seq++, run });
  }

  /** When the next happening is due, or undefined when nothing is scheduled. */
  nextDue(): number | undefined {
    return this.heap.peek()?.at;
  }

  /** Moves the clock to `at` (never backwards) and runs every happening due by then, in order. */
  runUntil(at: number): void {
    for (;;) {
      const next = this.heap.peek();
      if (next === undefined || next.at > at) break;
      this.heap.pop();
      this.current = Math.max(this.current, next.at);
      next.run();
    }
    this.current = Math.max(this.current, at);
  }

  get pending(): number {
    return this.heap.size;
  }
}

// Controllers stamp thousands of objects within one simulated second: remember the last one.
let lastSecond = Number.NaN;
let lastText = '';

/** `2026-11-01T00:00:00Z`: how the API server prints a metav1.Time (whole seconds, UTC). */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** `2026-11-01T00:00:00.000000Z`: a metav1.MicroTime (RFC3339Micro, exactly six fractional digits). */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

// Go's time.Parse with the RFC3339Micro layout `2006-01-02T15:04:05.000000Z07:00`: the fraction must
// have exactly six digits, so a JavaScript Date's `…12.160Z` is refused (the client-node pitfall).
const RFC3339_MICRO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})(Z|[+-]\d{2}:\d{2})$/;
// metav1.Time accepts RFC 3339 with any (or no) fraction.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an RFC3339Micro value, or undefined when it is not one. */
export function parseMicroTime(text: string): number | undefined {
  if (!RFC3339_MICRO.test(text)) return undefined;
  const ms = Date.parse(text.replace(/(\.\d{3})\d{3}/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch ms of an RFC 3339 time, or undefined when it is not one. */
export function parseTime(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
