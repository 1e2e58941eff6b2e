// The Kubernetes adapters through the REAL client-node against the simulated API server, behind a
// proxy that injects faults: every request has a time limit (a server that never answers is given up
// on), transient failures are retried within bounds, and writes whose answer was lost are safe to
// send again.

import { afterEach, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { emptyMemory } from '../../../core/memory';
import { makeClients, type ClientOptions } from '../../../adapters/kubernetes/clients';
import { KubernetesClusterReader } from '../../../adapters/kubernetes/cluster-reader';
import { ConfigMapMemoryStore } from '../../../adapters/kubernetes/configmap-store';
import { RequestTimeoutError } from '../../../adapters/kubernetes/http-timeout';
import { KubernetesActionsAdapter } from '../../../adapters/kubernetes/kube-actions';
import { KubernetesLeaseLock } from '../../../adapters/kubernetes/lease-lock';
import { SimCluster } from '../../../sim/model/cluster';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { hangingServer, type HangingServer } from '../../support/hanging-server';

const NS = 'graceful-scaler';
/** Fast retries: the delays are not what these tests look at. */
const FAST: ClientOptions = { timeoutMs: 2_000, retry: { baseDelayMs: 5, maxDelayMs: 20 } };

function kubeConfig(server: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'test-token' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'u' }],
    currentContext: 'sim',
  });
  return kc;
}

let kube: KubeApiServer | undefined;
let proxy: FaultProxy | undefined;
let hung: HangingServer | undefined;
afterEach(async () => {
  await Promise.all([kube?.close(), proxy?.close(), hung?.close()]);
  kube = proxy = hung = undefined;
});

async function world(options: ClientOptions = FAST) {
  const cluster = SimCluster.aks({
    start: '2026-11-30T13:00:00Z',
    namespaces: ['clomo', NS],
    pools: [{ name: 'user', count: 2, scaleDownMode: 'Deallocate' }],
  });
  cluster.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 3, cpu: '100m', memory: '128Mi' });
  cluster.settle();
  kube = await startKubeApiServer(cluster);
  proxy = await startFaultProxy(kube.url);
  const kc = kubeConfig(proxy.url);
  const clients = makeClients(kc, options);
  return { cluster, proxy, kc, clients, reader: new KubernetesClusterReader(kc, options) };
}

