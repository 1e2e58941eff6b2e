// Who did what with overrides: expiries recorded by the tick that drops them, removals by the
// overrides endpoint, merged for the page newest first and each override once.

import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision';
import type { Override } from '../../core/memory';
import { plan } from '../../core/plan';
import { appendHistory, mergeHistories, recordEndedOverrides } from '../../runner/status-history';
import { MINUTE, NOW, at, buildMemory, buildNode, buildPolicy, buildSnapshot } from '../builders/views';

const override = (id: string, expiresAt: number): Override => ({
  id,
  scaler: 'nodes',
  mode: 'pause',
  reason: 'maintenance',
  createdAt: at(NOW - 60 * MINUTE),
  createdBy: 'kenji@example.com',
  expiresAt: at(expiresAt),
});

function tick(overrides: Override[]): Decision {
  return plan({
    snapshot: buildSnapshot({ nodes: [buildNode('n1'), buildNode('n2')] }),
    policy: buildPolicy(),
    memory: buildMemory((m) => (m.overrides = overrides)),
    now: NOW,
    scalers: ['nodes'],
  });
}

describe('ended overrides in the status history', () => {
  it('a tick records the overrides it found expired, with who set them', () => {
    const d = tick([override('o1', NOW - MINUTE), override('o2', NOW + MINUTE)]);
    expect(d.expiredOverrides?.map((o) => o.id)).toEqual(['o1']);
    const h = appendHistory(undefined, d, []);
    expect(h.overrides).toEqual([{ override: override('o1', NOW - MINUTE), endedAt: at(NOW), ended: 'expired' }]);
    expect(appendHistory(h, tick([override('o2', NOW + MINUTE)]), []).overrides).toHaveLength(1);
  });

  it('a removal is recorded with who removed it, next to what the ticks keep', () => {
    const previous = appendHistory(undefined, tick([]), []);
    const h = recordEndedOverrides(previous, [
      { override: override('o3', NOW + MINUTE), endedAt: at(NOW), ended: 'removed', endedBy: 'akiko@example.com' },
    ]);
    expect(h.nodes).toEqual(previous.nodes);
    expect(h.overrides).toMatchObject([
      { override: { id: 'o3', createdBy: 'kenji@example.com' }, ended: 'removed', endedBy: 'akiko@example.com' },
    ]);
  });

  it('merges newest first, each override once, and skips what cannot be read', () => {
    const seenTwice = { override: override('o1', NOW - MINUTE), endedAt: at(NOW), ended: 'expired' as const };
    const merged = mergeHistories([
      {
        nodes: [],
        workers: [],
        actions: [],
        overrides: [seenTwice, { override: override('o0', NOW - 9 * MINUTE), endedAt: at(NOW - 9 * MINUTE), ended: 'expired' }],
      },
      { nodes: [], workers: [], actions: [], overrides: [{ ...seenTwice, endedAt: at(NOW + 1000) }, { junk: true }, null] },
      { nodes: [], workers: [], actions: [] },
    ]);
    expect(merged.endedOverrides.map((e) => `${e.override.id} ${e.endedAt}`)).toEqual([`o1 ${at(NOW)}`, `o0 ${at(NOW - 9 * MINUTE)}`]);
  });
});
