// The node VMs through Azure Resource Manager: start or deallocate the one scale-set instance behind a
// node, and raise an agent pool's count. What Azure refuses for a known reason becomes a VmRefusal
// (the runner records it as a skip and the next tick sees the true state); anything else propagates.
//
// A start, deallocation or pool update returns once ARM has accepted it (202/200 with an operation
// to follow), not when it is done: they take minutes, and one tick waiting for them would hold the
// Lease, and every other scaler, for that long. The core remembers what it asked for (`starting`,
// `stopRequestedAt`, `provisioning`) and the next ticks observe the VM's power state and the pool's
// nodes, with timeouts after which it asks again. An operation that fails later in Azure is seen the
// same way: the VM did not change.
//
// A VM whose node still exists but which ARM no longer has (404) is a VmRefusal('no-vm'): AKS deleted
// it (scale-in, upgrade, repair), so there is nothing left to start or stop and the next snapshot will
// not show the node any more. An unknown cluster (404 on the managed cluster) is a configuration
// error and propagates.

import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';
import { VmRefusal, type NodeVms, type VmState } from '../../runner/ports';
import type { NodeView, PoolView } from '../../core/views';
import type { ArmApis, LroOptions, LroPoller, VmInstanceView } from './arm-apis';
import { createArmApis, type ArmClientSettings } from './arm-clients';
import { armErrorInfo, describeArmError } from './arm-errors';
import { ThrottledTooLong } from './arm-policies';
import { TtlCache } from './ttl-cache';

export interface AzureNodeVmsOptions {
  subscriptionId: string;
  /** Resource group of the managed cluster (not the node resource group). */
  resourceGroup: string;
  clusterName: string;
  /**
   * Bound on one start, deallocate, add-nodes or state read, lookups and throttling waits included;
   * default 30 s, within a tick's deadline. The operation may still be accepted and finish in Azure.
   */
  operationTimeoutMs?: number;
  /** How long a cluster or pool lookup is reused; default 30 s. */
  cacheTtlMs?: number;
  /** Clock for the cache; default Date.now. */
  now?: () => number;
}

export type AzureNodeVmsSettings = AzureNodeVmsOptions & Omit<ArmClientSettings, 'subscriptionId'>;

export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000;
export const DEFAULT_CACHE_TTL_MS = 30_000;
/**
 * How long the pools' states serve, shorter than any tick interval: each timer tick reads them afresh,
 * while the plan, run and status-page calls of one moment share one list call.
 */
export const POOL_STATES_TTL_MS = 10_000;

/** Real SDK clients (from the credential and optional endpoint) behind the adapter. */
export function createAzureNodeVms(settings: AzureNodeVmsSettings): AzureNodeVms {
  return new AzureNodeVms(createArmApis(settings), settings);
}

interface InstanceRef {
  /** The cluster's node resource group, as ARM spells it. */
  resourceGroup: string;
  scaleSet: string;
  instanceId: string;
}

// AKS names a pool's scale set `aks-<pool>-<hash>-vmss`: the pool when a node lacks the label.
const AKS_SCALE_SET = /^aks-([a-z0-9]+)-\d+-vmss$/i;

export class AzureNodeVms implements NodeVms {
  private readonly clusterCache: TtlCache<ManagedCluster>;
  private readonly poolCache: TtlCache<AgentPool>;
  private readonly statesCache: TtlCache<PoolView[]>;
  private readonly timeoutMs: number;

  constructor(
    private readonly apis: ArmApis,
    private readonly options: AzureNodeVmsOptions,
  ) {
    const now = options.now ?? Date.now;
    const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.clusterCache = new TtlCache(ttl, now);
    this.poolCache = new TtlCache(ttl, now);
    this.statesCache = new TtlCache(Math.min(ttl, POOL_STATES_TTL_MS), now);
    this.timeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  }

  async start(node: NodeView): Promise<void> {
    await this.bounded(`start the VM of node ${node.name}`, async (signal, what) => {
      const vm = await this.instanceOf(node, 'start', signal);
      await this.instanceOperation('start', vm, signal, what);
    });
  }

  /** The VM's power state and whether an operation on it is in progress, from its instance view. */
  async state(node: NodeView): Promise<VmState> {
    let state: VmState = { power: 'unknown', busy: false };
    await this.bounded(`read the state of node ${node.name}'s VM`, async (signal) => {
      const vm = await this.instanceOf(node, 'read', signal);
      let view: VmInstanceView;
      try {
        view = await this.apis.scaleSetVms.getInstanceView(vm.resourceGroup, vm.scaleSet, vm.instanceId, { abortSignal: signal });
      } catch (error) {
        const info = armErrorInfo(error);
        if (info.status === 404)
          throw new VmRefusal('no-vm', `${vm.scaleSet} instance ${vm.instanceId} no longer exists (${describeArmError(info)})`);
        throw error;
      }
      state = vmStateOf(view);
    });
    return state;
  }

