// batch/v1 Jobs with the real kubectl: applied from a manifest, run by the Job controller
// (parallelism, completions, each pod working for its `sleep`), waited for, and listed.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smallCluster } from '../builders/sim-cluster';
import { kubectlPresent, parseTable, startKubectlWorld, type KubectlWorld } from '../support/kubectl';

const JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: daily-batch, namespace: batch}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: batch, image: clomo.azurecr.io/batch:1, command: [sh, -c, "sleep 600"]}]
`;

describe.skipIf(!kubectlPresent)('kubectl and Jobs', () => {
  let world: KubectlWorld;
  beforeEach(async () => {
    world = await startKubectlWorld(smallCluster(3, { namespaces: ['batch'] }));
  });
  afterEach(async () => world.close());

  it('apply runs the Job two pods at a time until three succeeded; wait sees it complete', async () => {
    const file = join(world.dir, 'job.yaml');
    writeFileSync(file, JOB);
    expect((await world.kubectl('apply', '-f', file)).stdout).toContain('job.batch/daily-batch created');
    world.cluster.advance(0);
    const running = parseTable((await world.kubectl('get', 'pods', '-n', 'batch')).stdout).rows;
    expect(running.map((r) => r.STATUS)).toEqual(['Pending', 'Pending']);
    const stopClock = world.runClock(10_000);
    const waited = await world.kubectl('wait', '-n', 'batch', '--for=condition=complete', 'job/daily-batch', '--timeout=60s');
    stopClock();
    expect(waited.stdout).toContain('job.batch/daily-batch condition met');
    const jobs = parseTable((await world.kubectl('get', 'jobs', '-n', 'batch')).stdout).rows;
    expect(jobs).toEqual([expect.objectContaining({ NAME: 'daily-batch', STATUS: 'Complete', COMPLETIONS: '3/3' })]);
    const pods = parseTable((await world.kubectl('get', 'pods', '-n', 'batch')).stdout).rows;
    expect(pods.map((r) => r.STATUS)).toEqual(['Completed', 'Completed', 'Completed']);
  }, 90_000);
});
