// cordon, uncordon and drain with the real kubectl: evictions through the Eviction API with the
// PodDisruptionBudget honoured (kubectl retries the 429s until replacements are Ready), and a
// server-side dry run that changes nothing at all.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubectlPresent, startWebWorld, type KubectlWorld } from '../support/kubectl';

const NODE0 = 'aks-user-27531488-vmss000000';

describe.skipIf(!kubectlPresent)('kubectl cordon and drain', () => {
  let world: KubectlWorld;

  beforeEach(async () => {
    // Four replicas on three nodes: NODE0 holds two, and the budget lets only one go at a time.
    world = await startWebWorld(4, (cluster) => cluster.addPdb({ name: 'web', namespace: 'clomo', minAvailable: 3 }));
  });
  afterEach(async () => world.close());

  const webPodsOn = (node: string): string[] =>
    world.cluster
      .podsOnNode(node)
      .filter((p) => p.metadata.labels?.app === 'web' && p.metadata.deletionTimestamp === undefined)
      .map((p) => p.metadata.name);

  it('cordon and uncordon set and clear spec.unschedulable', async () => {
    expect((await world.kubectl('cordon', NODE0)).stdout).toContain(`node/${NODE0} cordoned`);
    expect(world.cluster.node(NODE0)?.spec.unschedulable).toBe(true);
    expect((await world.kubectl('uncordon', NODE0)).stdout).toContain(`node/${NODE0} uncordoned`);
    expect(world.cluster.node(NODE0)?.spec.unschedulable).toBeUndefined();
  });

  it('drain evicts every workload pod, retrying while the PodDisruptionBudget says no', async () => {
    expect(webPodsOn(NODE0)).toHaveLength(2);
    const stopClock = world.runClock();
    const result = await world.kubectl('drain', NODE0, '--ignore-daemonsets', '--timeout=60s');
    stopClock();
    expect(result.stderr).toMatch(/disruption budget/);
    expect(result.stdout).toContain(`node/${NODE0} drained`);
    const evictions = world.server.requests.filter((r) => r.path.endsWith('/eviction'));
    expect(evictions.some((r) => r.status === 429)).toBe(true);
    expect(evictions.filter((r) => r.status === 201)).toHaveLength(2);
    expect(world.cluster.node(NODE0)?.spec.unschedulable).toBe(true);
    expect(webPodsOn(NODE0)).toEqual([]);
  }, 90_000);

  it('drain --dry-run=server and delete --dry-run=server change nothing', async () => {
    const before = world.cluster.resourceVersion();
    const pods = webPodsOn(NODE0);
    const drain = await world.kubectl('drain', NODE0, '--ignore-daemonsets', '--dry-run=server');
    expect(drain.stdout).toContain('(server dry run)');
    const deletion = await world.kubectl('delete', 'pod', '-n', 'clomo', pods[0]!, '--dry-run=server');
    expect(deletion.stdout).toContain(`pod "${pods[0]}" deleted (server dry run)`);
    world.cluster.advance(60_000);
    expect(world.cluster.node(NODE0)?.spec.unschedulable).toBeUndefined();
    expect(webPodsOn(NODE0)).toEqual(pods);
    const dryRuns = world.server.requests.filter((r) => r.method !== 'GET');
    expect(dryRuns.map((r) => r.status)).toEqual([200, 201, 201, 200]);
    expect(world.cluster.resourceVersion()).toBe(before);
  });
});
