// The node planner holds while AKS works on a managed pool: provisioningState other than Succeeded
// (unknown ones too), Failed/Canceled as a hold that needs a person, and AKS's marks on the nodes.

import { describe, expect, it } from 'vitest';
import { AKS_SCALE_DOWN_DISABLED_REASON, AKS_UPGRADE_STATUS_LABEL } from '../../../core/annotations';
import { aksHolds } from '../../../core/nodes/aks-operations';
import { plan } from '../../../core/plan';
import type { NodeView, PodView, PoolView } from '../../../core/views';
import {
  buildMemory,
  buildNode,
  buildPolicy,
  buildSnapshot,
  deallocated,
  inPool,
  nodeAnnotated,
  nodeLabelled,
  NOW,
} from '../../builders/views';
import { MORNING, actions, lowForTenMinutes, quietNight, skipsOf } from './fixtures';

const pool = (provisioningState: string | undefined, name = 'user'): PoolView => ({ name, provisioningState });

function planWith(nodes: NodeView[], pods: PodView[], pools: PoolView[] | undefined, now = NOW) {
  const memory = buildMemory(lowForTenMinutes);
  return plan({
    snapshot: buildSnapshot({ nodes, pods, ...(pools ? { pools } : {}) }),
    policy: buildPolicy(),
    memory,
    now,
    scalers: ['nodes'],
  });
}

describe('aksHolds: which states hold a managed pool', () => {
  it.each([
    ['Succeeded', undefined, undefined],
    ['Upgrading', 'aks-operation-in-progress', /user is Upgrading: AKS is working on the pool/],
    ['Updating', 'aks-operation-in-progress', /is Updating/],
    ['Scaling', 'aks-operation-in-progress', /is Scaling/],
    ['Creating', 'aks-operation-in-progress', /is Creating/],
    ['Deleting', 'aks-operation-in-progress', /is Deleting/],
    ['Starting', 'aks-operation-in-progress', /is Starting/],
    ['Stopping', 'aks-operation-in-progress', /is Stopping/],
    ['Canceling', 'aks-operation-in-progress', /is Canceling/],
    ['SomethingNew', 'aks-operation-in-progress', /is SomethingNew/],
    [undefined, 'aks-operation-in-progress', /state unknown/],
    ['Failed', 'aks-operation-failed', /is Failed: .*would resume a stopped upgrade.*A person should look/],
    ['Canceled', 'aks-operation-failed', /is Canceled: /],
  ])('%s → %s', (state, rule, words) => {
    const holds = aksHolds([pool(state)], ['user'], [buildNode('n1')]);
    if (rule === undefined) return expect(holds).toEqual([]);
    expect(holds).toHaveLength(1);
    expect(holds[0]!.failed).toBe(rule === 'aks-operation-failed');
    expect(holds[0]!.reason).toMatch(words!);
  });

  it('ignores pools the policy does not manage, and matches names without regard to case', () => {
    expect(aksHolds([pool('Upgrading', 'system'), pool('Succeeded')], ['user'], [])).toEqual([]);
    expect(aksHolds([pool('Upgrading', 'User')], ['user'], [])).toMatchObject([{ pool: 'user', state: 'Upgrading' }]);
  });

  it('an unreadable state holds and says why', () => {
    const holds = aksHolds([{ name: 'user', provisioningState: undefined, problem: 'agent pool states not read: 403' }], ['user'], []);
    expect(holds[0]).toMatchObject({ state: 'unknown', failed: false });
    expect(holds[0]!.reason).toContain('agent pool states not read: 403');
  });

  it('without pool states (a dump) goes by the nodes: the upgrade annotation and the quarantine label', () => {
    expect(aksHolds(undefined, ['user'], [buildNode('n1')])).toEqual([]);
    const upgrading = buildNode('n2', nodeAnnotated({ [AKS_SCALE_DOWN_DISABLED_REASON]: 'upgrade' }));
    expect(aksHolds(undefined, ['user'], [buildNode('n1'), upgrading])).toMatchObject([
      { pool: 'user', state: 'upgrading', failed: false },
    ]);
    const quarantined = buildNode('n3', nodeLabelled({ [AKS_UPGRADE_STATUS_LABEL]: 'Quarantined' }));
    const held = aksHolds([pool('Succeeded')], ['user'], [quarantined]);
    expect(held).toMatchObject([{ pool: 'user', state: 'quarantined', failed: true }]);
    expect(held[0]!.reason).toContain('n3');
    // A mark on a node of another pool holds that pool, not this one.
    expect(
      aksHolds(undefined, ['user'], [buildNode('s1', inPool('system'), nodeAnnotated({ [AKS_SCALE_DOWN_DISABLED_REASON]: 'upgrade' }))]),
    ).toEqual([]);
  });
});

describe('node planner: hands off while AKS works on the pool', () => {
  it('does not scale down a quiet night while the pool upgrades, and says why', () => {
    const { nodes, pods } = quietNight();
    expect(actions(planWith(nodes, pods, [pool('Succeeded')]))).not.toEqual([]);
    const d = planWith(nodes, pods, [pool('Upgrading')]);
    expect(actions(d)).toEqual([]);
    const [skip] = skipsOf(d, 'aks-operation-in-progress');
    expect(skip).toMatchObject({ scaler: 'nodes', target: 'pool/user' });
    expect(skip!.reason).toMatch(/user is Upgrading: .*; desired would be 2$/);
    expect(d.summary.nodes?.aksHolds).toEqual([{ pool: 'user', state: 'Upgrading', failed: false }]);
  });

  it('does not start stopped nodes for the morning while the pool is Failed, and asks for a person', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)];
    expect(actions(planWith(nodes, [], [pool('Succeeded')], MORNING))).toContain('start-node n3');
    const d = planWith(nodes, [], [pool('Failed')], MORNING);
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'aks-operation-failed')[0]?.reason).toContain('A person should look');
    expect(d.summary.nodes?.aksHolds).toEqual([{ pool: 'user', state: 'Failed', failed: true }]);
  });

  it('leaves a drain in memory untouched while held, and resumes it afterwards', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3'), buildNode('n4', (n) => (n.cordoned = true))];
    const memory = buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains.n4 = { since: new Date(NOW - 60_000).toISOString(), reason: 'test' };
    });
    const held = plan({
      snapshot: buildSnapshot({ nodes, pools: [pool('Upgrading')] }),
      policy: buildPolicy(),
      memory,
      now: NOW,
      scalers: ['nodes'],
    });
    expect(held.actions).toEqual([]);
    expect(held.memory.nodes.drains.n4).toEqual(memory.nodes.drains.n4);
    const free = plan({
      snapshot: buildSnapshot({ nodes, pools: [pool('Succeeded')] }),
      policy: buildPolicy(),
      memory,
      now: NOW,
      scalers: ['nodes'],
    });
    expect(free.actions.map((a) => `${a.type} ${'node' in a ? a.node : ''}`)).toContain('stop-node n4');
  });
});
