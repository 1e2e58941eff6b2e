// The node planner, overrides: pause, pin, bounds and expiry.

import { describe, expect, it } from 'vitest';
import { MINUTE, NOW, at, buildNode, deallocated, podsOf } from '../../builders/views';
import { MORNING, actions, override, planNodes, skipsOf } from './fixtures';

describe('node planner: overrides', () => {
  it('does nothing while paused, and says what it would have wanted', () => {
    const nodes = [buildNode('n1'), buildNode('n2', deallocated)];
    const d = planNodes(nodes, [], { now: MORNING, memory: override({ mode: 'pause', expiresAt: at(MORNING + MINUTE) }) });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'paused')[0]?.reason).toContain('"maintenance"');
  });

  it('follows a pin above the schedule at night', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)];
    const d = planNodes(nodes, [], { memory: override({ mode: 'pin', count: 3 }) });
    expect(d.summary.nodes).toMatchObject({ desired: 3, minNodes: 3, maxNodes: 3 });
    expect(actions(d)).toEqual(['start-node n3', 'uncordon n3']);
  });

  it('says which override holds the count below what the load wants', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3'), buildNode('n4')];
    const pods = [...podsOf('mdm', 'n1', 25), ...podsOf('web', 'n2', 25), ...podsOf('api', 'n3', 25), ...podsOf('bg', 'n4', 5)];
    const d = planNodes(nodes, pods, { memory: override({ mode: 'bounds', max: 3, reason: 'budget freeze' }) });
    expect(d.summary.nodes?.desired).toBe(3);
    expect(d.summary.nodes?.why).toMatch(
      /capped at the maximum 3 \(override o1 \(bounds -\.\.3, until [^)]*: "budget freeze"\) narrows to \d+\.\.3\)/,
    );
  });

  it('drops an expired override and says so', () => {
    const nodes = [buildNode('n1'), buildNode('n2')];
    const d = planNodes(nodes, [], { memory: override({ mode: 'pin', count: 5, expiresAt: at(NOW - MINUTE) }) });
    expect(d.memory.overrides).toEqual([]);
    expect(d.notes[0]).toContain('override o1 (pin at 5');
    expect(d.notes[0]).toContain('expired');
    expect(d.summary.nodes?.desired).toBe(2);
  });
});
