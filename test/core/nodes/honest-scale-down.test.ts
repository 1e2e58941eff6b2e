// What a scale-down reason claims is true: "needed for 10m" only after 10 minutes were observed, and a
// lowered maximum comes down at the drain pace, saying it is the maximum that decides.

import { describe, expect, it } from 'vitest';
import { MINUTE, NOW, at, buildMemory, buildNode, buildPolicy, podsOf } from '../../builders/views';
import { actions, planNodes, quietNight, skipsOf } from './fixtures';

describe('node planner: scale-down reasons are true', () => {
  it('never scales down on assumption when the memory reaches back less than the delay', () => {
    const { nodes, pods } = quietNight();
    // A restart three minutes ago: the history holds three minutes of "2 are enough".
    const memory = buildMemory((m) => (m.nodes.recommendations = [{ at: at(NOW - 3 * MINUTE), value: 2 }]));
    const d = planNodes(nodes, pods, { memory });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'not-needed-long-enough')[0]?.reason).toContain(
      'observed for only 3m of the 10m scale-down delay: not scaling down before the whole delay has been seen',
    );
  });

  it('a cordon after the whole delay says "needed for 10m", and it was', () => {
    const { nodes, pods } = quietNight();
    const memory = buildMemory((m) => (m.nodes.recommendations = [{ at: at(NOW - 10 * MINUTE), value: 2 }]));
    const d = planNodes(nodes, pods, { memory });
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    expect(d.actions[0]?.reason).toMatch(/^4 nodes > 2 needed for 10m;/);
  });

  it('a lowered maximum comes down at the drain pace (maxConcurrentDrains), not all at once', () => {
    // Eight busy nodes, then an override lowers the maximum to 4: no scale-down delay, one drain at a time.
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'].map((n) => buildNode(n));
    const pods = nodes.flatMap((n) => podsOf('mdm', n.name, 18));
    const memory = buildMemory((m) =>
      m.overrides.push({
        id: 'cap',
        scaler: 'nodes',
        mode: 'bounds',
        max: 4,
        reason: 'budget freeze',
        createdAt: at(NOW),
        expiresAt: at(NOW + 60 * MINUTE),
      }),
    );
    const policy = buildPolicy((p) => (p.nodes.maxConcurrentDrains = 2));
    const d = planNodes(nodes, pods, { memory, policy });
    const newDrains = (x: typeof d) => x.actions.filter((a) => a.rule === 'scale-down-cordon');
    expect(newDrains(d)).toHaveLength(2);
    expect(d.actions[0]?.reason).toMatch(/^8 nodes > the maximum 4;/);
    const next = planNodes(nodes, pods, { memory: d.memory, policy, now: NOW + MINUTE });
    expect(newDrains(next)).toEqual([]);
    expect(skipsOf(next, 'drain-limit')[0]?.reason).toContain('2 drains already in progress (maxConcurrentDrains 2)');
  });
});
