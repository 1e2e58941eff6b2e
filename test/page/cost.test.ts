// The cost tile's figures: per hour now, over the node samples the page shows, against static peak,
// each said in words (prices, VMs, time); unpriced pools named; without prices, how to add them.

import { describe, expect, it } from 'vitest';
import type { NodeCost } from '../../core/policy';
import { COST_NOT_SET, dashboardCost } from '../../page/cost';
import type { DashboardCost, NodeSample } from '../../page/model';
import { MINUTE, NOW, at, buildPolicy } from '../builders/views';

const PRICES: NodeCost = { currency: 'JPY', vmHour: { user: 42, batch: 84 }, deallocatedDiskHour: { user: 4.7 } };
const priced = (prices: NodeCost = PRICES) => buildPolicy((p) => (p.nodes.cost = prices));

/** A node tick's sample `minutes` before NOW with these VMs per pool ([billed, deallocated]). */
function sample(minutesAgo: number, vms?: NodeSample['vms']): NodeSample {
  return {
    at: at(NOW - minutesAgo * MINUTE),
    running: 0,
    starting: 0,
    draining: 0,
    stopped: 0,
    desired: 0,
    minNodes: 0,
    ...(vms ? { vms } : {}),
  };
}

function expectPriced(cost: DashboardCost): Extract<DashboardCost, { priced: true }> {
  if (!cost.priced) throw new Error(`expected prices, got: ${cost.text}`);
  return cost;
}

