// The wiring: app settings → policy, Kubernetes, ARM and queue adapters → the runner's ports. The
// Function App and the end-to-end tests build their runtime here, so the tests exercise the same
// wiring production runs; the tests point the settings at their endpoints (the simulated cluster's
// Kubernetes API server and ARM server, Azurite) and override only what a test must control.

import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { aksUserKubeconfig } from '../adapters/azure/aks-kubeconfig';
import { azureCredential } from '../adapters/azure/azure-credential';
import { createAzureNodeVms } from '../adapters/azure/azure-node-vms';
import { KubernetesAuditReader } from '../adapters/kubernetes/audit-reader';
import { makeClients } from '../adapters/kubernetes/clients';
import { KubernetesClusterReader } from '../adapters/kubernetes/cluster-reader';
import { ConfigMapMemoryStore, ConfigMapStatusWriter } from '../adapters/kubernetes/configmap-store';
import { kubeConfigFor, type KubeConnection } from '../adapters/kubernetes/connect';
import { KubernetesEventRecorder } from '../adapters/kubernetes/event-recorder';
import { KubernetesActionsAdapter } from '../adapters/kubernetes/kube-actions';
import { KubernetesLeaseLock } from '../adapters/kubernetes/lease-lock';
import { loadPolicyFile, parsePolicyText } from '../adapters/policy-file';
import { queueDepthsFromSettings } from '../adapters/queues';
import { withModes } from '../core/modes';
import { VmRefusal, type Logger, type NodeVms } from '../runner/ports';
import type { RetryOptions } from '../runner/retry';
import type { TickLimits, TickTiming } from '../runner/tick-limits';
import type { Runtime } from './runtime';
import type { Settings } from './settings';

/**
 * What a test controls that production takes from the world. Each exists because a test cannot get
 * it through a setting; none changes what is wired to what.
 */
export interface WiringOverrides {
  /** Simulated time: the tests move the cluster's clock by minutes per tick, not the wall clock. */
  clock?: () => number;
  /** The tests read what the runner logged; production logs to the console (Application Insights). */
  log?: Logger;
  /** Predictable override ids for the tests' assertions; random in production. */
  newId?: () => string;
  /** A test ARM endpoint accepts any bearer token, and there is no Entra ID to get one from. */
  credential?: TokenCredential;
  arm?: {
    /** The test's ARM server; production always talks to https://management.azure.com. */
    endpoint: string;
  };
  /** Small list pages, so a test's cluster of a hundred pods still goes through `continue` paging. */
  listPageSize?: number;
  /**
   * Time limits, retries and waits, for the tests and the fault soak: a short request timeout to see a
   * hung server abandoned, fast retries, a tick deadline, the Lease's wait. Production keeps the defaults.
   */
  requestTimeoutMs?: number;
  retry?: Partial<RetryOptions>;
  limits?: Partial<TickLimits>;
  timing?: Partial<TickTiming>;
}

/** Without the AKS_* settings there is no VM to start or stop: say so on every such action. */
const noVms: NodeVms = {
  start: async () => {
    throw new VmRefusal('no-vm', 'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: node VMs cannot be started');
  },
  deallocate: async () => {
    throw new VmRefusal(
      'no-vm',
      'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: node VMs cannot be deallocated',
    );
  },
  state: async () => {
    throw new VmRefusal('no-vm', 'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: node VMs cannot be read');
  },
  addNodes: async () => {
    throw new VmRefusal('no-vm', 'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: the pool cannot grow');
  },
  // No ARM to ask: the node scaler goes by the nodes' own upgrade marks.
  poolStates: async () => undefined,
};

export async function wireRuntime(settings: Settings, overrides: WiringOverrides = {}): Promise<Runtime> {
  const written =
    'inline' in settings.policy
      ? parsePolicyText(settings.policy.inline, 'GRACEFUL_SCALER_POLICY')
      : await loadPolicyFile(settings.policy.file);
  // An app setting's mode wins over the policy's: a scaler is switched to act (or off) without a new policy.
  const policy = { ...written, modes: withModes(written.modes, settings.modes) };
  const credential =
    overrides.credential ??
    azureCredential(settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {});

  let connection: KubeConnection;
  if (settings.kubernetes.kind === 'aks')
    connection = { kind: 'aks', credential, kubeconfigYaml: await aksUserKubeconfig(credential, settings.cluster!) };
  else connection = settings.kubernetes;
  const kc = kubeConfigFor(connection);
  const http = {
    ...(overrides.requestTimeoutMs !== undefined ? { timeoutMs: overrides.requestTimeoutMs } : {}),
    ...(overrides.retry ? { retry: overrides.retry } : {}),
  };
  const clients = makeClients(kc, http);

  const clock = overrides.clock ?? (() => Date.now());
  const memory = new ConfigMapMemoryStore(clients, settings.namespace);
  const queues = settings.queues
    ? queueDepthsFromSettings(
        'connectionString' in settings.queues ? settings.queues : { accountUrl: settings.queues.accountUrl, credential },
        { now: clock },
      )
    : undefined;
  const vms = settings.cluster
    ? createAzureNodeVms({
        subscriptionId: settings.cluster.subscriptionId,
        resourceGroup: settings.cluster.resourceGroup,
        clusterName: settings.cluster.name,
        credential,
        now: clock,
        ...(overrides.arm ? { endpoint: overrides.arm.endpoint } : {}),
      })
    : noVms;
  const pageSize = overrides.listPageSize !== undefined ? { pageSize: overrides.listPageSize } : {};
  return {
    policy,
    memory,
    audit: new KubernetesAuditReader(clients, pageSize),
    newId: overrides.newId ?? (() => randomUUID().slice(0, 8)),
    dashboardCacheMs: 15_000,
    source: settings.cluster
      ? `AKS cluster ${settings.cluster.name} (${settings.cluster.resourceGroup})`
      : `Kubernetes cluster (${settings.kubernetes.kind} connection)`,
    deps: {
      reader: new KubernetesClusterReader(kc, { ...http, ...pageSize }),
      queues,
      actions: new KubernetesActionsAdapter(clients),
      vms,
      memory,
      lease: new KubernetesLeaseLock(clients, settings.namespace, clock),
      events: new KubernetesEventRecorder(clients, settings.instance, clock),
      status: new ConfigMapStatusWriter(clients, settings.namespace),
      log: overrides.log ?? { info: console.log, warn: console.warn, error: console.error },
      clock,
      holder: settings.instance,
      ...(overrides.limits ? { limits: overrides.limits } : {}),
      ...(overrides.timing ? { timing: overrides.timing } : {}),
    },
  };
}
