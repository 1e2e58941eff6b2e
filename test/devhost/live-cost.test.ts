// The status page's cost over its history agrees with the simulation's own measure of the same run:
// the page integrates the node scaler's one-minute samples read back from the status store, the
// simulation counts every VM at every 30-second step, and both price VM-hours with core/cost.ts.

import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardData } from '../../page/model';
import { startLive, type Live } from '../../devhost/live';
import { simPolicy } from '../../sim/scenario/simulation';
import { referenceTraffic } from '../../sim/scenario/traffic';
import { costOf } from '../../sim/scenario/money';

const HOUR = 3_600_000;
let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

describe("the status page's cost in live mode", () => {
  it("matches the simulation's cost of the same hours within 1%", async () => {
    const policy = simPolicy();
    const traffic = referenceTraffic({ days: 1, seed: 3, timezone: policy.timezone });
    live = await startLive({ traffic, policy, seed: 3, speed: Infinity, port: 0, print: () => {} });
    // Eleven hours: under the 720 samples the history keeps, so the page's window is the whole run.
    while (live.now() < traffic.start + 11 * HOUR) await new Promise((r) => setTimeout(r, 100));
    const result = await live.stop();
    const data = (await (await fetch(`${live.url}/api/dashboard/data`)).json()) as DashboardData;
    if (!data.cost.priced || !result) throw new Error('expected prices and a finished run');
    expect(data.cost.window).toMatchObject({ from: new Date(traffic.start).toISOString(), gapHours: 0 });
    const simulated = costOf(result.poolHours, policy.nodes!.cost!);
    expect(Math.abs(data.cost.window!.amount - simulated.total) / simulated.total).toBeLessThan(0.01);
    expect(data.cost.window!.hours).toBeCloseTo(result.poolHours['system']!.billed, 1);
  }, 120_000);
});
