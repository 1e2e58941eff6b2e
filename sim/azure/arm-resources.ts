// The JSON bodies Azure Resource Manager returns for the resources the ARM test endpoint serves, in the
// wire shape (`properties` not flattened) that the generated SDK deserializers expect. Only the fields
// the SDK models read and an operator would recognise; nothing invented.

import type { SimAgentPool, SimCompute, SimVm, VmPowerState } from './compute';

export type JsonObject = { [key: string]: unknown };

/** ARM's error envelope, exactly: `{ "error": { "code", "message" } }`. */
export function armError(code: string, message: string): JsonObject {
  return { error: { code, message } };
}

export function managedClusterId(compute: SimCompute): string {
  return (
    `/subscriptions/${compute.subscription}/resourceGroups/${compute.resourceGroup}` +
    `/providers/Microsoft.ContainerService/managedClusters/${compute.clusterName}`
  );
}

export function scaleSetId(compute: SimCompute, scaleSet: string): string {
  return (
    `/subscriptions/${compute.subscription}/resourceGroups/${compute.nodeResourceGroup}` +
    `/providers/Microsoft.Compute/virtualMachineScaleSets/${scaleSet}`
  );
}

/** What a pool reports while the endpoint runs an operation on it (AKS shows `Updating`). */
export type PoolProvisioning = SimAgentPool['provisioningState'];

/**
 * A pool's properties as AKS returns them both inside `agentPoolProfiles` and on the agent pool
 * resource. The eTag changes whenever what we serve changes, which is what If-Match relies on.
 */
function agentPoolProperties(pool: SimAgentPool, provisioningState: PoolProvisioning): JsonObject {
  return {
    eTag: poolETag(pool),
    count: pool.count,
    vmSize: pool.vmSize,
    maxPods: pool.maxPods,
    type: 'VirtualMachineScaleSets',
    mode: pool.mode,
    osType: 'Linux',
    osSKU: 'Ubuntu',
    enableAutoScaling: pool.enableAutoScaling,
    scaleDownMode: pool.scaleDownMode,
    provisioningState,
    powerState: { code: 'Running' },
  };
}

export function poolETag(pool: SimAgentPool): string {
  // A stable digest of the fields a PUT can change: a writer holding an old eTag gets 412.
  const text = `${pool.name}|${pool.count}|${pool.scaleDownMode}|${pool.enableAutoScaling}|${pool.provisioningState}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function agentPoolJson(compute: SimCompute, pool: SimAgentPool, provisioningState: PoolProvisioning): JsonObject {
  return {
    id: `${managedClusterId(compute)}/agentPools/${pool.name}`,
    name: pool.name,
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    properties: agentPoolProperties(pool, provisioningState),
  };
}

export function managedClusterJson(
  compute: SimCompute,
  pools: readonly SimAgentPool[],
  provisioningOf: (pool: SimAgentPool) => PoolProvisioning,
): JsonObject {
  const states = pools.map(provisioningOf);
  // The cluster reports Updating while any of its pools does, as AKS does during a scale.
  const clusterState = states.includes('Updating') || states.includes('Scaling') ? 'Updating' : 'Succeeded';
  return {
    id: managedClusterId(compute),
    name: compute.clusterName,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location: compute.location,
    sku: { name: 'Base', tier: 'Standard' },
    properties: {
      provisioningState: clusterState,
      powerState: { code: 'Running' },
      kubernetesVersion: '1.33.3',
      dnsPrefix: compute.clusterName,
      fqdn: `${compute.clusterName}-dns-00000000.hcp.${compute.location}.azmk8s.io`,
      nodeResourceGroup: compute.nodeResourceGroup,
      agentPoolProfiles: pools.map((pool, i) => ({ name: pool.name, ...agentPoolProperties(pool, states[i] ?? 'Succeeded') })),
    },
  };
}

const POWER_DISPLAY: Record<VmPowerState, string> = {
  starting: 'VM starting',
  running: 'VM running',
  stopping: 'VM stopping',
  stopped: 'VM stopped',
  deallocating: 'VM deallocating',
  deallocated: 'VM deallocated',
};

export function instanceViewJson(vm: SimVm, busy: boolean): JsonObject {
  return {
    platformUpdateDomain: 0,
    platformFaultDomain: 0,
    computerName: vm.computerName,
    osName: 'ubuntu',
    statuses: [
      busy
        ? { code: 'ProvisioningState/updating', level: 'Info', displayStatus: 'Updating' }
        : { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
      { code: `PowerState/${vm.powerState}`, level: 'Info', displayStatus: POWER_DISPLAY[vm.powerState] },
    ],
  };
}

export function scaleSetVmJson(
  compute: SimCompute,
  scaleSet: string,
  vm: SimVm,
  options: { vmSize: string; busy: boolean; expandInstanceView: boolean },
): JsonObject {
  return {
    id: `${scaleSetId(compute, scaleSet)}/virtualMachines/${vm.instanceId}`,
    name: `${scaleSet}_${vm.instanceId}`,
    type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines',
    location: compute.location,
    instanceId: vm.instanceId,
    sku: { name: options.vmSize, tier: 'Standard' },
    properties: {
      latestModelApplied: true,
      provisioningState: options.busy ? 'Updating' : 'Succeeded',
      osProfile: { computerName: vm.computerName },
      ...(options.expandInstanceView ? { instanceView: instanceViewJson(vm, options.busy) } : {}),
    },
  };
}
