// The cost arithmetic the status page and the simulation's report share: VMs counted per pool as Azure
// bills them, priced per pool with unpriced pools named, node samples integrated over time with gaps
// left out, and static peak over the same time.

import { describe, expect, it } from 'vitest';
import { integrateVms, maxHoldFor, NO_POOL, priceVms, savings, staticPeakVmHours, vmsByPool, type VmSample } from '../../core/cost';
import type { NodeCost } from '../../core/policy';
import { MINUTE, NOW, buildNode, deallocated, inPool, notReady } from '../builders/views';

const HOUR = 60 * MINUTE;
const PRICES: NodeCost = { currency: 'JPY', vmHour: { user: 40, batch: 80 }, deallocatedDiskHour: { user: 5, batch: 6 } };

describe('vmsByPool', () => {
  it('counts every VM not deallocated as billed, whatever else it is doing, in every pool', () => {
    const vms = vmsByPool([
      buildNode('u0'),
      buildNode('u1', (n) => (n.power = 'starting')),
      buildNode('u2', (n) => (n.power = 'stopping')),
      buildNode('u3', notReady),
      buildNode('u4', deallocated),
      buildNode('u5', deallocated),
      buildNode('b0', inPool('batch')),
      buildNode('s0', inPool('system')),
      buildNode('x', (n) => (n.pool = undefined)),
    ]);
    expect(vms).toEqual({
      user: { billed: 4, deallocated: 2 },
      batch: { billed: 1, deallocated: 0 },
      system: { billed: 1, deallocated: 0 },
      [NO_POOL]: { billed: 1, deallocated: 0 },
    });
  });
});

describe('priceVms', () => {
  it("prices each pool's billed VMs at its vmHour and deallocated ones at its disk price", () => {
    const priced = priceVms({ user: { billed: 10, deallocated: 4 }, batch: { billed: 2, deallocated: 1 } }, PRICES);
    expect(priced).toEqual({
      currency: 'JPY',
      vms: 10 * 40 + 2 * 80,
      disks: 4 * 5 + 1 * 6,
      total: 400 + 160 + 20 + 6,
      unpriced: [],
      unpricedDisks: [],
    });
  });

  it('names a pool without a price instead of counting it as free in silence', () => {
    const prices: NodeCost = { currency: 'USD', vmHour: { user: 0.28 }, deallocatedDiskHour: {} };
    const priced = priceVms(
      {
        user: { billed: 3, deallocated: 2 },
        system: { billed: 2, deallocated: 0 },
        spare: { billed: 0, deallocated: 5 },
        idle: { billed: 0, deallocated: 0 },
      },
      prices,
    );
    expect(priced.total).toBeCloseTo(3 * 0.28);
    expect(priced.unpriced).toEqual(['spare', 'system']);
    // user is priced but its deallocated VMs' disks are not; a pool with no VMs is nobody's concern.
    expect(priced.unpricedDisks).toEqual(['user']);
  });
});

/** Samples at the given minutes after NOW, each with its VMs per pool (undefined: stored without VMs). */
function samples(...list: [minute: number, vms: Record<string, [number, number]> | undefined][]): VmSample[] {
  return list.map(([minute, vms]) => ({
    at: NOW + minute * MINUTE,
    vms: vms && Object.fromEntries(Object.entries(vms).map(([pool, [billed, dealloc]]) => [pool, { billed, deallocated: dealloc }])),
  }));
}