  async deallocate(node: NodeView): Promise<void> {
    await this.bounded(`deallocate the VM of node ${node.name}`, async (signal, what) => {
      const vm = await this.instanceOf(node, 'deallocate', signal);
      const poolName = node.pool ?? AKS_SCALE_SET.exec(vm.scaleSet)?.[1];
      if (poolName === undefined) {
        throw new VmRefusal(
          'pool-not-deallocate-mode',
          `node ${node.name} names no agent pool (no kubernetes.azure.com/agentpool label, scale set ${vm.scaleSet}), ` +
            `so its pool's scaleDownMode cannot be checked; not deallocating`,
        );
      }
      const pool = await this.poolCache.get(poolName.toLowerCase(), () => this.readPool(poolName, signal));
      if (pool.scaleDownMode !== 'Deallocate') {
        const { resourceGroup, clusterName } = this.options;
        throw new VmRefusal(
          'pool-not-deallocate-mode',
          `agent pool '${poolName}' has scaleDownMode ${pool.scaleDownMode ?? 'Delete (the default)'}; AKS keeps ` +
            `deallocated node VMs only in Deallocate mode, so node ${node.name} is not stopped. Fix: az aks nodepool update ` +
            `--resource-group ${resourceGroup} --cluster-name ${clusterName} --name ${poolName} --scale-down-mode Deallocate`,
        );
      }
      if (pool.provisioningState !== 'Succeeded') {
        throw new VmRefusal(
          'failed',
          `agent pool '${poolName}' is ${pool.provisioningState ?? 'in an unknown state'}: AKS is working on it; node ${node.name} is not stopped now`,
        );
      }
      await this.instanceOperation('deallocate', vm, signal, what);
    });
  }

