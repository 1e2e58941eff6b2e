// App Service Authentication in infra/main.json: people sign in with Entra ID and are named in the
// record of who did what; unauthenticated requests go on to the Functions host, whose authLevel
// 'function' still demands a key, so automation keeps its function keys and nothing opens up.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateDeep } from './arm-expressions';
import { ROOT } from './source-scan';
import { mainContext, template, type Json } from './template-model';

const auth = template.resources.find((r) => r.type === 'Microsoft.Web/sites/config' && String(r.name).includes('authsettingsV2'));

describe('App Service Authentication (Entra ID)', () => {
  it('is configured on the app when an app registration is given, and left out without one', () => {
    expect(auth).toBeDefined();
    expect(auth!.dependsOn).toEqual(["[variables('siteId')]"]);
    expect(evaluateDeep(auth!.condition, mainContext({ authClientId: '' }))).toBe(false);
    expect(evaluateDeep(auth!.condition, mainContext({ authClientId: '11111111-1111-4111-8111-111111111111' }))).toBe(true);
  });

  it('lets unauthenticated requests through to the function-key check instead of redirecting them', () => {
    const props = evaluateDeep(auth!.properties, mainContext({ authClientId: '11111111-1111-4111-8111-111111111111' })) as Json;
    expect(props.platform).toEqual({ enabled: true });
    expect(props.globalValidation).toEqual({ requireAuthentication: false, unauthenticatedClientAction: 'AllowAnonymous' });
    const aad = (props.identityProviders as Json).azureActiveDirectory as Json;
    expect(aad).toMatchObject({
      enabled: true,
      registration: {
        clientId: '11111111-1111-4111-8111-111111111111',
        openIdIssuer: expect.stringMatching(/^https:\/\/login\.microsoftonline\.com\/[-0-9a-f]+\/v2\.0$/),
      },
    });
  });

  it('keeps every HTTP function behind the function key', () => {
    const catalog = readFileSync(path.join(ROOT, 'functions/catalog.ts'), 'utf8');
    expect(catalog).toContain("app.http(f.name, { methods: f.methods, authLevel: 'function'");
    expect(catalog).not.toMatch(/authLevel: 'anonymous'/);
  });
});
