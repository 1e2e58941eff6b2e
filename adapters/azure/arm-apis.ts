// The Azure Resource Manager calls the Azure adapter makes, and nothing else (like Karpenter's
// `AKSAgentPoolsAPI { Get; BeginDeleteMachines }`). The real SDK operation groups satisfy these
// interfaces structurally, and a test can hand in fakes.
//
// The scale-set VM API has per-instance start/deallocate only: the scale-set-wide forms
// (`virtualMachineScaleSets.deallocate(rg, vmss, { vmInstanceIDs })`) act on EVERY instance when the
// list is empty or missing, so they are deliberately not reachable from the adapter.

import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';

export interface ReadOptions {
  abortSignal?: AbortSignal;
}

export interface LroOptions {
  abortSignal?: AbortSignal;
}

export interface PoolUpdateOptions extends LroOptions {
  /** The pool's eTag as read: a concurrent change makes ARM answer 412 instead of overwriting it. */
  ifMatch?: string;
}

/**
 * A running long-running operation (the SDK's PollerLike, narrowed). The SDK sends the request when
 * the poller is made; `submitted` resolves once ARM has accepted it. The SDK's poller is also a
 * thenable that polls to the end: never `await` or return it from an async function.
 */
export interface LroPoller {
  submitted(): Promise<void>;
  /** After a failure, `status: 'failed'` and the error ARM reported. */
  readonly operationState: { status: string; error?: Error } | undefined;
}

/** The parts of a scale-set VM's instance view read here: `PowerState/running`, `ProvisioningState/updating`. */
export interface VmInstanceView {
  statuses?: { code?: string }[];
}

export interface ScaleSetVmsApi {
  getInstanceView(resourceGroup: string, scaleSet: string, instanceId: string, options?: ReadOptions): Promise<VmInstanceView>;
  start(resourceGroup: string, scaleSet: string, instanceId: string, options?: LroOptions): LroPoller;
  deallocate(resourceGroup: string, scaleSet: string, instanceId: string, options?: LroOptions): LroPoller;
}

export interface AgentPoolsApi {
  /** Every pool of the cluster (the SDK pages through `nextLink`). */
  list(resourceGroup: string, cluster: string, options?: ReadOptions): AsyncIterable<AgentPool>;
  get(resourceGroup: string, cluster: string, pool: string, options?: ReadOptions): Promise<AgentPool>;
  createOrUpdate(resourceGroup: string, cluster: string, pool: string, parameters: AgentPool, options?: PoolUpdateOptions): LroPoller;
}

export interface ManagedClustersApi {
  get(resourceGroup: string, cluster: string, options?: ReadOptions): Promise<ManagedCluster>;
}

export interface ArmApis {
  scaleSetVms: ScaleSetVmsApi;
  agentPools: AgentPoolsApi;
  managedClusters: ManagedClustersApi;
}
