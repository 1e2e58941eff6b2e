// The warm-up: graceful-scaler learns its demand profile over the days before the measured ones,
// and starts the measured run with it, as a scaler that has been running for a while does.

import { describe, expect, it } from 'vitest';
import { runSimulation, simPolicy } from '../../../sim/scenario/simulation';
import { gracefulScaler } from '../../../sim/scenario/strategies';
import { WARM_UP_SEED_OFFSET, warmUpTraffic } from '../../../sim/scenario/suite';
import { referenceTraffic } from '../../../sim/scenario/traffic';

describe('warm-up', () => {
  const policy = simPolicy();
  // Wednesday 25 November: the warm-up is Tuesday 24 (a workday; Monday 23 is a holiday).
  const wednesday = Date.parse('2026-11-25T00:00:00+09:00');
  const measured = () => referenceTraffic({ days: 1, seed: 1, timezone: policy.timezone, start: wednesday });

  it('learns the day before from other traffic of the same model, and the morning surge after it finds its nodes', async () => {
    const warmUp = warmUpTraffic({ start: wednesday }, 1, policy, 1);
    expect(warmUp.start).toBe(Date.parse('2026-11-24T00:00:00+09:00'));
    expect(warmUp.end).toBe(wednesday);
    // Another seed: not the measured day's traffic moved back a day.
    expect(Array.from(warmUp.mdmRps.slice(600, 720))).not.toEqual(Array.from(measured().mdmRps.slice(600, 720)));

    const learned = (await runSimulation({ traffic: warmUp, policy, strategy: gracefulScaler(), seed: 1 + WARM_UP_SEED_OFFSET }))
      .learnedDemand;
    // Tuesday's 07:30 quarter hour, as that weekday and as a workday; no slot left open.
    expect(learned['2:07:30']).toBeGreaterThan(10);
    expect(learned['work:07:30']).toBe(learned['2:07:30']);
    expect(Object.keys(learned).some((k) => k.startsWith('open:'))).toBe(false);

    const cold = await runSimulation({ traffic: measured(), policy, strategy: gracefulScaler(), seed: 1 });
    const warm = await runSimulation({ traffic: measured(), policy, strategy: gracefulScaler(), seed: 1, demandProfile: learned });
    // Cold, the 07:30 surge waits for VMs started when it came; warm, they were started ahead of it.
    // (A rise at 07:00 larger than Tuesday's waits in both: one day learned is not every day.)
    const surge = (r: typeof cold) => {
      const at = (Date.parse('2026-11-25T07:31:00+09:00') - r.series.start) / r.series.stepMs;
      return { pending: r.series.pending[at], nodes: r.series.billed[at] };
    };
    expect(surge(cold).pending).toBeGreaterThan(0);
    expect(surge(warm).pending).toBe(0);
    expect(surge(warm).nodes).toBeGreaterThan(surge(cold).nodes!);
    expect(warm.podMinutesPending).toBeLessThan(cold.podMinutesPending / 2);
    expect(warm.batchJobsInterrupted + warm.bgJobsInterrupted).toBe(0);
  }, 120_000);
});
