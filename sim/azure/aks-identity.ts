// Who the simulated cluster is in Azure (subscription, resource groups, the cluster's hash) and the
// names AKS derives from it: the node resource group, each pool's scale set, each VM's node name.

export interface CloudIdentity {
  subscription: string;
  resourceGroup: string;
  clusterName: string;
  location: string;
  /** The number in every node name and scale set of the cluster (`aks-user-27531488-vmss`). */
  clusterHash: string;
  kubernetesVersion: string;
}

export const DEFAULT_IDENTITY: CloudIdentity = {
  subscription: '3f2a1c9e-8b7d-4e21-9c55-0d6b1a2e4f70',
  resourceGroup: 'clomo-rg',
  clusterName: 'clomo-prod',
  location: 'japaneast',
  clusterHash: '27531488',
  kubernetesVersion: '1.33.5',
};

export function nodeResourceGroup(identity: CloudIdentity): string {
  return `MC_${identity.resourceGroup}_${identity.clusterName}_${identity.location}`;
}

export function scaleSetName(pool: string, identity: CloudIdentity): string {
  return `aks-${pool}-${identity.clusterHash}-vmss`;
}

/** `aks-user-27531488-vmss00000a` for instance 10: the scale set's computer name prefix + base 36. */
export function nodeName(pool: string, instance: number, identity: CloudIdentity): string {
  return `${scaleSetName(pool, identity)}${instance.toString(36).padStart(6, '0')}`;
}
