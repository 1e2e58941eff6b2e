// The production wiring: app settings → policy, Kubernetes, ARM and queue adapters → the runner's
// ports. Built on the first invocation, not at import (Flex Consumption's 30 s host start).

import { randomUUID } from 'node:crypto';
import { aksUserKubeconfig } from '../adapters/azure/aks-kubeconfig';
import { azureCredential } from '../adapters/azure/azure-credential';
import { createAzureNodeVms } from '../adapters/azure/azure-node-vms';
import { makeClients } from '../adapters/kubernetes/clients';
import { KubernetesClusterReader } from '../adapters/kubernetes/cluster-reader';
import { ConfigMapMemoryStore, ConfigMapStatusWriter } from '../adapters/kubernetes/configmap-store';
import { kubeConfigFor, type KubeConnection } from '../adapters/kubernetes/connect';
import { KubernetesEventRecorder } from '../adapters/kubernetes/event-recorder';
import { KubernetesActionsAdapter } from '../adapters/kubernetes/kube-actions';
import { KubernetesLeaseLock } from '../adapters/kubernetes/lease-lock';
import { loadPolicyFile, parsePolicyText } from '../adapters/policy-file';
import { VmRefusal, type NodeVms } from '../runner/ports';
import { queueDepthsFromSettings } from '../adapters/queues';
import type { Runtime } from './runtime';
import { readSettings } from './settings';

/** Without the AKS_* settings there is no VM to start or stop: say so on every such action. */
const noVms: NodeVms = {
  start: async () => {
    throw new VmRefusal('no-vm', 'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: node VMs cannot be started');
  },
  deallocate: async () => {
    throw new VmRefusal('no-vm', 'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: node VMs cannot be deallocated');
  },
  addNodes: async () => {
    throw new VmRefusal('no-vm', 'AKS_SUBSCRIPTION_ID, AKS_RESOURCE_GROUP and AKS_CLUSTER_NAME are not set: the pool cannot grow');
  },
};

export async function productionRuntime(env: NodeJS.ProcessEnv = process.env): Promise<Runtime> {
  const settings = readSettings(env);
  const policy = 'inline' in settings.policy ? parsePolicyText(settings.policy.inline, 'GRACEFUL_SCALER_POLICY') : await loadPolicyFile(settings.policy.file);
  const credential = azureCredential(settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {});

  let connection: KubeConnection;
  if (settings.kubernetes.kind === 'aks') connection = { kind: 'aks', credential, kubeconfigYaml: await aksUserKubeconfig(credential, settings.cluster!) };
  else connection = settings.kubernetes;
  const kc = kubeConfigFor(connection);
  const clients = makeClients(kc);

  const clock = () => Date.now();
  const memory = new ConfigMapMemoryStore(clients, settings.namespace);
  const queues = settings.queues
    ? queueDepthsFromSettings('connectionString' in settings.queues ? settings.queues : { accountUrl: settings.queues.accountUrl, credential })
    : undefined;
  return {
    policy,
    memory,
    newId: () => randomUUID().slice(0, 8),
    dashboardCacheMs: 15_000,
    source: settings.cluster ? `AKS cluster ${settings.cluster.name} (${settings.cluster.resourceGroup})` : `Kubernetes cluster (${settings.kubernetes.kind} connection)`,
    deps: {
      reader: new KubernetesClusterReader(kc),
      queues,
      actions: new KubernetesActionsAdapter(clients),
      vms: settings.cluster ? createAzureNodeVms({ subscriptionId: settings.cluster.subscriptionId, resourceGroup: settings.cluster.resourceGroup, clusterName: settings.cluster.name, credential }) : noVms,
      memory,
      lease: new KubernetesLeaseLock(clients, settings.namespace, clock),
      events: new KubernetesEventRecorder(clients, settings.instance, clock),
      status: new ConfigMapStatusWriter(clients, settings.namespace),
      log: { info: console.log, warn: console.warn, error: console.error },
      clock,
      holder: settings.instance,
    },
  };
}
