// nodes.cost: prices per agent pool for the reports, validated with the path of each bad field.

import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../core/policy-validate';

const NODES = { pools: ['user'], targetPodsPerNode: 20, minNodes: 2, maxNodes: 12 };

function validate(cost: unknown) {
  return validatePolicy(JSON.parse(JSON.stringify({ nodes: { ...NODES, cost } })) as unknown);
}

describe('nodes.cost', () => {
  it('is absent unless written', () => {
    const result = validatePolicy({ nodes: NODES });
    expect(result.ok && result.policy.nodes?.cost).toBeUndefined();
  });

  it('keeps the prices per pool as written; deallocatedDiskHour defaults to none', () => {
    const result = validate({ currency: 'JPY', vmHour: { user: 42, batch: 38.5 } });
    expect(result.ok && result.policy.nodes?.cost).toEqual({ currency: 'JPY', vmHour: { user: 42, batch: 38.5 }, deallocatedDiskHour: {} });
    const disks = validate({ currency: 'USD', vmHour: { user: 0.28 }, deallocatedDiskHour: { user: 0.031 } });
    expect(disks.ok && disks.policy.nodes?.cost?.deallocatedDiskHour).toEqual({ user: 0.031 });
  });

  it('names every bad field by its path', () => {
    const result = validate({ currency: 'yen', vmHour: { User: 42, batch: -1 }, deallocatedDiskHour: { user: '4.7' }, price: 3 });
    expect(result.ok ? [] : result.errors).toEqual([
      'nodes.cost.price: unknown key; expected one of currency, vmHour, deallocatedDiskHour',
      'nodes.cost.currency: expected a currency code of three capital letters, like "JPY" or "USD", got "yen"',
      'nodes.cost.vmHour.User: expected an AKS agent pool name (lowercase letters and digits, starting with a letter, at most 12 characters) as the key, got "User"',
      'nodes.cost.vmHour.batch: expected a price per hour: a number >= 0, got -1',
      'nodes.cost.deallocatedDiskHour.user: expected a price per hour: a number >= 0, got "4.7"',
    ]);
  });

  it('needs at least one priced pool', () => {
    for (const vmHour of [undefined, {}, [42]]) {
      const result = validate({ currency: 'JPY', vmHour });
      expect(result.ok ? [] : result.errors).toEqual([
        expect.stringMatching(/^nodes\.cost\.vmHour: expected a mapping of agent pool name to a price per hour/),
      ]);
    }
  });
});