describe('a server that never answers', () => {
  it('is given up on at the request time limit: typed calls and the reader’s lists alike', async () => {
    hung = await hangingServer();
    const kc = kubeConfig(hung.url);
    const options: ClientOptions = { timeoutMs: 200, retry: { attempts: 1 } };
    const clients = makeClients(kc, options);
    const started = Date.now();
    const error = await new ConfigMapMemoryStore(clients, NS).load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(String(error)).toContain('no answer within 200 ms');
    await expect(new KubernetesClusterReader(kc, options).readCluster()).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(hung.requests()).toBeGreaterThanOrEqual(2);
  });

  it('is tried again within the retry bounds, then given up on', async () => {
    hung = await hangingServer();
    const clients = makeClients(kubeConfig(hung.url), { timeoutMs: 100, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(new KubernetesLeaseLock(clients, NS).acquire('graceful-scaler', 'me/1', 60)).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(hung.requests()).toBe(3);
  });
});

describe('transient failures are retried', () => {
  it('500 and 503 on a read', async () => {
    const w = await world();
    w.proxy.add({ method: 'GET', path: '/configmaps/', times: 2, fault: { kind: 'status', status: 503 } });
    const { memory } = await new ConfigMapMemoryStore(w.clients, NS).load();
    expect(memory).toEqual(emptyMemory());
    expect(w.proxy.log.map((l) => l.outcome)).toEqual(['503', '503', 'forwarded']);
  });

  it('429 with Retry-After, waited out', async () => {
    const w = await world();
    w.proxy.add({ method: 'PATCH', path: '/api/v1/nodes/', fault: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
    const node = w.cluster.nodes().find((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'user')!.metadata.name;
    const started = Date.now();
    await new KubernetesActionsAdapter(w.clients).cordon(node, { since: '2026-11-30T13:00:00Z', reason: 'test' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(w.cluster.node(node)?.spec?.unschedulable).toBe(true);
  });

  it('a reset connection on a list page', async () => {
    const w = await world();
    w.proxy.add({ method: 'GET', path: '/api/v1/pods?', fault: { kind: 'reset' } });
    const snapshot = await w.reader.readCluster();
    expect(snapshot.pods.length).toBeGreaterThanOrEqual(3);
    expect(w.proxy.log.filter((l) => l.path.startsWith('/api/v1/pods?')).map((l) => l.outcome)).toEqual(['reset', 'forwarded']);
  });

  it('but not a 4xx answer, which is an outcome for the caller', async () => {
    const w = await world();
    w.proxy.add({ method: 'GET', path: '/configmaps/', fault: { kind: 'status', status: 403, message: 'forbidden' } });
    await expect(new ConfigMapMemoryStore(w.clients, NS).load()).rejects.toBeInstanceOf(k8s.ApiException);
    expect(w.proxy.log).toHaveLength(1);
  });

  it('and not a PodDisruptionBudget’s 429 on an eviction, which is “not now”', async () => {
    const w = await world();
    const pod = [...w.cluster.pods()].find((p) => p.metadata.namespace === 'clomo')!.metadata.name;
    w.proxy.add({
      method: 'POST',
      path: '/eviction',
      fault: { kind: 'status', status: 429, message: 'Cannot evict pod as it would violate the pod’s disruption budget.' },
    });
    expect(await new KubernetesActionsAdapter(w.clients).evict('clomo', pod)).toBe('refused-by-pdb');
    expect(w.proxy.log.filter((l) => l.path.endsWith('/eviction'))).toHaveLength(1);
  });
});

describe('a write applied whose answer was lost', () => {
  it('an eviction: the retry is harmless and reports the pod evicted or gone', async () => {
    const w = await world();
    const pod = [...w.cluster.pods()].find((p) => p.metadata.namespace === 'clomo')!.metadata.name;
    w.proxy.add({ method: 'POST', path: '/eviction', fault: { kind: 'lose-response' } });
    const outcome = await new KubernetesActionsAdapter(w.clients).evict('clomo', pod);
    expect(['evicted', 'gone']).toContain(outcome);
    expect(w.proxy.log.filter((l) => l.path.endsWith('/eviction')).map((l) => l.outcome)).toEqual(['lose-response', 'forwarded']);
  });

  it('a Lease taken: the retry meets our own write (409) and we hold it', async () => {
    const w = await world();
    const lease = new KubernetesLeaseLock(w.clients, NS);
    w.proxy.add({ method: 'POST', path: '/leases', fault: { kind: 'lose-response' } });
    expect(await lease.acquire('graceful-scaler', 'func-1/a', 60)).toBe(true);
    expect(await lease.acquire('graceful-scaler', 'func-1/b', 60)).toBe(false);
    await lease.release('graceful-scaler', 'func-1/a');
    w.proxy.add({ method: 'PUT', path: '/leases/', fault: { kind: 'lose-response' } });
    expect(await lease.acquire('graceful-scaler', 'func-1/b', 60)).toBe(true);
  });

  it('a memory save: the retry gets 409 and says so, for the runner to merge', async () => {
    const w = await world();
    const store = new ConfigMapMemoryStore(w.clients, NS);
    expect(await store.save(emptyMemory(), undefined)).toBe(true);
    const { version } = await store.load();
    const changed = emptyMemory();
    changed.nodes.lastScaleUp = '2026-11-30T13:00:00.000Z';
    w.proxy.add({ method: 'PUT', path: '/configmaps/', fault: { kind: 'lose-response' } });
    expect(await store.save(changed, version)).toBe(false);
    expect((await store.load()).memory.nodes.lastScaleUp).toBe('2026-11-30T13:00:00.000Z');
  });
});
