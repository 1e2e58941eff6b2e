// `npm start` as a person runs it: the header in the policy's local time, the progress, and Ctrl-C
// printing the summary so far with exit status 0. (CI runs `--days 1 --speed max --port 0 --exit`.)

import { describe, expect, it } from 'vitest';
import { live } from '../../cli/live';

describe('npm start', () => {
  it('opens on an ordinary Tuesday night in local time, and Ctrl-C prints the summary so far and exits 0', async () => {
    let out = '';
    let err = '';
    let interrupt!: () => void;
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    const code = await live(
      ['--speed', 'max', '--port', '0', '--days', '2'],
      (t) => {
        out += t;
        // Ctrl-C once the morning has started.
        if (out.includes('07:00 Asia/Tokyo  user pool')) interrupt();
      },
      (t) => void (err += t),
      { tty: false, interrupted, progressEveryMs: 0 },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const [header] = out.split('\n');
    expect(header).toContain('2 day(s) from Tue 2026-11-24 04:00 Asia/Tokyo, as fast as it runs, policy built-in');
    expect(header).not.toMatch(/\dZ\b|T\d\d:\d\d/);
    expect(out).toMatch(/^Tue 2026-11-24 04:00 Asia\/Tokyo {2}user pool: 2 running/m);
    expect(out).toMatch(/^progress: Tue 2026-11-24 0\d:\d\d Asia\/Tokyo {2}\d+% of 2 day\(s\) {2}ETA /m);
    expect(out).toMatch(/stopped at Tue 2026-11-24 0[78]:\d\d Asia\/Tokyo; the summary so far:\n\d+h \d\dm simulated\n/);
    expect(out).toMatch(/graceful-scaler \(live\) +\d+ +\d+/);
    expect(out).toMatch(/cost at the policy's prices: JPY [\d,]+ \(VMs JPY [\d,]+, stopped disks JPY [\d,]+\)/);
    expect(out).not.toContain('simulation over');
  }, 60_000);

  it('with --exit, runs the days out and prints the summary', async () => {
    let out = '';
    const code = await live(
      ['--speed', 'max', '--port', '0', '--days', '1', '--exit'],
      (t) => void (out += t),
      () => {},
      { tty: false },
    );
    expect(code).toBe(0);
    expect(out).toMatch(/simulation over:\n1 day\(s\) simulated\n/);
    expect(out).toMatch(/^Wed 2026-11-25 03:00 Asia\/Tokyo {2}user pool/m);
  }, 90_000);
});
