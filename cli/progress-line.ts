// `npm start`'s progress: where the simulated clock is (the policy zone's local time), how much of
// the run is done and when it will end. On a terminal it is one status line kept under the log,
// redrawn in place; into a file or a pipe it is a plain line every so often, so a log stays readable.

export interface ProgressOptions {
  write: (text: string) => void;
  /** A terminal: redraw one status line in place. */
  tty: boolean;
  /** The simulated run, epoch ms. */
  start: number;
  end: number;
  /** Simulated seconds per wall second; Infinity as fast as it runs. */
  speed: number;
  /** The policy zone's local time of a simulated instant. */
  format: (at: number) => string;
  /** Wall clock (ms); default performance.now. */
  wallNow?: () => number;
  /** Without a terminal, a line this often (wall ms); default a minute. */
  plainEveryMs?: number;
}

/** "4m 05s", "1h 02m", "12s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Wall time left: at a set speed, what is left of the simulated run at that speed, or longer when
 * the run has fallen behind (the rate so far says so); as fast as it runs, the rate so far alone.
 * Undefined until there is a rate to go by.
 */
export function remainingMs(fraction: number, elapsedWallMs: number, remainingSimMs: number, speed: number): number | undefined {
  const observed = fraction > 0 && elapsedWallMs >= 2000 ? (elapsedWallMs * (1 - fraction)) / fraction : undefined;
  if (!Number.isFinite(speed)) return observed;
  const paced = remainingSimMs / speed;
  return observed === undefined ? paced : Math.max(paced, observed);
}

export class ProgressLine {
  private readonly wallNow: () => number;
  private readonly wallStart: number;
  private shown = '';
  private lastPlain: number;

  constructor(private readonly options: ProgressOptions) {
    this.wallNow = options.wallNow ?? (() => performance.now());
    this.wallStart = this.wallNow();
    this.lastPlain = this.wallStart;
  }

  /** The status for simulated time `simNow`. */
  text(simNow: number): string {
    const { start, end, speed } = this.options;
    const fraction = Math.min(1, Math.max(0, (simNow - start) / Math.max(1, end - start)));
    const left = remainingMs(fraction, this.wallNow() - this.wallStart, end - simNow, speed);
    const days = Number(((end - start) / 86_400_000).toFixed(2));
    return `${this.options.format(simNow)}  ${(fraction * 100).toFixed(0)}% of ${days} day(s)  ETA ${left === undefined ? '…' : formatDuration(left)}`;
  }

  /** A log line: on a terminal, written above the status line. */
  line(text: string): void {
    if (this.options.tty && this.shown !== '') this.options.write(`\r\x1b[K${text}\n${this.shown}`);
    else this.options.write(`${text}\n`);
  }

  update(simNow: number): void {
    if (this.options.tty) {
      const text = this.text(simNow);
      if (text !== this.shown) this.options.write(`\r\x1b[K${text}`);
      this.shown = text;
      return;
    }
    const now = this.wallNow();
    if (now - this.lastPlain < (this.options.plainEveryMs ?? 60_000)) return;
    this.lastPlain = now;
    this.options.write(`progress: ${this.text(simNow)}\n`);
  }

  /** Takes the status line away (before a summary). */
  clear(): void {
    if (this.options.tty && this.shown !== '') this.options.write('\r\x1b[K');
    this.shown = '';
  }
}