describe('integrateVms', () => {
  it('holds each sample until the next, per pool', () => {
    const h = integrateVms(
      samples([0, { user: [2, 8], batch: [1, 0] }], [30, { user: [6, 4], batch: [1, 0] }], [60, { user: [3, 7], batch: [2, 0] }]),
      NOW + 90 * MINUTE,
      HOUR,
    );
    expect(h.hours.user!.billed).toBeCloseTo((2 * 30 + 6 * 30 + 3 * 30) / 60);
    expect(h.hours.user!.deallocated).toBeCloseTo((8 * 30 + 4 * 30 + 7 * 30) / 60);
    expect(h.hours.batch!.billed).toBeCloseTo((1 * 60 + 2 * 30) / 60);
    expect(h.peak).toEqual({ user: { billed: 6, vms: 10 }, batch: { billed: 2, vms: 2 } });
    expect(h).toMatchObject({ coveredMs: 90 * MINUTE, gapMs: 0, samples: 3 });
  });

  it('counts a stretch without ticks only as far as a sample may stand for, and says how long the gap was', () => {
    // Ticks every minute, then none for 40 minutes (the Function App was down), then ticks again.
    const h = integrateVms(
      samples([0, { user: [4, 0] }], [1, { user: [4, 0] }], [2, { user: [5, 0] }], [42, { user: [2, 3] }], [43, { user: [2, 3] }]),
      NOW + 44 * MINUTE,
      2 * MINUTE,
    );
    // 0–2: 4 VMs; 2–4: 5 VMs (held 2 minutes of the 40); 42–44: 2 VMs, 3 deallocated.
    expect(h.hours.user!.billed).toBeCloseTo((4 * 2 + 5 * 2 + 2 * 2) / 60);
    expect(h.hours.user!.deallocated).toBeCloseTo((3 * 2) / 60);
    expect(h.coveredMs).toBe(6 * MINUTE);
    expect(h.gapMs).toBe(38 * MINUTE);
    expect(h.coveredMs + h.gapMs).toBe(44 * MINUTE);
  });

  it('leaves samples stored without VMs out, as a gap, and stops at `until`', () => {
    const h = integrateVms(
      samples([0, undefined], [10, undefined], [20, { user: [3, 0] }], [30, { user: [5, 0] }], [50, { user: [9, 0] }]),
      NOW + 40 * MINUTE,
      HOUR,
    );
    expect(h.hours.user!.billed).toBeCloseTo((3 * 10 + 5 * 10) / 60);
    expect(h).toMatchObject({ coveredMs: 20 * MINUTE, gapMs: 20 * MINUTE, samples: 2 });
    // The sample after `until` is not counted, nor its peak.
    expect(h.peak.user).toEqual({ billed: 5, vms: 5 });
  });

  it('has nothing to integrate without samples', () => {
    expect(integrateVms([], NOW, HOUR)).toEqual({ hours: {}, peak: {}, coveredMs: 0, gapMs: 0, samples: 0 });
  });
});

describe('static peak', () => {
  it("runs each pool's peak all the time and keeps the rest deallocated, and says what that saves", () => {
    const h = integrateVms(samples([0, { user: [2, 8], batch: [1, 0] }], [30, { user: [6, 4], batch: [1, 0] }]), NOW + HOUR, HOUR);
    const peakHours = staticPeakVmHours(h.peak, h.coveredMs);
    expect(peakHours).toEqual({ user: { billed: 6, deallocated: 4 }, batch: { billed: 1, deallocated: 0 } });
    const actual = priceVms(h.hours, PRICES).total;
    const peak = priceVms(peakHours, PRICES).total;
    expect(peak).toBe(6 * 40 + 4 * 5 + 80);
    expect(actual).toBeCloseTo(0.5 * (2 * 40 + 8 * 5) + 0.5 * (6 * 40 + 4 * 5) + 80);
    const saved = savings(peak, actual);
    expect(saved.amount).toBeCloseTo(peak - actual);
    expect(saved.percent).toBeCloseTo(((peak - actual) / peak) * 100);
    expect(savings(0, 0)).toEqual({ amount: 0, percent: undefined });
  });
});

describe('maxHoldFor', () => {
  it('is twice the usual spacing of the samples, unmoved by a few long outages, and at least the floor', () => {
    const minutes = [0, 1, 2, 3, 4, 60, 61, 62, 200, 201];
    expect(
      maxHoldFor(
        minutes.map((m) => ({ at: m * MINUTE })),
        30_000,
      ),
    ).toBe(2 * MINUTE);
    expect(
      maxHoldFor(
        [0, 5, 10, 15].map((m) => ({ at: m * MINUTE })),
        MINUTE,
      ),
    ).toBe(10 * MINUTE);
    expect(maxHoldFor([{ at: 0 }], 2 * MINUTE)).toBe(2 * MINUTE);
    expect(
      maxHoldFor(
        [0, 0.1, 0.2].map((m) => ({ at: m * MINUTE })),
        2 * MINUTE,
      ),
    ).toBe(2 * MINUTE);
  });
});
