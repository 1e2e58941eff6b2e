// `kubectl get` against the simulated cluster shows the columns it shows against AKS: the server
// prints Tables (node status with SchedulingDisabled, pod status and node, PDB allowed
// disruptions…), with ages on the cluster's simulated clock.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_MAPS, CORE_EVENTS, JOBS, LEASES, NODES } from '../../sim/model/resources';
import { smallCluster } from '../builders/sim-cluster';
import { kubectlPresent, parseTable, startKubectlWorld, type KubectlWorld } from '../support/kubectl';

const NODE0 = 'aks-user-27531488-vmss000000';

function job(name: string): object {
  return {
    metadata: { name },
    spec: {
      completions: 2,
      selector: { matchLabels: { job: name } },
      template: {
        metadata: { labels: { job: name } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'batch', image: 'clomo.azurecr.io/batch:1' }] },
      },
    },
  };
}

function event(name: string, reason: string, message: string): object {
  const at = '2026-11-01T00:00:00Z';
  return {
    metadata: { name },
    involvedObject: { kind: 'Deployment', namespace: 'clomo', name: 'web' },
    reason,
    message,
    type: 'Normal',
    source: { component: 'graceful-scaler' },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  };
}

describe.skipIf(!kubectlPresent)('kubectl get shows the server-side table columns of each kind', () => {
  let world: KubectlWorld;

  beforeAll(async () => {
    const cluster = smallCluster(3, { namespaces: ['clomo', 'batch'] });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 3 });
    cluster.addPdb({ name: 'web', namespace: 'clomo', minAvailable: 2 });
    cluster.create(JOBS, job('daily-batch'), 'batch');
    cluster.create(LEASES, { metadata: { name: 'graceful-scaler' }, spec: { holderIdentity: 'node-scaler-1' } }, 'clomo');
    cluster.create(CONFIG_MAPS, { metadata: { name: 'state' }, data: { memory: '{}', policy: 'x' } }, 'clomo');
    cluster.create(CORE_EVENTS, event('web.1', 'Scaled', 'BG workers scaled to 3'), 'clomo');
    cluster.patch(NODES, { name: NODE0 }, { spec: { unschedulable: true } }, 'strategic');
    cluster.advance(60_000);
    world = await startKubectlWorld(cluster);
  });
  afterAll(async () => world?.close());

  const get = async (...args: string[]): Promise<ReturnType<typeof parseTable>> => {
    const result = await world.kubectl('get', ...args);
    expect(result.stderr).toBe('');
    return parseTable(result.stdout);
  };

  it('nodes: status with SchedulingDisabled, roles, version; -o wide adds addresses and the OS', async () => {
    const { header, rows } = await get('nodes');
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(rows.find((r) => r.NAME === NODE0)).toMatchObject({ STATUS: 'Ready,SchedulingDisabled', ROLES: 'agent', VERSION: 'v1.33.5' });
    expect(rows.filter((r) => r.STATUS === 'Ready')).toHaveLength(4);
    const wide = await get('nodes', '-o', 'wide');
    expect(wide.header).toEqual([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    expect(wide.rows[0]!['INTERNAL-IP']).toMatch(/^10\.\d+\.\d+\.\d+$/);
  });

  it('pods: ready containers, status, restarts, age; -o wide adds the IP and the node', async () => {
    const { header, rows } = await get('pods', '-n', 'clomo');
    expect(header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ READY: '1/1', STATUS: 'Running', RESTARTS: '0' });
    const wide = await get('pods', '-n', 'clomo', '-o', 'wide');
    expect(wide.header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(new Set(wide.rows.map((r) => r.NODE))).toEqual(
      new Set([...world.cluster.pods()].filter((p) => p.metadata.namespace === 'clomo').map((p) => p.spec.nodeName)),
    );
  });

  it('deployments and replicasets: ready, up-to-date, available; desired, current, ready', async () => {
    const deployments = await get('deployments', '-n', 'clomo');
    expect(deployments.header).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(deployments.rows).toEqual([expect.objectContaining({ NAME: 'web', READY: '3/3', 'UP-TO-DATE': '3', AVAILABLE: '3' })]);
    const replicaSets = await get('replicasets', '-n', 'clomo', '-o', 'wide');
    expect(replicaSets.header).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(replicaSets.rows[0]).toMatchObject({ DESIRED: '3', CURRENT: '3', READY: '3', CONTAINERS: 'web' });
    expect(replicaSets.rows[0]!.SELECTOR).toMatch(/^app=web,pod-template-hash=/);
  });

  it('poddisruptionbudgets: min available, max unavailable and the disruptions allowed now', async () => {
    const { header, rows } = await get('pdb', '-n', 'clomo');
    expect(header).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(rows).toEqual([
      expect.objectContaining({ NAME: 'web', 'MIN AVAILABLE': '2', 'MAX UNAVAILABLE': 'N/A', 'ALLOWED DISRUPTIONS': '1' }),
    ]);
  });

  it('jobs, leases, configmaps and events with their own columns', async () => {
    const jobs = await get('jobs', '-n', 'batch');
    expect(jobs.header).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    // One pod at a time (parallelism 1), each working 30 s once started: one of two done after a minute.
    expect(jobs.rows).toEqual([{ NAME: 'daily-batch', STATUS: 'Running', COMPLETIONS: '1/2', DURATION: '60s', AGE: '60s' }]);
    const leases = await get('leases', '-n', 'clomo');
    expect(leases.header).toEqual(['NAME', 'HOLDER', 'AGE']);
    expect(leases.rows).toEqual([{ NAME: 'graceful-scaler', HOLDER: 'node-scaler-1', AGE: '60s' }]);
    const configMaps = await get('configmaps', '-n', 'clomo');
    expect(configMaps.header).toEqual(['NAME', 'DATA', 'AGE']);
    expect(configMaps.rows.find((r) => r.NAME === 'state')).toEqual({ NAME: 'state', DATA: '2', AGE: '60s' });
    const events = await get('events', '-n', 'clomo');
    expect(events.header).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(events.rows.find((r) => r.REASON === 'Scaled')).toMatchObject({
      TYPE: 'Normal',
      OBJECT: 'deployment/web',
      MESSAGE: 'BG workers scaled to 3',
    });
  });
});
