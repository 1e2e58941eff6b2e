// The real parts, started for a test: the simulated AKS cluster behind a Kubernetes API endpoint and
// an ARM endpoint, the real client-node, ARM SDK and storage-queue clients talking HTTP to them and to
// Azurite, and the production adapters wired into the Function runtime. Tests then call the Function
// handlers directly, as the host would, and move simulated time on.

import * as k8s from '@kubernetes/client-node';
import { HttpRequest, InvocationContext, type Timer } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import { inject } from 'vitest';
import { createAzureNodeVms } from '../../adapters/azure/azure-node-vms';
import { makeClients } from '../../adapters/kubernetes/clients';
import { KubernetesClusterReader } from '../../adapters/kubernetes/cluster-reader';
import { ConfigMapMemoryStore, ConfigMapStatusWriter } from '../../adapters/kubernetes/configmap-store';
import { KubernetesEventRecorder } from '../../adapters/kubernetes/event-recorder';
import { KubernetesActionsAdapter } from '../../adapters/kubernetes/kube-actions';
import { KubernetesLeaseLock } from '../../adapters/kubernetes/lease-lock';
import { queueDepthsFromSettings } from '../../adapters/queues';
import type { Policy } from '../../core/policy';
import { setRuntimeFactory, type Runtime } from '../../functions/runtime';
import type { RunnerDeps } from '../../runner/run-tick';
import { startArmServer, type ArmServer } from '../../sim/servers/arm-server';
import { SimCluster, type AksClusterOptions } from '../../sim/model/cluster';
import { startKubeApiServer, type KubeApiServer } from '../../sim/servers/kube-api-server';

export const STATE_NAMESPACE = 'graceful-scaler';

export interface World {
  cluster: SimCluster;
  kube: KubeApiServer;
  arm: ArmServer;
  runtime: Runtime;
  logs: string[];
  queueService: QueueServiceClient;
  /** Runs one tick of a timer function, as the host would. */
  timer(handler: (timer: Timer, context: InvocationContext) => Promise<void>): Promise<void>;
  http(handler: (request: HttpRequest, context: InvocationContext) => Promise<unknown>, init: { method: string; url: string; body?: unknown; params?: Record<string, string>; headers?: Record<string, string> }): Promise<{ status: number; jsonBody: unknown }>;
  /** A second runtime on the same cluster (another Function App instance). */
  secondDeps(holder: string): RunnerDeps;
  close(): Promise<void>;
}

const fakeCredential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

export async function startWorld(options: { cluster: AksClusterOptions; policy: Policy; setup?: (cluster: SimCluster) => void }): Promise<World> {
  const cluster = SimCluster.aks({ ...options.cluster, namespaces: [...(options.cluster.namespaces ?? []), STATE_NAMESPACE] });
  options.setup?.(cluster);
  cluster.settle();
  const kube = await startKubeApiServer(cluster);
  const arm = await startArmServer(cluster, { operationPolls: 1 });
  const connectionString = inject('azuriteQueueConnectionString');
  const queueService = QueueServiceClient.fromConnectionString(connectionString);
  const logs: string[] = [];

  const makeDeps = (holder: string): RunnerDeps => {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: kube.url, skipTLSVerify: true }],
      users: [{ name: 'graceful-scaler', token: 'test-token' }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'graceful-scaler' }],
      currentContext: 'sim',
    });
    const clients = makeClients(kc);
    const clock = () => cluster.now();
    return {
      reader: new KubernetesClusterReader(kc, { pageSize: 100 }),
      queues: queueDepthsFromSettings({ connectionString }, { now: clock }),
      actions: new KubernetesActionsAdapter(clients),
      vms: createAzureNodeVms({
        subscriptionId: cluster.subscription,
        resourceGroup: cluster.resourceGroup,
        clusterName: cluster.clusterName,
        credential: fakeCredential,
        endpoint: arm.url,
        pollIntervalMs: 5,
        cacheTtlMs: 0,
      }),
      memory: new ConfigMapMemoryStore(clients, STATE_NAMESPACE),
      lease: new KubernetesLeaseLock(clients, STATE_NAMESPACE, clock),
      events: new KubernetesEventRecorder(clients, holder, clock),
      status: new ConfigMapStatusWriter(clients, STATE_NAMESPACE),
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`), error: (m) => logs.push(`ERROR ${m}`) },
      clock,
      holder,
    };
  };
  const deps = makeDeps('func-1');
  let ids = 0;
  const runtime: Runtime = { policy: options.policy, deps, memory: deps.memory, newId: () => `ov-${++ids}`, source: 'simulated AKS cluster behind its API endpoints' };
  setRuntimeFactory(async () => runtime);

  const context = () => new InvocationContext({ functionName: 'test', logHandler: (level, ...args) => logs.push(`${level} ${args.map(String).join(' ')}`) });
  return {
    cluster,
    kube,
    arm,
    runtime,
    logs,
    queueService,
    timer: (handler) => handler({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context()),
    http: async (handler, init) => {
      const request = new HttpRequest({
        method: init.method,
        url: init.url,
        headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
        ...(init.body !== undefined ? { body: { string: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } } : {}),
        params: init.params ?? {},
      });
      const response = (await handler(request, context())) as { status?: number; jsonBody?: unknown };
      return { status: response.status ?? 200, jsonBody: response.jsonBody };
    },
    secondDeps: makeDeps,
    close: async () => {
      await Promise.all([kube.close(), arm.close()]);
    },
  };
}
