import { describe, expect, it } from 'vitest';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { azureCredential } from '../../../adapters/azure/azure-credential';

describe('azureCredential', () => {
  it.each([
    [
      'a user-assigned identity when a client id is given',
      { managedIdentityClientId: '00000000-0000-0000-0000-0000000000aa' },
      ManagedIdentityCredential,
    ],
    ['DefaultAzureCredential without one', {}, DefaultAzureCredential],
    ['DefaultAzureCredential for a blank client id', { managedIdentityClientId: '  ' }, DefaultAzureCredential],
  ])('uses %s', (_name, settings, kind) => {
    expect(azureCredential(settings)).toBeInstanceOf(kind);
  });
});
