// Starts that Azure accepted and then failed are seen before planning, not after the start timeout.

import { describe, expect, it } from 'vitest';
import { emptyMemory, parseMemory, type Memory } from '../../core/memory';
import type { NodeView } from '../../core/views';
import type { Logger, NodeVms, VmState } from '../../runner/ports';
import { forgetFailedStarts, START_OBSERVED_AFTER_MS } from '../../runner/observe-starts';
import { buildNode, deallocated, MINUTE, NOW } from '../builders/views';

const iso = (ms: number) => new Date(ms).toISOString();
const quiet: Logger = { info() {}, warn() {}, error() {} };

function vmsSaying(state: VmState | Error, asked: string[] = []): NodeVms {
  return {
    start: async () => {},
    deallocate: async () => {},
    addNodes: async () => {},
    poolStates: async () => undefined,
    state: async (node: NodeView) => {
      asked.push(node.name);
      if (state instanceof Error) throw state;
      return state;
    },
  };
}

function startedAt(since: number): Memory {
  const memory = emptyMemory();
  memory.nodes.starting.n3 = { since: iso(since), uncordonWhenReady: true };
  return memory;
}

describe('forgetFailedStarts', () => {
  const nodes = [buildNode('n1'), buildNode('n3', deallocated)];

  it('forgets a start whose VM is still deallocated with nothing in progress, once ARM has had time to report it', async () => {
    const memory = startedAt(NOW - 2 * MINUTE);
    const next = await forgetFailedStarts(memory, nodes, vmsSaying({ power: 'deallocated', busy: false }), NOW, quiet);
    expect(next.nodes.starting).toEqual({});
    // Another stopped VM goes first for a while.
    expect(next.nodes.failedStarts).toEqual({ n3: { at: iso(NOW), reason: 'the start failed in Azure: still deallocated' } });
    expect(memory.nodes.starting.n3).toBeDefined(); // the loaded memory is not edited
  });

  it.each([
    { name: 'starting', state: { power: 'starting', busy: false } as VmState },
    { name: 'running', state: { power: 'running', busy: false } as VmState },
    { name: 'unreadable', state: new Error('ARM 500') },
  ])('keeps a start whose VM is $name', async ({ state }) => {
    const memory = startedAt(NOW - 2 * MINUTE);
    expect(await forgetFailedStarts(memory, nodes, vmsSaying(state), NOW, quiet)).toBe(memory);
  });

  it('keeps a start whose VM is still deallocated with an operation in progress, marked stalled once', async () => {
    const memory = startedAt(NOW - 2 * MINUTE);
    const busy = vmsSaying({ power: 'deallocated', busy: true });
    const next = await forgetFailedStarts(memory, nodes, busy, NOW, quiet);
    expect(next.nodes.starting.n3).toEqual({ since: iso(NOW - 2 * MINUTE), uncordonWhenReady: true, stalled: iso(NOW) });
    expect(next.nodes.failedStarts).toBeUndefined();
    expect(memory.nodes.starting.n3?.stalled).toBeUndefined(); // the loaded memory is not edited
    // Saved and read back by the next tick (a fresh process after a crash included).
    const stored = parseMemory(JSON.parse(JSON.stringify(next)));
    expect(stored.ok && stored.memory.nodes.starting.n3).toEqual(next.nodes.starting.n3);
    // Seen stalled again a tick later: nothing new to remember.
    expect(await forgetFailedStarts(next, nodes, busy, NOW + MINUTE, quiet)).toBe(next);
  });

  it('does not ask ARM about a start younger than a tick, or a node already Ready', async () => {
    const asked: string[] = [];
    await forgetFailedStarts(
      startedAt(NOW - START_OBSERVED_AFTER_MS + 1),
      nodes,
      vmsSaying({ power: 'deallocated', busy: false }, asked),
      NOW,
      quiet,
    );
    await forgetFailedStarts(
      startedAt(NOW - 5 * MINUTE),
      [buildNode('n3')],
      vmsSaying({ power: 'deallocated', busy: false }, asked),
      NOW,
      quiet,
    );
    expect(asked).toEqual([]);
  });
});
