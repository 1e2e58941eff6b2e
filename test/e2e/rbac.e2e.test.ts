// The scaler runs with exactly what infra/kubernetes/rbac.yaml grants: the API server holds the
// manifest and authorizes every request of the scaler's identity against it. Take one verb out of
// the manifest and the scaler fails at run time, where it needs that verb, with the API server's 403
// naming the verb and the resource; with the manifest as it is, the same night scales down.

import { afterEach, describe, expect, it } from 'vitest';
import { nodeScalerTick } from '../../functions/timer-tick';
import { SIM_SCALER_PRINCIPAL_ID } from '../../sim/model/rbac-manifests';
import { withoutVerb } from '../builders/rbac-manifest';
import { clomo, NIGHT, POLICY, userNodes, workloads } from './clomo-cluster';
import { startWorld, type World } from './world';

const MINUTE = 60_000;
const isStopped = (n: { spec?: { taints?: readonly { key: string }[] } }) =>
  (n.spec?.taints ?? []).some((t) => t.key === 'node.cloudprovider.kubernetes.io/shutdown');

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A night of node-scaler ticks (until three user nodes are stopped, at most 90 minutes); returns the 403s. */
async function night(rbacManifest: string | undefined): Promise<{ stopped: number; forbidden: string[]; said: string[] }> {
  world = await startWorld({
    cluster: clomo(NIGHT),
    policy: POLICY,
    setup: (c) => workloads(c),
    ...(rbacManifest !== undefined ? { rbacManifest } : {}),
  });
  const failures: string[] = [];
  for (let i = 0; i < 90 && userNodes(world.cluster).filter(isStopped).length < 3; i++) {
    try {
      await world.timer(nodeScalerTick);
    } catch (error) {
      // The invocation fails, as the Functions host would record it; the timer fires again.
      failures.push(String(error));
    }
    world.cluster.advance(MINUTE);
  }
  const forbidden = world.kube.requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`);
  // What the tick logged and what it failed with; the Status body is quoted there (JSON in a log
  // line), its quotes unescaped here to read the message.
  const said = [...world.logs, ...failures].map((l) => l.replace(/\\+"/g, '"'));
  return { stopped: userNodes(world.cluster).filter(isStopped).length, forbidden, said };
}

describe('RBAC at run time', () => {
  it('with rbac.yaml as it is, the night scales down and no request is refused', async () => {
    const { stopped, forbidden } = await night(undefined);
    expect(forbidden).toEqual([]);
    expect(stopped).toBe(3);
  }, 120_000);

  it.each([
    ['pods/eviction', 'create', 'cannot create resource "pods/eviction" in API group "" in the namespace "clomo"'],
    ['nodes', 'patch', 'cannot patch resource "nodes" in API group "" at the cluster scope'],
    ['pods', 'list', 'cannot list resource "pods" in API group "" at the cluster scope'],
    ['leases', 'update', 'cannot update resource "leases" in API group "coordination.k8s.io" in the namespace "graceful-scaler"'],
    ['configmaps', 'create', 'cannot create resource "configmaps" in API group "" in the namespace "graceful-scaler"'],
  ])(
    'without %s %s in rbac.yaml the scale-down fails, the 403 naming it',
    async (resource, verb, message) => {
      const { stopped, forbidden, said } = await night(withoutVerb(resource, verb));
      expect(forbidden.length).toBeGreaterThan(0);
      expect(stopped).toBeLessThan(3);
      const naming = said.filter((l) => l.includes(`User "${SIM_SCALER_PRINCIPAL_ID}" ${message}`));
      expect(naming.length, `said:\n${said.slice(-5).join('\n')}`).toBeGreaterThan(0);
    },
    120_000,
  );
});
