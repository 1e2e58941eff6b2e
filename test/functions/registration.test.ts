// What reaches the Functions host: read through a stand-in for the host's core API module, the one
// module only the real worker provides. Every HTTP route must be function-level, every schedule a
// valid six-field NCRONTAB expression, and no timer may run on startup.

import { beforeAll, describe, expect, it } from 'vitest';
import { registerFunctions, type Registered } from '../support/functions-host';

let registered: Registered[] = [];

beforeAll(async () => {
  registered = await registerFunctions();
});

const triggers = (type: string) =>
  registered.flatMap((r) => Object.values(r.bindings).filter((b) => b.type === type).map((b): Record<string, unknown> & { name: string } => ({ ...b, name: r.name })));

/** Six fields; each a number, a range, a list, a step or `*`, within the field's bounds. */
function isNcrontab(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) return false;
  const bounds: [number, number][] = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
  return fields.every((field, i) =>
    field.split(',').every((part) => {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return false;
      const [lo, hi] = bounds[i]!;
      const nums = [m[2], m[3], m[4]].filter((x): x is string => x !== undefined).map(Number);
      return nums.every((n, k) => (k === 2 || (m[4] !== undefined && k === nums.length - 1) ? n >= 1 : n >= lo && n <= hi));
    }),
  );
}

describe('registered functions', () => {
  it('registers the three timers and the HTTP API', () => {
    expect(registered.map((r) => r.name).sort()).toEqual(['descheduler', 'nodeScaler', 'overrides', 'plan', 'run', 'status', 'workerScaler']);
  });

  it('never exposes an HTTP route anonymously', () => {
    const http = triggers('httpTrigger');
    expect(http).toHaveLength(4);
    for (const t of http) expect(t.authLevel, t.name).toBe('function');
  });

  it('uses valid six-field NCRONTAB schedules and never runs on startup', () => {
    const timers = triggers('timerTrigger');
    expect(Object.fromEntries(timers.map((t) => [t.name, t.schedule]))).toEqual({
      nodeScaler: '0 */1 * * * *',
      workerScaler: '*/30 * * * * *',
      descheduler: '0 */10 * * * *',
    });
    for (const t of timers) {
      expect(isNcrontab(String(t.schedule)), String(t.schedule)).toBe(true);
      expect(t.runOnStartup).toBe(false);
    }
  });

  it.each([
    ['0 */5 * * * *', true],
    ['*/30 * * * * *', true],
    ['0 0 7 * * 1-5', true],
    ['*/5 * * * *', false],
    ['0 61 * * * *', false],
    ['every minute', false],
  ])('recognises %s as %s', (expression, valid) => {
    expect(isNcrontab(expression)).toBe(valid);
  });
});
