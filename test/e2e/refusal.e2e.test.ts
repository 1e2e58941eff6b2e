// Nonsense in, no action out, end to end: a policy whose pool matches no node of the cluster.

import { afterEach, describe, expect, it } from 'vitest';
import { planHttp, runHttp } from '../../functions/plan-http';
import { nodeScalerTick } from '../../functions/timer-tick';
import { findResource } from '../../sim/model/resources';
import { buildPolicyDocument } from '../builders/views';
import { startWorld, STATE_NAMESPACE, type World } from './world';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('refusal of nonsense, end to end', () => {
  it('a pool that matches no node: HTTP plan and run answer 422 with the fix, the timer records it and does nothing', async () => {
    world = await startWorld({
      cluster: {
        start: '2026-11-30T13:00:00Z',
        namespaces: ['clomo'],
        pools: [
          { name: 'system', mode: 'System', count: 1 },
          { name: 'user', count: 3, scaleDownMode: 'Deallocate' },
        ],
      },
      policy: buildPolicyDocument((p) => (p.nodes.pools = ['users'])),
    });
    const problem =
      'nodes refused: nodes.pools[0]: no node is in agent pool "users" (label kubernetes.azure.com/agentpool); name a pool this cluster has (system, user); a managed pool keeps its nodes, stopped ones included';
    for (const handler of [planHttp, runHttp]) {
      const answer = await world.http(handler, { method: 'POST', url: 'http://localhost/api/plan/nodes', params: { scaler: 'nodes' } });
      expect(answer.status).toBe(422);
      expect(answer.jsonBody).toMatchObject({ error: 'refused', problems: [problem] });
    }
    await world.timer(nodeScalerTick);
    expect(world.kube.requests.filter((r) => r.method !== 'GET' && /\/(nodes|pods|deployments)(\/|$)/.test(r.path))).toEqual([]);
    expect(world.arm.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(world.logs).toContainEqual(expect.stringContaining(problem));
    const status = world.cluster
      .list(CONFIGMAPS, { namespace: STATE_NAMESPACE })
      .items.find((c) => c.metadata.name === 'graceful-scaler-status') as { data?: Record<string, string> } | undefined;
    expect(JSON.parse(status?.data?.['nodes.json'] ?? '{}')).toMatchObject({
      refused: [{ scaler: 'nodes', field: 'nodes.pools[0]' }],
      actions: [],
    });
  }, 60_000);
});
