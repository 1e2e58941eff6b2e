// kubectl's typed clients send protobuf: `create` of a ConfigMap, Deployment, Job and Namespace,
// and `drain --disable-eviction` (DeleteOptions) are decoded, not refused.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_MAPS, NAMESPACES } from '../../sim/model/resources';
import { kubectlPresent, startWebWorld, type KubectlWorld } from '../support/kubectl';

const NODE0 = 'aks-user-27531488-vmss000000';

describe.skipIf(!kubectlPresent)('kubectl create and drain --disable-eviction (protobuf bodies)', () => {
  let world: KubectlWorld;
  beforeEach(async () => {
    world = await startWebWorld(3);
  });
  afterEach(async () => world.close());

  it('creates a ConfigMap, a Deployment, a Job and a Namespace', async () => {
    const run = async (...args: string[]) => {
      const result = await world.kubectl('create', ...args);
      expect(result.stderr).toBe('');
      return result.stdout.trim();
    };
    expect(await run('configmap', 'settings', '-n', 'clomo', '--from-literal=mode=web', '--from-literal=level=2')).toBe(
      'configmap/settings created',
    );
    expect(await run('deployment', 'api', '-n', 'clomo', '--image=clomo.azurecr.io/api:1', '--replicas=2', '--port=8080')).toBe(
      'deployment.apps/api created',
    );
    expect(await run('job', 'once', '-n', 'clomo', '--image=busybox', '--', 'sleep', '5')).toBe('job.batch/once created');
    expect(await run('namespace', 'team')).toBe('namespace/team created');
    expect(world.server.requests.filter((r) => r.method === 'POST').map((r) => r.contentType)).toEqual(
      Array(4).fill('application/vnd.kubernetes.protobuf'),
    );
    expect(world.cluster.get(CONFIG_MAPS, { namespace: 'clomo', name: 'settings' })).toMatchObject({ data: { mode: 'web', level: '2' } });
    world.cluster.advance(10_000);
    const api = world.cluster.deployment('clomo', 'api')!;
    expect(api.spec.replicas).toBe(2);
    expect(api.spec.template.spec.containers[0]).toMatchObject({ image: 'clomo.azurecr.io/api:1', ports: [{ containerPort: 8080 }] });
    expect(api.status?.readyReplicas).toBe(2);
    expect(world.cluster.get(NAMESPACES, { name: 'team' })).toBeDefined();
  });

  it('drain --disable-eviction deletes the pods with protobuf DeleteOptions', async () => {
    const stopClock = world.runClock();
    const result = await world.kubectl('drain', NODE0, '--ignore-daemonsets', '--disable-eviction', '--timeout=60s');
    stopClock();
    expect(result.stdout).toContain(`node/${NODE0} drained`);
    const deletes = world.server.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.length).toBeGreaterThan(0);
    for (const request of deletes) expect(request).toMatchObject({ contentType: 'application/vnd.kubernetes.protobuf', status: 200 });
    expect(world.cluster.podsOnNode(NODE0).filter((p) => p.metadata.labels?.app === 'web')).toEqual([]);
  }, 90_000);
});
