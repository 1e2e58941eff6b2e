// What the ARM test endpoint needs from a simulated cloud: the scale-set VMs behind the node pools and
// the agent pools of one managed cluster. The in-memory cluster model implements it, so the ARM
// endpoint, the Kubernetes endpoint and the simulator all see one world.

export type VmPowerState = 'starting' | 'running' | 'stopping' | 'stopped' | 'deallocating' | 'deallocated';

export interface SimVm {
  instanceId: string;
  /** The node name Kubernetes shows for this VM (`aks-user-27531488-vmss000003`). */
  computerName: string;
  powerState: VmPowerState;
}

export interface SimAgentPool {
  name: string;
  count: number;
  mode: 'System' | 'User';
  vmSize: string;
  maxPods: number;
  scaleDownMode: 'Delete' | 'Deallocate';
  enableAutoScaling: boolean;
  /** `aks-<pool>-<hash>-vmss` in the node resource group. */
  scaleSet: string;
  /** AKS reports a provisioning state while the pool's count is being changed, or while it upgrades or updates the pool. */
  provisioningState: AgentPoolProvisioningState;
}

/** The values AKS documents for an agent pool (the API leaves the set open). */
export type AgentPoolProvisioningState =
  | 'Succeeded'
  | 'Updating'
  | 'Scaling'
  | 'Upgrading'
  | 'Creating'
  | 'Deleting'
  | 'Starting'
  | 'Stopping'
  | 'Canceling'
  | 'Failed'
  | 'Canceled';

export interface SimCompute {
  readonly subscription: string;
  /** Resource group of the managed cluster object. */
  readonly resourceGroup: string;
  readonly clusterName: string;
  /** `MC_<rg>_<cluster>_<region>`: where the scale sets live. */
  readonly nodeResourceGroup: string;
  readonly location: string;

  agentPools(): SimAgentPool[];
  /** Raises (or lowers) the pool's count; new VMs join as new nodes after their boot time. */
  setAgentPoolCount(pool: string, count: number): void;
  /** An AKS operation on the pool (an upgrade, an update) as a test stages it; undefined ends it. */
  setAgentPoolOperation(pool: string, state: AgentPoolProvisioningState | undefined): void;

  /** undefined when no such scale set exists. */
  scaleSetVms(scaleSet: string): SimVm[] | undefined;
  /** Begins starting a deallocated/stopped VM; false when the VM does not exist. */
  startVm(scaleSet: string, instanceId: string): boolean;
  /** Begins deallocating a VM; false when the VM does not exist. */
  deallocateVm(scaleSet: string, instanceId: string): boolean;
}
