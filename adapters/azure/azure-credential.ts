// The credential for ARM: in Azure the Function's managed identity; on a developer machine whatever
// DefaultAzureCredential finds (Azure CLI login, environment variables, VS Code).

import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

export interface AzureCredentialSettings {
  /**
   * Client id of a user-assigned managed identity. When given, only that identity is used: a Function
   * with several identities must not silently fall back to another one (or to a developer login).
   */
  managedIdentityClientId?: string;
}

export function azureCredential(settings: AzureCredentialSettings = {}): TokenCredential {
  const clientId = settings.managedIdentityClientId?.trim();
  if (clientId !== undefined && clientId !== '') return new ManagedIdentityCredential({ clientId });
  return new DefaultAzureCredential();
}
