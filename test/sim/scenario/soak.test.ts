// The fault soak in CI: two simulated weeks of the reference traffic under 10 % request faults
// (Kubernetes API, ARM, queues), crashes in 5 % of ticks and the memory ConfigMap now and then
// deleted or hand-edited, with a fixed seed: no violation of any invariant, no pod pending longer than
// 4 minutes included.

import { describe, expect, it } from 'vitest';
import { main, parseSoakArgs } from '../../../cli/soak';
import { runSoak, soakReport } from '../../../sim/scenario/soak';

describe('the fault soak', () => {
  it('keeps every safety invariant over 14 simulated days with faults and crashes (seed 1)', async () => {
    const settings = { faults: 0.1, crashes: 0.05, seed: 1 };
    const result = await runSoak({ days: 14, ...settings });
    const report = soakReport(result, settings);
    expect(result.violations, report).toEqual([]);
    expect(result.maxPendingMinutes, report).toBeLessThanOrEqual(4);
    // It did meet what it is meant to survive.
    const kinds = new Set(result.faults.map((f) => f.kind));
    for (const kind of [
      'kube 500',
      'kube 429',
      'kube 409',
      'kube timeout',
      'kube reset',
      'kube lost-response',
      'arm error',
      'arm throttle',
      'arm lro-failed',
      'arm lro-hung',
      'arm lost-response',
      'queue 500',
      'crash',
      'memory garbage',
      'memory deleted',
    ]) {
      expect(kinds, `${kind} never injected\n${report}`).toContain(kind);
    }
    expect(result.restarts).toBeGreaterThan(1000);
  }, 300_000);

  it('reads its flags, and refuses bad ones with exit status 2', async () => {
    expect(parseSoakArgs(['--days', '3', '--faults', '0.2', '--crashes', '0', '--seed', '7'])).toEqual({
      days: 3,
      faults: 0.2,
      crashes: 0,
      seed: 7,
    });
    expect(parseSoakArgs([])).toEqual({ days: 14, faults: 0.1, crashes: 0.05, seed: 1 });
    const err: string[] = [];
    expect(await main(['--faults', '2'], { stdout: () => {}, stderr: (t) => err.push(t) })).toBe(2);
    expect(err.join('')).toContain('--faults: expected a probability from 0 to 1, got "2"');
  });
});
