// What a run's VMs cost at the policy's prices (nodes.cost), priced as the status page prices them
// (core/cost.ts): every VM-hour billed (not deallocated) at its pool's vmHour, every deallocated
// VM-hour at its pool's deallocatedDiskHour. Pools without a price cost nothing here; the table says
// which pools are priced.

import { priceVms } from '../../core/cost';
import type { NodeCost } from '../../core/policy';

export interface Cost {
  currency: string;
  /** Running (billed) VMs. */
  vms: number;
  /** Disks of deallocated VMs. */
  disks: number;
  total: number;
}

export function costOf(poolHours: Readonly<Record<string, { billed: number; deallocated: number }>>, prices: NodeCost): Cost {
  const { currency, vms, disks, total } = priceVms(poolHours, prices);
  return { currency, vms, disks, total };
}

/** An amount for a table: whole units, thousands separated, with the currency code. */
export function formatMoney(amount: number, currency: string): string {
  return `${currency} ${Math.round(amount).toLocaleString('en-US')}`;
}
