// The cluster's server and CA for a Function App that has no kubeconfig file: ARM issues a user
// kubeconfig (`listClusterUserCredential`); connect.ts keeps its cluster and swaps in our identity.

import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';

export async function aksUserKubeconfig(
  credential: TokenCredential,
  cluster: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<string> {
  const client = new ContainerServiceClient(credential, cluster.subscriptionId);
  const result = await client.managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.name, { format: 'exec' });
  const value = result.kubeconfigs?.[0]?.value;
  if (!value) throw new Error(`managed cluster ${cluster.resourceGroup}/${cluster.name} returned no user kubeconfig`);
  return Buffer.from(value).toString('utf8');
}
