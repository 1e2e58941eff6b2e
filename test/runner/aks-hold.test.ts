// The runner reads the agent pools' states for the node scaler, so the core can hold while AKS works
// on a managed pool; a state it cannot read counts as busy.

import { describe, expect, it } from 'vitest';
import type { PoolView } from '../../core/views';
import { runTick } from '../../runner/run-tick';
import { buildRunner } from '../builders/runner';
import { buildNode, buildPolicy, buildSnapshot, deallocated } from '../builders/views';

const policy = buildPolicy((doc) => (doc.nodes.minNodes = 3));
const snapshot = () => buildSnapshot({ nodes: [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)] });

describe('runTick: hands off while AKS works on the pool', () => {
  it('acts when the pool is Succeeded', async () => {
    const r = buildRunner(snapshot(), { pools: [{ name: 'user', provisioningState: 'Succeeded' }] });
    await runTick(r.deps, policy, 'nodes', { dryRun: false });
    expect([...r.calls].sort()).toEqual(['start n3', 'uncordon n3']);
  });

  it('holds while the pool upgrades, and logs why', async () => {
    const r = buildRunner(snapshot(), { pools: [{ name: 'user', provisioningState: 'Upgrading' }] });
    const result = await runTick(r.deps, policy, 'nodes', { dryRun: false });
    expect(r.calls).toEqual([]);
    expect(result.status === 'acted' && result.decision.skipped.map((s) => s.rule)).toContain('aks-operation-in-progress');
    expect(r.records.some((x) => x.message.startsWith('skipped pool/user (aks-operation-in-progress): agent pool user is Upgrading'))).toBe(
      true,
    );
  });

  it('holds when the states cannot be read, naming the error', async () => {
    const r = buildRunner(snapshot(), {
      pools: async (): Promise<PoolView[]> => {
        throw new Error('403 AuthorizationFailed');
      },
    });
    const result = await runTick(r.deps, policy, 'nodes', { dryRun: false });
    expect(r.calls).toEqual([]);
    expect(r.records.find((x) => x.level === 'warn')?.message).toBe('agent pool states not read: 403 AuthorizationFailed');
    expect(result.status === 'acted' && result.decision.skipped.find((s) => s.rule === 'aks-operation-in-progress')?.reason).toContain(
      '403 AuthorizationFailed',
    );
  });

  it('does not ask for pool states when only the workers run', async () => {
    let asked = false;
    const r = buildRunner(snapshot(), {
      pools: async () => {
        asked = true;
        return [];
      },
    });
    await runTick(r.deps, policy, 'workers', { dryRun: false });
    expect(asked).toBe(false);
  });
});
