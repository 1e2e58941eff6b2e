// The samples the report plots per strategy (pending pods, BG waits, evictions and interruptions so
// far), and a run stopped part-way (Ctrl-C on `npm start`) measured over the steps it did.

import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../adapters/policy-file';
import { runSimulation, SIM_POLICY_YAML } from '../../../sim/scenario/simulation';
import { gracefulScaler, manualRoutine } from '../../../sim/scenario/strategies';
import { referenceTraffic } from '../../../sim/scenario/traffic';

const TUESDAY = Date.parse('2026-11-24T00:00:00+09:00');
const policy = parsePolicyText(SIM_POLICY_YAML.replace('maxNodes: 60', 'maxNodes: 16'), 'test policy');
const traffic = (days: number) => referenceTraffic({ start: TUESDAY, days, seed: 1, peakRps: 120, jobsPerHour: 80 });

describe('the report samples', () => {
  it("count evictions and interrupted jobs as they happen, and each interval's longest BG wait", async () => {
    const r = await runSimulation({ traffic: traffic(1), policy, strategy: manualRoutine(), seed: 1 });
    const evictions = r.samples.map((s) => s.evictions);
    const interrupted = r.samples.map((s) => s.jobsInterrupted);
    for (const series of [evictions, interrupted]) expect(series).toEqual([...series].sort((a, b) => a - b));
    // The nightly drain at 21:00 evicts and interrupts: nothing before it, something after.
    const nine = r.samples.findIndex((s) => s.at >= TUESDAY + 21 * 3_600_000);
    expect(evictions[nine - 1]).toBe(0);
    expect(evictions.at(-1)).toBeGreaterThan(0);
    expect(evictions.at(-1)).toBeLessThanOrEqual(r.evictions);
    expect(interrupted.at(-1)).toBeGreaterThan(0);
    expect(interrupted.at(-1)).toBeLessThanOrEqual(r.bgJobsInterrupted + r.batchJobsInterrupted);
    const longest = Math.max(...r.samples.map((s) => s.bgWaitMaxSeconds));
    expect(longest).toBeGreaterThanOrEqual(r.bgWaitP95Seconds);
  }, 30_000);

  it('measures a run stopped part-way over the steps it did', async () => {
    let steps = 0;
    const r = await runSimulation({
      traffic: traffic(1),
      policy,
      strategy: gracefulScaler(),
      seed: 1,
      stopped: () => ++steps > 6 * 120, // six hours of 30 s steps
    });
    expect(r.days).toBe(0.25);
    expect(r.samples.length).toBe(36);
    expect(r.oracle.nodes.length).toBe(36);
    expect(r.series.billed.length).toBe(720);
    const attributed = Object.values(r.attribution).reduce((a, b) => a + b, 0);
    expect(attributed).toBeCloseTo(r.userNodeHours, 6);
    expect(r.userNodeHours).toBeLessThanOrEqual(6 * 16);
  }, 30_000);
});
