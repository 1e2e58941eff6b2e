// The real parts, started for a test: the simulated AKS cluster behind a Kubernetes API endpoint and
// an ARM endpoint, the real client-node, ARM SDK and storage-queue clients talking HTTP to them and to
// Azurite, and the production wiring (functions/wiring.ts) built from app settings that point at
// them. Tests then call the Function handlers directly, as the host would, and move simulated time on.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { HttpRequest, InvocationContext, type Timer } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import { inject } from 'vitest';
import { setRuntimeFactory, type Runtime } from '../../functions/runtime';
import { readSettings } from '../../functions/settings';
import { wireRuntime } from '../../functions/wiring';
import type { RunnerDeps } from '../../runner/run-tick';
import { startArmServer, type ArmServer } from '../../sim/servers/arm-server';
import { SimCluster, type AksClusterOptions } from '../../sim/model/cluster';
import { startKubeApiServer, type KubeApiServer } from '../../sim/servers/kube-api-server';
import { clusterAuth, SCALER_TOKEN } from '../../sim/servers/kube-auth';
import { scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../../sim/model/rbac-manifests';

export const STATE_NAMESPACE = 'graceful-scaler';

export interface World {
  cluster: SimCluster;
  kube: KubeApiServer;
  arm: ArmServer;
  runtime: Runtime;
  logs: string[];
  queueService: QueueServiceClient;
  /**
   * Runs one tick of a timer function, as the host would. The ARM operations the tick started (VM
   * starts and deallocations, pool updates) end afterwards, as they would in Azure within the minute
   * between two ticks: the scaler sends them and does not wait for them.
   */
  timer(handler: (timer: Timer, context: InvocationContext) => Promise<void>): Promise<void>;
  http(
    handler: (request: HttpRequest, context: InvocationContext) => Promise<unknown>,
    init: { method: string; url: string; body?: unknown; params?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<{ status: number; jsonBody: unknown; headers: Record<string, string> }>;
  /** A second runtime on the same cluster (another Function App instance). */
  secondDeps(holder: string): Promise<RunnerDeps>;
  close(): Promise<void>;
}

const fakeCredential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

/** `policy` is the policy document, as a person writes it: the app setting carries it to the wiring. */
export async function startWorld(options: {
  cluster: AksClusterOptions;
  policy: Record<string, unknown>;
  setup?: (cluster: SimCluster) => void;
  /** The RBAC manifest the cluster holds; default infra/kubernetes/rbac.yaml as it is. */
  rbacManifest?: string;
}): Promise<World> {
  const cluster = SimCluster.aks({ ...options.cluster, namespaces: [...(options.cluster.namespaces ?? []), STATE_NAMESPACE] });
  options.setup?.(cluster);
  cluster.settle();
  // The scaler runs as the identity rbac.yaml binds, with exactly what the manifest grants.
  const kube = await startKubeApiServer(cluster, { auth: clusterAuth(scalerRbac(options.rbacManifest), SIM_SCALER_PRINCIPAL_ID) });
  const arm = await startArmServer(cluster, { operationPolls: 1 });
  const connectionString = inject('azuriteQueueConnectionString');
  const queueService = QueueServiceClient.fromConnectionString(connectionString);
  const logs: string[] = [];

  // The kubeconfig the Function App would have for this cluster: its API server, its identity's token.
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: kube.url, skipTLSVerify: true }],
    users: [{ name: 'graceful-scaler', token: SCALER_TOKEN }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'graceful-scaler' }],
    currentContext: 'sim',
  });
  const configDir = await mkdtemp(join(tmpdir(), 'graceful-scaler-e2e-'));
  const kubeconfig = join(configDir, 'kubeconfig');
  await writeFile(kubeconfig, kc.exportConfig());

  // The app settings a Function App on this cluster would have, the policy inline.
  const settings = (instance: string) =>
    readSettings({
      GRACEFUL_SCALER_POLICY: JSON.stringify(options.policy),
      GRACEFUL_SCALER_NAMESPACE: STATE_NAMESPACE,
      KUBERNETES_CONNECTION: 'kubeconfig',
      KUBECONFIG: kubeconfig,
      AKS_SUBSCRIPTION_ID: cluster.subscription,
      AKS_RESOURCE_GROUP: cluster.resourceGroup,
      AKS_CLUSTER_NAME: cluster.clusterName,
      QUEUES_CONNECTION_STRING: connectionString,
      WEBSITE_INSTANCE_ID: instance,
    });
  let ids = 0;
  const wire = (instance: string) =>
    wireRuntime(settings(instance), {
      clock: () => cluster.now(),
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`), error: (m) => logs.push(`ERROR ${m}`) },
      newId: () => `ov-${++ids}`,
      credential: fakeCredential,
      arm: { endpoint: arm.url },
      listPageSize: 100,
      // A tick waiting for the Lease looks again every 20 ms: concurrent ticks take milliseconds here.
      limits: { leasePollMs: 20 },
    });
  const runtime = await wire('func-1');
  setRuntimeFactory(async () => runtime);

  const context = () =>
    new InvocationContext({ functionName: 'test', logHandler: (level, ...args) => logs.push(`${level} ${args.map(String).join(' ')}`) });
  return {
    cluster,
    kube,
    arm,
    runtime,
    logs,
    queueService,
    timer: async (handler) => {
      try {
        await handler(
          { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } },
          context(),
        );
      } finally {
        arm.settleOperations();
      }
    },
    http: async (handler, init) => {
      const request = new HttpRequest({
        method: init.method,
        url: init.url,
        headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
        ...(init.body !== undefined ? { body: { string: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } } : {}),
        params: init.params ?? {},
      });
      try {
        const response = (await handler(request, context())) as { status?: number; jsonBody?: unknown; headers?: Record<string, string> };
        return { status: response.status ?? 200, jsonBody: response.jsonBody, headers: response.headers ?? {} };
      } finally {
        arm.settleOperations();
      }
    },
    secondDeps: async (holder) => (await wire(holder)).deps,
    close: async () => {
      await Promise.all([kube.close(), arm.close(), rm(configDir, { recursive: true, force: true })]);
    },
  };
}
