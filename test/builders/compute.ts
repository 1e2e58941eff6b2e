// A small in-memory SimCompute for the ARM endpoint's and the Azure adapter's tests: agent pools and
// their scale-set VMs, with power changes that take effect at once (the full cluster model in
// sim/model/cluster.ts adds boot and shutdown times). It records what was asked of it.
//
//   const compute = buildCompute({ name: 'user', vms: ['running', 'running', 'deallocated'], scaleDownMode: 'Deallocate' });
//   const node = vmNode(compute, 'user', '2');    // the NodeView AKS's providerID gives for that VM

import type { AgentPoolProvisioningState, SimAgentPool, SimCompute, SimVm, VmPowerState } from '../../sim/azure/compute';
import type { NodeView } from '../../core/views';
import { AKS_CLUSTER_HASH, AKS_SUBSCRIPTION } from './aks';
import { buildNode, inPool } from './views';

export const ARM_RESOURCE_GROUP = 'clomo-rg';
export const ARM_CLUSTER = 'clomo-prod';
export const ARM_LOCATION = 'japaneast';
export const ARM_NODE_RESOURCE_GROUP = `MC_${ARM_RESOURCE_GROUP}_${ARM_CLUSTER}_${ARM_LOCATION}`;

export interface PoolSpec extends Partial<Omit<SimAgentPool, 'name' | 'count'>> {
  name: string;
  /** One power state per VM, instance ids 0, 1, 2…; the pool's count is their number. */
  vms?: VmPowerState[];
}

export function scaleSetName(pool: string): string {
  return `aks-${pool}-${AKS_CLUSTER_HASH}-vmss`;
}

/** As AKS names a node: the scale set's prefix and the instance id in base 36, six digits. */
export function computerName(pool: string, instanceId: number): string {
  return `aks-${pool}-${AKS_CLUSTER_HASH}-vmss${instanceId.toString(36).padStart(6, '0')}`;
}

export class TestCompute implements SimCompute {
  readonly subscription = AKS_SUBSCRIPTION;
  readonly resourceGroup = ARM_RESOURCE_GROUP;
  readonly clusterName = ARM_CLUSTER;
  readonly nodeResourceGroup = ARM_NODE_RESOURCE_GROUP;
  readonly location = ARM_LOCATION;
  /** What was asked, in order: `start aks-user-…-vmss/2`, `count user 4`. */
  readonly calls: string[] = [];

  private readonly pools: SimAgentPool[] = [];
  private readonly vmsBySet = new Map<string, SimVm[]>();
  private readonly nextId = new Map<string, number>();

  constructor(specs: readonly PoolSpec[]) {
    for (const spec of specs) {
      const { vms = ['running'], ...rest } = spec;
      const pool: SimAgentPool = {
        mode: 'User',
        vmSize: 'Standard_D4s_v5',
        maxPods: 30,
        scaleDownMode: 'Delete',
        enableAutoScaling: false,
        scaleSet: scaleSetName(spec.name),
        provisioningState: 'Succeeded',
        ...rest,
        count: vms.length,
      };
      this.pools.push(pool);
      this.vmsBySet.set(
        pool.scaleSet,
        vms.map((powerState, i) => ({ instanceId: String(i), computerName: computerName(pool.name, i), powerState })),
      );
      this.nextId.set(pool.scaleSet, vms.length);
    }
  }

  agentPools(): SimAgentPool[] {
    return this.pools.map((p) => ({ ...p }));
  }

  pool(name: string): SimAgentPool | undefined {
    return this.pools.find((p) => p.name === name);
  }

  setAgentPoolCount(poolName: string, count: number): void {
    const pool = this.pool(poolName);
    if (pool === undefined) throw new Error(`no pool ${poolName}`);
    this.calls.push(`count ${poolName} ${count}`);
    const vms = this.vmsBySet.get(pool.scaleSet) ?? [];
    while (vms.length < count) {
      const id = this.nextId.get(pool.scaleSet) ?? vms.length;
      this.nextId.set(pool.scaleSet, id + 1);
      vms.push({ instanceId: String(id), computerName: computerName(pool.name, id), powerState: 'running' });
    }
    vms.length = Math.min(vms.length, count);
    pool.count = count;
  }

  setAgentPoolOperation(poolName: string, state: AgentPoolProvisioningState | undefined): void {
    const pool = this.pool(poolName);
    if (pool === undefined) throw new Error(`no pool ${poolName}`);
    pool.provisioningState = state ?? 'Succeeded';
  }

  scaleSetVms(scaleSet: string): SimVm[] | undefined {
    return this.vmsBySet.get(scaleSet)?.map((vm) => ({ ...vm }));
  }

  vm(scaleSet: string, instanceId: string): SimVm | undefined {
    return this.vmsBySet.get(scaleSet)?.find((vm) => vm.instanceId === instanceId);
  }

  /** The VM disappears (AKS deleted it), e.g. to see what a late deallocate gets. */
  removeVm(scaleSet: string, instanceId: string): void {
    const vms = this.vmsBySet.get(scaleSet);
    if (vms === undefined) return;
    const i = vms.findIndex((vm) => vm.instanceId === instanceId);
    if (i >= 0) vms.splice(i, 1);
  }

  startVm(scaleSet: string, instanceId: string): boolean {
    return this.setPower(scaleSet, instanceId, 'start', 'running');
  }

  deallocateVm(scaleSet: string, instanceId: string): boolean {
    return this.setPower(scaleSet, instanceId, 'deallocate', 'deallocated');
  }

  private setPower(scaleSet: string, instanceId: string, verb: string, power: VmPowerState): boolean {
    const vm = this.vm(scaleSet, instanceId);
    if (vm === undefined) return false;
    this.calls.push(`${verb} ${scaleSet}/${instanceId}`);
    vm.powerState = power;
    return true;
  }
}

export function buildCompute(...pools: PoolSpec[]): TestCompute {
  return new TestCompute(pools);
}

/**
 * The node view of a pool's VM as the Kubernetes projection makes it from `spec.providerID`, which
 * AKS writes with the node resource group in lower case.
 */
export function vmNode(compute: SimCompute, pool: string, instanceId: string): NodeView {
  const spec = compute.agentPools().find((p) => p.name === pool);
  const scaleSet = spec?.scaleSet ?? scaleSetName(pool);
  return buildNode(computerName(pool, Number(instanceId)), inPool(pool), (n) => {
    n.vm = { subscription: compute.subscription, resourceGroup: compute.nodeResourceGroup.toLowerCase(), scaleSet, instanceId };
  });
}
