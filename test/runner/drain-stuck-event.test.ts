// A drain stuck on pods that outlived their grace period says so where operators look first:
// a Warning Event on the node, naming the pods, beside the decision's refusal.

import { describe, expect, it } from 'vitest';
import { DRAINING_SINCE } from '../../core/annotations';
import { runTick } from '../../runner/run-tick';
import {
  at,
  buildMemory,
  buildNode,
  buildPod,
  buildPolicy,
  buildSnapshot,
  cordoned,
  deletingAt,
  MINUTE,
  nodeAnnotated,
  NOW,
  onNode,
  podsOf,
} from '../builders/views';
import { lowForTenMinutes } from '../core/nodes/fixtures';
import { harness } from './harness';

describe('runTick: a drain stuck on terminating pods', () => {
  it('records a DrainStuck Warning Event on the node naming the pod', async () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) }))];
    const pods = [buildPod('web-1', onNode('n3'), deletingAt(NOW - 3 * MINUTE)), ...podsOf('mdm', 'n1', 3), ...podsOf('mdm', 'n2', 3)];
    const memory = buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains['n3'] = { since: at(NOW - 5 * MINUTE), reason: 'night' };
    });
    const h = harness(buildSnapshot({ nodes, pods }), memory);
    const result = await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.decision.skipped.some((s) => s.rule === 'stuck-terminating' && s.target === 'node/n3')).toBe(true);
    expect(h.writes).toContain('event DrainStuck n3');
    expect(h.writes).not.toContain('stop n3');
  });
});
