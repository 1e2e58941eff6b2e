// `npm start`'s progress: the simulated local time, the share done and the wall time left, as one
// status line redrawn on a terminal and as a plain line now and then elsewhere.

import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressLine, remainingMs } from '../../cli/progress-line';

const DAY = 86_400_000;
const START = Date.parse('2026-11-24T04:00:00+09:00');

function progress(tty: boolean, speed = 300) {
  let wall = 0;
  const written: string[] = [];
  const line = new ProgressLine({
    write: (t) => written.push(t),
    tty,
    start: START,
    end: START + 7 * DAY,
    speed,
    format: (at) => `T+${(at - START) / 3_600_000}h`,
    wallNow: () => wall,
    plainEveryMs: 60_000,
  });
  return { line, written, advance: (ms: number) => (wall += ms) };
}

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [12_400, '12s'],
    [245_000, '4m 05s'],
    [2_016_000, '33m 36s'],
    [3_720_000, '1h 02m'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('remainingMs', () => {
  it('at a set speed, is what is left at that speed while the run keeps up', () => {
    expect(remainingMs(0, 0, 7 * DAY, 300)).toBe((7 * DAY) / 300);
    expect(remainingMs(0.5, 1_008_000, 3.5 * DAY, 300)).toBe(1_008_000);
  });

  it('is longer when the run has fallen behind its speed', () => {
    expect(remainingMs(0.25, 1_000_000, 5.25 * DAY, 300)).toBe(3_000_000);
  });

  it('as fast as it runs, goes by the rate so far, once there is one', () => {
    expect(remainingMs(0, 0, 7 * DAY, Infinity)).toBeUndefined();
    expect(remainingMs(0.1, 1000, 6.3 * DAY, Infinity)).toBeUndefined();
    expect(remainingMs(0.2, 10_000, 5.6 * DAY, Infinity)).toBe(40_000);
  });
});

describe('ProgressLine', () => {
  it('on a terminal, redraws one status line in place and keeps it under the log lines', () => {
    const { line, written, advance } = progress(true);
    line.update(START + 3_600_000);
    expect(written).toEqual(['\r\x1b[KT+1h  1% of 7 day(s)  ETA 33m 24s']);
    line.line('T+1h  nodeScaler: start-node n1');
    expect(written[1]).toBe('\r\x1b[KT+1h  nodeScaler: start-node n1\nT+1h  1% of 7 day(s)  ETA 33m 24s');
    advance(12_000);
    line.update(START + 2 * 3_600_000);
    expect(written[2]).toBe('\r\x1b[KT+2h  1% of 7 day(s)  ETA 33m 12s');
    line.clear();
    expect(written[3]).toBe('\r\x1b[K');
  });

  it('elsewhere, writes a plain line a minute apart and leaves log lines alone', () => {
    const { line, written, advance } = progress(false);
    line.update(START + 3_600_000);
    line.line('a log line');
    expect(written).toEqual(['a log line\n']);
    advance(60_000);
    line.update(START + 5 * 3_600_000);
    expect(written[1]).toBe('progress: T+5h  3% of 7 day(s)  ETA 32m 36s\n');
    advance(30_000);
    line.update(START + 8 * 3_600_000);
    expect(written).toHaveLength(2);
  });
});
