// The node scaler's placement marks carried out by the runner: each through KubernetesActions.markNode
// with an Event naming the mark, a conditional patch that met a newer node deferred to the next tick
// (not a failure), and nothing written while the node scaler only observes.

import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../core/views';
import { runTick } from '../../runner/run-tick';
import { buildNode, buildPod, buildPolicy, buildSnapshot, podsOf } from '../builders/views';
import { harness } from './harness';

/** Four nodes at night, two desired: n4 and n3 (fewest pods) would drain next, n1 and n2 stay. */
function quietNight(): Snapshot {
  return buildSnapshot({
    nodes: ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n)),
    pods: [...podsOf('mdm', 'n1', 5), ...podsOf('mdm', 'n2', 5), ...podsOf('mdm', 'n3', 2), buildPod('panel-0', (p) => (p.node = 'n4'))],
  });
}

describe('runTick: placement marks', () => {
  it('writes each mark and records an Event named after it', async () => {
    const h = harness(quietNight());
    const result = await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(h.writes).toEqual([]);
    expect(h.marks).toEqual([
      'mark n4 +drain-candidate',
      'mark n3 +drain-candidate',
      'mark n1 +stays',
      'mark n2 +stays',
      'event DrainCandidate n4',
      'event DrainCandidate n3',
      'event Stays n1',
      'event Stays n2',
    ]);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('names the stays taint in its Events when the policy asks for it', async () => {
    const h = harness(quietNight());
    const result = await runTick(
      h.deps,
      buildPolicy((p) => (p.nodes.staysTaint = true)),
      'nodes',
      { dryRun: false },
    );
    if (result.status !== 'acted') throw new Error(result.status);
    expect(h.marks.filter((m) => m.includes('stays-taint') || m.includes('StaysTaint'))).toEqual([
      'mark n1 +stays-taint',
      'mark n2 +stays-taint',
      'event StaysTaint n1',
      'event StaysTaint n2',
    ]);
  });

  it('defers a mark whose node changed between its read and its patch (409), for the next tick to read again', async () => {
    const h = harness(quietNight());
    h.deps.actions.markNode = async (node, mark) => (node === 'n4' && mark === 'drain-candidate' ? 'conflict' : 'marked');
    const result = await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    const n4 = result.outcomes.find((o) => o.action.type === 'mark-node' && o.action.node === 'n4')!;
    expect(n4).toMatchObject({
      outcome: 'deferred',
      detail: 'the node changed since it was read (409 Conflict); the next tick reads it again',
    });
    expect(h.logs.filter((l) => l.startsWith('WARN mark-node n4'))).toHaveLength(1);
    expect(h.logs.some((l) => l.startsWith('ERROR'))).toBe(false);
  });

  it('says so when a mark was already there or the node is gone, without failing', async () => {
    const h = harness(quietNight());
    h.deps.actions.markNode = async (node) => (node === 'n4' ? 'gone' : 'unchanged');
    const result = await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => [o.outcome, o.detail])).toEqual([
      ['done', 'node n4 is gone'],
      ['done', 'the node already was so'],
      ['done', 'the node already was so'],
      ['done', 'the node already was so'],
    ]);
  });

  it('writes no mark while the node scaler observes', async () => {
    const h = harness(quietNight());
    const result = await runTick(
      h.deps,
      buildPolicy((p) => (p.modes = { nodes: 'observe' })),
      'nodes',
      { dryRun: false },
    );
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => [o.action.type, o.outcome])).toEqual(Array(4).fill(['mark-node', 'observed']));
    expect(h.marks).toEqual([]);
  });
});
