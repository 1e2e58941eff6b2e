// The memory ConfigMap's text as the store reads it: what a person may leave there never stops the
// scaler (the soak found every tick failing after a hand edit, leaving pods pending for hours).

import { describe, expect, it } from 'vitest';
import { emptyMemory } from '../../../core/memory';
import { memoryFromText } from '../../../adapters/kubernetes/configmap-store';

const WHERE = 'ConfigMap ns/graceful-scaler-state key memory.json';

describe('memoryFromText', () => {
  it('reads absent or empty text as nothing remembered yet', () => {
    expect(memoryFromText(undefined, WHERE)).toEqual({ memory: emptyMemory() });
    expect(memoryFromText('', WHERE)).toEqual({ memory: emptyMemory() });
  });

  it('reads valid memory as it is', () => {
    const memory = emptyMemory();
    memory.nodes.lastScaleUp = '2026-11-30T07:30:00.000Z';
    expect(memoryFromText(JSON.stringify(memory), WHERE)).toEqual({ memory });
  });

  it.each([
    { name: 'truncated JSON', text: '{"version":1,"nodes":{"dr', says: 'not JSON' },
    { name: 'not JSON at all', text: 'memory: please start over\u0000', says: 'not JSON' },
    { name: 'wrong types', text: '{"version":1,"nodes":{"drains":"all of them"},"overrides":7}', says: 'nodes.drains' },
    { name: 'a bad date', text: '{"nodes":{"drains":{"aks-user-0":{"since":"yesterday"}}}}', says: 'since' },
  ])('reads $name as nothing remembered, saying why, instead of failing', ({ text, says }) => {
    const read = memoryFromText(text, WHERE);
    expect(read.memory).toEqual(emptyMemory());
    expect(read.unreadable).toContain(WHERE);
    expect(read.unreadable).toContain(says);
  });
});
