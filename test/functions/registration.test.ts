// What reaches the Functions host: read through a stand-in for the host's core API module, the one
// module only the real worker provides. Every HTTP route must be function-level, every schedule a
// valid six-field NCRONTAB expression, and no timer may run on startup.

import { beforeAll, describe, expect, it } from 'vitest';
import { parseNcrontab } from '../../functions/ncrontab';
import { registerFunctions, type Registered } from '../support/functions-host';

let registered: Registered[] = [];

beforeAll(async () => {
  registered = await registerFunctions();
});

const triggers = (type: string) =>
  registered.flatMap((r) =>
    Object.values(r.bindings)
      .filter((b) => b.type === type)
      .map((b): Record<string, unknown> & { name: string } => ({ ...b, name: r.name })),
  );

const isNcrontab = (expression: string): boolean => {
  try {
    parseNcrontab(expression);
    return true;
  } catch {
    return false;
  }
};

describe('registered functions', () => {
  it('registers the three timers and the HTTP API', () => {
    expect(registered.map((r) => r.name).sort()).toEqual([
      'audit',
      'dashboard',
      'dashboardData',
      'descheduler',
      'nodeScaler',
      'overrides',
      'plan',
      'run',
      'status',
      'workerScaler',
    ]);
  });

  it('never exposes an HTTP route anonymously', () => {
    const http = triggers('httpTrigger');
    expect(http).toHaveLength(7);
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
