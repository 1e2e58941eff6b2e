// Cost at the policy's prices: billed VM-hours at vmHour, deallocated ones at deallocatedDiskHour,
// unpriced pools free.

import { describe, expect, it } from 'vitest';
import { costOf, formatMoney } from '../../../sim/scenario/money';

describe('costOf', () => {
  it("prices each pool's running and deallocated hours", () => {
    const cost = costOf(
      { user: { billed: 100, deallocated: 50 }, system: { billed: 24, deallocated: 0 }, batch: { billed: 10, deallocated: 10 } },
      { currency: 'JPY', vmHour: { user: 40, system: 30 }, deallocatedDiskHour: { user: 5 } },
    );
    expect(cost).toEqual({ currency: 'JPY', vms: 100 * 40 + 24 * 30, disks: 50 * 5, total: 4000 + 720 + 250 });
  });

  it('prints whole amounts with separators', () => {
    expect(formatMoney(1234567.6, 'JPY')).toBe('JPY 1,234,568');
  });
});
