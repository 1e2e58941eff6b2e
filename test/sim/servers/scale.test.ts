// The model at scale: 1,000 nodes and 30,000 pods built, read page by page through the HTTP server
// with the real client, and per-node pod queries answered from the index rather than by walking
// every pod. (5,000 nodes / 150,000 pods is `npm run bench`.)

import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCluster } from '../../../sim/model/cluster';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { PODS } from '../../../sim/model/resources';

const NODES = 1000;
// 26 pods per node of 30 (with the six DaemonSet pods): room to reschedule a lost node.
const WORKLOAD_PODS = 20_000;

let cluster: SimCluster;
let server: KubeApiServer;

beforeAll(async () => {
  cluster = SimCluster.aks({
    pools: [
      { name: 'system', mode: 'System', count: 3 },
      { name: 'user', count: NODES - 3, scaleDownMode: 'Deallocate' },
    ],
  });
  for (let i = 0; i < 8; i++)
    cluster.addDeployment({ name: `app${i}`, namespace: 'clomo', replicas: WORKLOAD_PODS / 8, cpu: '50m', memory: '128Mi' });
  server = await startKubeApiServer(cluster);
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe(`${NODES} nodes, ${WORKLOAD_PODS + NODES * 6} pods`, () => {
  it('holds every pod, scheduled and running', () => {
    let running = 0;
    let total = 0;
    for (const pod of cluster.pods()) {
      total++;
      if (pod.status.phase === 'Running' && pod.spec.nodeName !== undefined) running++;
    }
    expect(total).toBe(WORKLOAD_PODS + NODES * 6);
    expect(running).toBe(total);
  });

  it('serves them page by page to the real client, each once, one request per page', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'test', token: 't' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'test' }],
      currentContext: 'sim',
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    server.requests.length = 0;
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 500, ...(token !== undefined ? { _continue: token } : {}) });
      for (const pod of page.items) seen.add(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
      token = page.metadata?._continue;
    } while (token !== undefined);
    expect(seen.size).toBe(WORKLOAD_PODS + NODES * 6);
    expect(server.requests).toHaveLength(Math.ceil(seen.size / 500));
  }, 60_000);

  it('answers "pods on this node" from the index: a query per node stays cheap', () => {
    const started = performance.now();
    let pods = 0;
    for (const node of cluster.nodes()) pods += cluster.list(PODS, { fieldSelector: `spec.nodeName=${node.metadata.name}` }).items.length;
    const elapsed = performance.now() - started;
    expect(pods).toBe(WORKLOAD_PODS + NODES * 6);
    // Walking all pods for each node would be 26 million checks (tens of seconds); the index makes it linear.
    expect(elapsed).toBeLessThan(5_000);
  });

  it('reschedules after a node is lost without walking the cluster per pod', () => {
    const started = performance.now();
    cluster.deallocateVm('aks-user-27531488-vmss', '5');
    cluster.advance(6 * 60_000 + 10_000);
    expect(performance.now() - started).toBeLessThan(5_000);
    const stranded = [...cluster.pods()].filter(
      (p) => p.metadata.namespace === 'clomo' && p.metadata.deletionTimestamp === undefined && p.status.phase !== 'Running',
    );
    expect(stranded).toEqual([]);
  });
});
