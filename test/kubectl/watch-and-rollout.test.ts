// The kubectl commands that wait on the cluster: `get -w` (a watch from the list's
// resourceVersion), `scale` then `rollout status`, `apply` of a new Deployment and of a changed
// one (strategic merge patch with $setElementOrder, no --validate=false), `rollout restart`, and
// `wait`.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../sim/model/objects';
import { REPLICA_SETS } from '../../sim/model/resources';
import { eventually, kubectlPresent, startWebWorld, type KubectlWorld } from '../support/kubectl';

const NODE0 = 'aks-user-27531488-vmss000000';

/** A Deployment manifest as a person writes it; `env` lists the variables in the order given. */
function manifest(image: string, env: readonly [string, string][]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: api, namespace: clomo}',
    'spec:',
    '  replicas: 4',
    '  selector: {matchLabels: {app: api}}',
    '  template:',
    '    metadata: {labels: {app: api}}',
    '    spec:',
    '      containers:',
    '      - name: api',
    `        image: ${image}`,
    '        resources: {requests: {cpu: 100m, memory: 128Mi}}',
    `        env: [${env.map(([name, value]) => `{name: ${name}, value: "${value}"}`).join(', ')}]`,
    '',
  ].join('\n');
}

describe.skipIf(!kubectlPresent)('kubectl watches, scales, applies and rolls out', () => {
  let world: KubectlWorld;

  beforeEach(async () => {
    world = await startWebWorld(3);
  });
  afterEach(async () => world.close());

  const replicaSets = (app: string): ReplicaSet[] =>
    world.cluster.list(REPLICA_SETS, { namespace: 'clomo' }).items.filter((rs) => rs.metadata.labels?.app === app) as ReplicaSet[];

  it('get -w prints the node again when it is cordoned', async () => {
    const watch = world.background('get', 'nodes', '-w');
    await eventually(() => watch.output().includes(NODE0));
    expect((await world.kubectl('cordon', NODE0)).code).toBe(0);
    await eventually(() => /Ready,SchedulingDisabled/.test(watch.output()));
    watch.stop();
    const lines = watch
      .output()
      .split('\n')
      .filter((l) => l.startsWith(NODE0));
    expect(lines[0]).toMatch(/\sReady\s/);
    expect(lines.at(-1)).toMatch(/\sReady,SchedulingDisabled\s/);
    expect(world.server.requests.some((r) => r.query.watch === 'true' && r.query.resourceVersion !== undefined)).toBe(true);
  });

  it('scale, then rollout status waits until the new replicas are available', async () => {
    expect((await world.kubectl('scale', '-n', 'clomo', 'deployment/web', '--replicas=5')).stdout).toContain('scaled');
    const stopClock = world.runClock(250);
    const status = await world.kubectl('rollout', 'status', '-n', 'clomo', 'deployment/web', '--timeout=60s');
    stopClock();
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    expect(world.cluster.deployment('clomo', 'web')?.status?.availableReplicas).toBe(5);
  }, 90_000);

  it('apply creates, re-applies unchanged, and a changed manifest rolls out a new ReplicaSet', async () => {
    const file = join(world.dir, 'api.yaml');
    writeFileSync(
      file,
      manifest('clomo.azurecr.io/api:1', [
        ['MODE', 'web'],
        ['LOG', 'info'],
      ]),
    );
    expect((await world.kubectl('apply', '-f', file)).stdout).toContain('deployment.apps/api created');
    const stopClock = world.runClock(250);
    expect((await world.kubectl('rollout', 'status', '-n', 'clomo', 'deployment/api', '--timeout=60s')).code).toBe(0);
    expect((await world.kubectl('apply', '-f', file)).stdout).toContain('deployment.apps/api unchanged');

    writeFileSync(
      file,
      manifest('clomo.azurecr.io/api:2', [
        ['LOG', 'debug'],
        ['MODE', 'web'],
        ['REGION', 'japaneast'],
      ]),
    );
    const reapply = await world.kubectl('apply', '-f', file);
    expect(reapply.stderr).toBe('');
    expect(reapply.stdout).toContain('deployment.apps/api configured');
    const patch = world.server.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/api'));
    expect(patch?.body).toContain('$setElementOrder/env');
    const status = await world.kubectl('rollout', 'status', '-n', 'clomo', 'deployment/api', '--timeout=60s');
    stopClock();
    expect(status.stdout).toContain('successfully rolled out');

    const container = world.cluster.deployment('clomo', 'api')!.spec.template.spec.containers[0]!;
    expect(container.image).toBe('clomo.azurecr.io/api:2');
    expect(container.env).toEqual([
      { name: 'LOG', value: 'debug' },
      { name: 'MODE', value: 'web' },
      { name: 'REGION', value: 'japaneast' },
    ]);
    const sets = replicaSets('api');
    expect(sets.map((rs) => [rs.spec.template.spec.containers[0]!.image, rs.spec.replicas]).sort()).toEqual([
      ['clomo.azurecr.io/api:1', 0],
      ['clomo.azurecr.io/api:2', 4],
    ]);
  }, 120_000);

  it('rollout restart replaces every pod through a new ReplicaSet, never below the available minimum', async () => {
    const before = new Set([...world.cluster.pods()].filter((p) => p.metadata.labels?.app === 'web').map((p) => p.metadata.name));
    expect((await world.kubectl('rollout', 'restart', '-n', 'clomo', 'deployment/web')).stdout).toContain('restarted');
    let fewestAvailable = Infinity;
    const watchAvailability = setInterval(() => {
      fewestAvailable = Math.min(fewestAvailable, world.cluster.deployment('clomo', 'web')?.status?.availableReplicas ?? 0);
    }, 10);
    const stopClock = world.runClock(250);
    const status = await world.kubectl('rollout', 'status', '-n', 'clomo', 'deployment/web', '--timeout=60s');
    const waited = await world.kubectl('wait', '-n', 'clomo', '--for=condition=Available', 'deployment/web', '--timeout=30s');
    stopClock();
    clearInterval(watchAvailability);
    expect(status.stdout).toContain('successfully rolled out');
    expect(waited.stdout).toContain('condition met');
    const after = [...world.cluster.pods()].filter((p) => p.metadata.labels?.app === 'web' && p.metadata.deletionTimestamp === undefined);
    expect(after).toHaveLength(3);
    for (const pod of after) expect(before.has(pod.metadata.name)).toBe(false);
    // maxUnavailable 25 % of 3 rounds down to 0: three stay available throughout.
    expect(fewestAvailable).toBe(3);
  }, 90_000);

  it('set image rolls out revision 2; rollout undo brings the first ReplicaSet back as revision 3', async () => {
    const stopClock = world.runClock(250);
    expect((await world.kubectl('set', 'image', '-n', 'clomo', 'deployment/web', 'web=clomo.azurecr.io/web:2')).code).toBe(0);
    expect((await world.kubectl('rollout', 'status', '-n', 'clomo', 'deployment/web', '--timeout=60s')).code).toBe(0);
    expect((await world.kubectl('rollout', 'undo', '-n', 'clomo', 'deployment/web')).stdout).toContain('rolled back');
    expect((await world.kubectl('rollout', 'status', '-n', 'clomo', 'deployment/web', '--timeout=60s')).code).toBe(0);
    stopClock();
    const sets = replicaSets('web').map((rs) => [
      rs.spec.template.spec.containers[0]!.image,
      rs.metadata.annotations?.['deployment.kubernetes.io/revision'],
      rs.spec.replicas,
    ]);
    expect(sets.sort()).toEqual([
      ['clomo.azurecr.io/web:2', '2', 0],
      ['clomo.azurecr.io/web:2026.11.3', '3', 3],
    ]);
  }, 90_000);
});