describe('the cost figures', () => {
  it('says how to enable them when the policy has no prices, naming nodes.cost', () => {
    const cost = dashboardCost({ policy: buildPolicy(), vmsNow: { user: { billed: 3, deallocated: 1 } }, samples: [], now: at(NOW) });
    expect(cost).toEqual({ priced: false, text: COST_NOT_SET });
    expect(COST_NOT_SET).toMatch(/nodes\.cost/);
  });

  it('prices the VMs now per pool, billed at vmHour and deallocated at the disk price', () => {
    const cost = expectPriced(
      dashboardCost({
        policy: priced(),
        vmsNow: { user: { billed: 5, deallocated: 3 }, batch: { billed: 1, deallocated: 0 } },
        samples: [],
        now: at(NOW),
      }),
    );
    expect(cost.now).toEqual({ perHour: 5 * 42 + 84 + 3 * 4.7, vms: 5 * 42 + 84, disks: 14.1, billed: 6, deallocated: 3 });
    expect(cost.window).toBeUndefined();
    expect(cost.saved).toBeUndefined();
    expect(cost.explanation[0]).toBe(
      'Now: 6 VMs running (batch 1 at JPY 84/h, user 5 at JPY 42/h), 3 deallocated (user 3 at JPY 4.7/h for the disk): JPY 308 an hour.',
    );
    expect(cost.explanation[1]).toMatch(/no node samples yet/);
  });

  it('integrates the samples over the window, and compares with each pool at its peak all the time', () => {
    // Two hours of ten-minute samples: user 2 running at night, 6 for the middle hour; batch always 1.
    const samples = [120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0].map((m) =>
      sample(m, { user: [m <= 90 && m > 30 ? 6 : 2, m <= 90 && m > 30 ? 4 : 8], batch: [1, 0] }),
    );
    const cost = expectPriced(
      dashboardCost({
        policy: priced(),
        vmsNow: { user: { billed: 2, deallocated: 8 }, batch: { billed: 1, deallocated: 0 } },
        samples,
        now: at(NOW),
      }),
    );
    // user: 6 running for 60 minutes (90 to 30 ago), 2 for the other 60; batch 1 for 120 minutes.
    const user = 6 * 42 + 4 * 4.7 + (2 * 42 + 8 * 4.7);
    const batch = 2 * 84;
    expect(cost.window).toMatchObject({ from: at(NOW - 120 * MINUTE), until: at(NOW), hours: 2, gapHours: 0, samples: 13 });
    expect(cost.window!.amount).toBeCloseTo(user + batch, 2);
    // Static peak: user 6 running and 4 deallocated for two hours, batch 1.
    const peak = 2 * (6 * 42 + 4 * 4.7) + batch;
    expect(cost.staticPeak!.amount).toBeCloseTo(peak, 2);
    expect(cost.staticPeak!.perHour).toBeCloseTo(peak / 2, 2);
    expect(cost.saved!.amount).toBeCloseTo(peak - user - batch, 2);
    expect(cost.saved!.percent).toBeCloseTo(((peak - user - batch) / peak) * 100, 1);
    expect(cost.pools.find((p) => p.pool === 'user')).toMatchObject({ vmHour: 42, deallocatedDiskHour: 4.7, peakBilled: 6, peakVms: 10 });
    expect(cost.explanation[1]).toBe("So far: JPY 560 over 2h, the time the node scaler's 13 samples cover (the history this page shows).");
    expect(cost.explanation[2]).toBe(
      "Static peak: each pool's most VMs running at once in that time (batch 1, user 6) running all of it, its other VMs deallocated: JPY 710, JPY 355 an hour; JPY 149 saved (21%).",
    );
  });

  it('leaves a stretch without samples out of the figures and says how long it was', () => {
    // One-minute ticks, then nothing for an hour, then ticks again.
    const samples = [
      ...[90, 89, 88, 87, 86].map((m) => sample(m, { user: [3, 0] })),
      ...[25, 24, 23, 22, 21, 20].map((m) => sample(m, { user: [3, 0] })),
    ];
    const cost = expectPriced(
      dashboardCost({ policy: priced(), vmsNow: { user: { billed: 3, deallocated: 0 } }, samples, now: at(NOW - 19 * MINUTE) }),
    );
    // 86 ago holds 2 minutes of the 61 before the next tick: 4 + 2 + 5 + 1 minutes counted, 59 not.
    expect(cost.window).toMatchObject({ hours: 0.2, gapHours: 0.983, samples: 11 });
    expect(cost.window!.amount).toBeCloseTo(0.2 * 3 * 42, 2);
    expect(cost.explanation[1]).toMatch(/over 12m, .*; 59m with no sample of the VMs, not counted\.$/);
  });

  it('names the pools without a price rather than counting them as free in silence', () => {
    const samples = [sample(60, { user: [2, 1], system: [1, 0] }), sample(0, { user: [2, 1], system: [1, 0] })];
    const cost = expectPriced(
      dashboardCost({
        policy: priced({ currency: 'USD', vmHour: { user: 0.28 }, deallocatedDiskHour: {} }),
        vmsNow: { user: { billed: 2, deallocated: 1 }, system: { billed: 1, deallocated: 0 } },
        samples,
        now: at(NOW),
      }),
    );
    expect(cost.now.perHour).toBeCloseTo(0.56);
    expect(cost.unpriced).toEqual(['system']);
    expect(cost.unpricedDisks).toEqual(['user']);
    expect(cost.pools.find((p) => p.pool === 'system')).toMatchObject({ vmHour: undefined, billed: 1 });
    expect(cost.explanation[0]).toContain('system 1 at no price');
    expect(cost.explanation).toContain('Not priced, counted as 0: pool system (add it to nodes.cost.vmHour).');
    expect(cost.explanation).toContain('Disks of deallocated VMs not priced, counted as 0: pool user (nodes.cost.deallocatedDiskHour).');
    expect(cost.explanation[1]).toMatch(/^So far: USD 0\.56 over 1h/);
  });

  it('says so when the samples kept were stored without VMs per pool, and does not guess at them', () => {
    const samples = [sample(30), sample(20), sample(10, { user: [1, 'x' as unknown as number] }), sample(0)];
    const cost = expectPriced(dashboardCost({ policy: priced(), vmsNow: { user: { billed: 1, deallocated: 0 } }, samples, now: at(NOW) }));
    expect(cost.window).toMatchObject({ samples: 0, hours: 0, amount: 0 });
    expect(cost.staticPeak).toBeUndefined();
    expect(cost.saved).toBeUndefined();
    expect(cost.explanation[1]).toMatch(/^So far: the 30m of samples kept were stored without VMs per pool/);
  });
});
