// Builds the real ARM SDK clients behind the adapter's narrow API interfaces.

import { ComputeManagementClient, type ComputeManagementClientOptionalParams } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import type { ArmApis } from './arm-apis';
import { plainHttpPolicy, throttleCapPolicy } from './arm-policies';

export const ARM_ENDPOINT = 'https://management.azure.com';

export interface ArmClientSettings {
  subscriptionId: string;
  credential: TokenCredential;
  /**
   * Default https://management.azure.com (sovereign clouds: their ARM endpoint). An `http://` URL,
   * for a local test endpoint, is reached through an https→http rewrite (see plainHttpPolicy).
   */
  endpoint?: string;
  /** Total Retry-After one request may wait out before giving up as throttled; default 10 s, within a tick's deadline. */
  maxThrottleWaitMs?: number;
  /** SDK retries of throttled (429) and transient (5xx, network) failures; default 3, as the SDK. */
  maxRetries?: number;
}

export const DEFAULT_MAX_THROTTLE_WAIT_MS = 10_000;

export function createArmApis(settings: ArmClientSettings): ArmApis {
  const options = armClientOptions(settings);
  const compute = new ComputeManagementClient(settings.credential, settings.subscriptionId, options);
  const aks = new ContainerServiceClient(settings.credential, settings.subscriptionId, options);
  return {
    scaleSetVms: compute.virtualMachineScaleSetVMs,
    agentPools: aks.agentPools,
    managedClusters: aks.managedClusters,
  };
}

function armClientOptions(settings: ArmClientSettings): ComputeManagementClientOptionalParams {
  const endpoint = (settings.endpoint ?? ARM_ENDPOINT).replace(/\/+$/, '');
  const plainHttp = /^http:\/\//i.test(endpoint);
  const policies = [throttleCapPolicy(settings.maxThrottleWaitMs ?? DEFAULT_MAX_THROTTLE_WAIT_MS)];
  if (plainHttp) policies.push(plainHttpPolicy(endpoint));
  return {
    endpoint: plainHttp ? endpoint.replace(/^http:/i, 'https:') : endpoint,
    additionalPolicies: policies,
    retryOptions: { maxRetries: settings.maxRetries ?? 3 },
    // The token is for ARM whatever the endpoint; a sovereign cloud would set its own scope here.
    credentials: { scopes: [`${ARM_ENDPOINT}/.default`] },
  };
}