  async addNodes(poolName: string, count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`addNodes: count must be a positive integer, got ${count}`);
    const { resourceGroup, clusterName } = this.options;
    await this.bounded(`add ${count} node(s) to agent pool ${poolName}`, async (signal, what) => {
      // Read fresh, not from the cache: the new count is relative to the current one.
      const pool = await this.readPool(poolName, signal);
      if (pool.enableAutoScaling === true) {
        throw new VmRefusal(
          'failed',
          `agent pool '${poolName}' has the cluster autoscaler enabled (enableAutoScaling): it owns the pool's count and ` +
            `would undo ours. Leave this pool to it, or disable it: az aks nodepool update --resource-group ${resourceGroup} ` +
            `--cluster-name ${clusterName} --name ${poolName} --disable-cluster-autoscaler`,
        );
      }
      // Any state but Succeeded is AKS at work, or a stopped upgrade that this PUT would resume.
      if (pool.provisioningState !== 'Succeeded') {
        throw new VmRefusal(
          'failed',
          `agent pool '${poolName}' is ${pool.provisioningState ?? 'in an unknown state'}; not changing its count until it is Succeeded`,
        );
      }
      const target = (pool.count ?? 0) + count;
      const poller = this.apis.agentPools.createOrUpdate(
        resourceGroup,
        clusterName,
        pool.name ?? poolName,
        { ...pool, count: target },
        // If-Match: a change since our read (another writer, a person) gets 412, not a lost update.
        { ...this.lroOptions(signal), ...(pool.eTag !== undefined ? { ifMatch: pool.eTag } : {}) },
      );
      try {
        await this.accepted(poller, `${what} (count ${pool.count ?? 0} → ${target})`);
      } finally {
        this.poolCache.invalidate(poolName.toLowerCase());
        this.statesCache.invalidate('pools');
      }
    });
  }

  async poolStates(): Promise<PoolView[]> {
    const { resourceGroup, clusterName } = this.options;
    const states = await this.statesCache.get('pools', async () => {
      const pools: PoolView[] = [];
      await this.bounded(`read the agent pools of cluster ${clusterName}`, async (signal) => {
        for await (const pool of this.apis.agentPools.list(resourceGroup, clusterName, { abortSignal: signal })) {
          if (pool.name !== undefined) pools.push({ name: pool.name, provisioningState: pool.provisioningState });
        }
      });
      return pools;
    });
    return states.map((p) => ({ ...p }));
  }

  // --- steps ------------------------------------------------------------------------------------

  /** The node's scale-set instance, checked to belong to this cluster's node resource group. */
  private async instanceOf(node: NodeView, verb: string, signal: AbortSignal): Promise<InstanceRef> {
    const ref = node.vm;
    if (ref === undefined) {
      throw new VmRefusal('no-vm', `node ${node.name} has no scale-set VM (spec.providerID names none), nothing to ${verb}`);
    }
    // The clients act in their own subscription whatever the node says: never let a foreign VM
    // reference turn into an action on a same-named VM of this subscription.
    if (ref.subscription.toLowerCase() !== this.options.subscriptionId.toLowerCase()) {
      throw new VmRefusal(
        'no-vm',
        `node ${node.name}'s VM is in subscription ${ref.subscription}, not this cluster's ${this.options.subscriptionId}; not acting on it`,
      );
    }
    // A concurrent call shares this lookup, and with it the first caller's deadline.
    const cluster = await this.clusterCache.get('cluster', () =>
      this.apis.managedClusters.get(this.options.resourceGroup, this.options.clusterName, { abortSignal: signal }),
    );
    const nodeResourceGroup = cluster.nodeResourceGroup;
    if (nodeResourceGroup === undefined) {
      throw new Error(`managed cluster ${this.options.clusterName} reports no nodeResourceGroup`);
    }
    // AKS writes the node resource group in lower case in providerIDs; ARM names are case-insensitive.
    if (ref.resourceGroup.toLowerCase() !== nodeResourceGroup.toLowerCase()) {
      throw new VmRefusal(
        'no-vm',
        `node ${node.name}'s VM is in resource group ${ref.resourceGroup}, not cluster ${this.options.clusterName}'s ` +
          `node resource group ${nodeResourceGroup}; not acting on a VM outside this cluster`,
      );
    }
    return { resourceGroup: nodeResourceGroup, scaleSet: ref.scaleSet, instanceId: ref.instanceId };
  }

  /** One instance, by id: never the scale-set-wide call, whose empty instance list means all of them. */
  private async instanceOperation(action: 'start' | 'deallocate', vm: InstanceRef, signal: AbortSignal, what: string): Promise<void> {
    const api = this.apis.scaleSetVms;
    const options = this.lroOptions(signal);
    const poller =
      action === 'start'
        ? api.start(vm.resourceGroup, vm.scaleSet, vm.instanceId, options)
        : api.deallocate(vm.resourceGroup, vm.scaleSet, vm.instanceId, options);
    try {
      await this.accepted(poller, what);
    } catch (error) {
      const info = armErrorInfo(error);
      if (info.status === 404) {
        throw new VmRefusal('no-vm', `${what}: ${vm.scaleSet} instance ${vm.instanceId} no longer exists (${describeArmError(info)})`);
      }
      throw error;
    }
  }

  private async readPool(poolName: string, signal: AbortSignal): Promise<AgentPool> {
    const { resourceGroup, clusterName } = this.options;
    try {
      return await this.apis.agentPools.get(resourceGroup, clusterName, poolName, { abortSignal: signal });
    } catch (error) {
      const info = armErrorInfo(error);
      if (info.status === 404) {
        throw new VmRefusal('failed', `agent pool '${poolName}' was not found in cluster ${clusterName} (${describeArmError(info)})`);
      }
      throw error;
    }
  }

  /**
   * Waits until ARM has accepted the request, not for the operation to end (see the top of this file);
   * one that ARM reports Failed at once is a refusal with ARM's error.
   */
  private async accepted(poller: LroPoller, what: string): Promise<void> {
    try {
      await poller.submitted();
    } catch (error) {
      if (poller.operationState?.status !== 'failed') throw error;
    }
    if (poller.operationState?.status === 'failed') {
      throw new VmRefusal('failed', `${what} failed in Azure: ${poller.operationState.error?.message ?? 'no error given'}`);
    }
  }

  private lroOptions(signal: AbortSignal): LroOptions {
    return { abortSignal: signal };
  }

  /**
   * Runs one adapter call under its deadline and turns the known ARM outcomes into refusals:
   * throttling beyond our patience, the deadline, and conflicts (409 another operation runs, 412 the
   * pool changed since we read it) — all of which the next tick retries with fresh state.
   */
  private async bounded(what: string, body: (signal: AbortSignal, what: string) => Promise<void>): Promise<void> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      await body(deadline, what);
    } catch (error) {
      if (error instanceof VmRefusal) throw error;
      if (error instanceof ThrottledTooLong) throw new VmRefusal('throttled', `${what}: ${error.message}`);
      const info = armErrorInfo(error);
      if (info.status === 429) {
        throw new VmRefusal('throttled', `${what}: ARM still throttles after the SDK's retries (${describeArmError(info)})`);
      }
      if (deadline.aborted) {
        throw new VmRefusal(
          'failed',
          `${what}: no answer within ${this.timeoutMs} ms; the request may still have been accepted and complete in Azure, the next tick sees the true state`,
        );
      }
      if (info.status === 409 || info.status === 412) throw new VmRefusal('failed', `${what}: ${describeArmError(info)}`);
      throw error;
    }
  }
}

/** `PowerState/deallocating`, `ProvisioningState/updating` → the port's VmState. */
function vmStateOf(view: VmInstanceView): VmState {
  let power: VmState['power'] = 'unknown';
  let busy = false;
  for (const { code } of view.statuses ?? []) {
    const [kind, value] = (code ?? '').toLowerCase().split('/');
    if (kind === 'powerstate' && POWER_STATES.has(value as VmState['power'])) power = value as VmState['power'];
    if (kind === 'provisioningstate' && value !== undefined && value !== 'succeeded' && value !== 'failed') busy = true;
  }
  return { power, busy };
}

const POWER_STATES = new Set<VmState['power']>(['starting', 'running', 'stopping', 'stopped', 'deallocating', 'deallocated']);
