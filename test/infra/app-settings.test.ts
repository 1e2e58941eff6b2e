// Every app setting the code reads is set or parameterised in infra/main.json and listed in
// local.settings.example.json, or is on a short list below with the reason it is not. And what the
// template would set is accepted by the code's own settings reader.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../adapters/policy-file';
import { SCHEDULE_SETTINGS } from '../../functions/schedules';
import { MODE_SETTINGS, readSettings, SETTING_NAMES } from '../../functions/settings';
import { REFERENCE_STUBS } from './arm-expressions';
import { productionSourceFiles, ROOT } from './source-scan';
import { appSettingEntries, evaluatedAppSettings, template } from './template-model';

type SettingName = (typeof SETTING_NAMES)[number];

/** Set by the platform on every instance; an app setting of that name would be wrong. */
const PLATFORM_PROVIDED: Partial<Record<SettingName, string>> = {
  WEBSITE_INSTANCE_ID: 'App Service / Functions sets it on each instance (the Lease holder and Event reporter id)',
};

/** For running locally only: the template deliberately leaves them out. */
const LOCAL_ONLY: Partial<Record<SettingName, string>> = {
  KUBECONFIG: 'a kubeconfig file on a developer machine; in Azure the app uses KUBERNETES_CONNECTION=aks',
  KUBE_CONTEXT: 'a context of that kubeconfig file',
  QUEUES_CONNECTION_STRING:
    'holds an account key (Azurite locally); in Azure the queues are read with the managed identity through QUEUES_ACCOUNT_URL',
};

/** Settings the Functions host reads, not our code; each with why the template sets it. */
const HOST_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage__accountName: 'host storage by identity (no connection string, shared keys are off)',
  AzureWebJobsStorage__credential: 'managedidentity',
  AzureWebJobsStorage__clientId: 'which identity: the user-assigned one',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'where telemetry goes',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'telemetry with the identity (local auth is off)',
};

const example = JSON.parse(readFileSync(path.join(ROOT, 'local.settings.example.json'), 'utf8')) as { Values: Record<string, string> };
const templateNames = appSettingEntries().map((s) => s.name);

describe('app settings: code, local.settings.example.json and the template agree', () => {
  it('the allow-lists name only settings the code reads', () => {
    for (const name of [...Object.keys(PLATFORM_PROVIDED), ...Object.keys(LOCAL_ONLY)]) expect(SETTING_NAMES, name).toContain(name);
  });

  it('every setting the code reads is in local.settings.example.json', () => {
    expect(SETTING_NAMES.filter((n) => !(n in PLATFORM_PROVIDED) && !(n in example.Values))).toEqual([]);
  });

  it('every setting the code reads is set in the template, unless platform-provided or local-only', () => {
    expect(SETTING_NAMES.filter((n) => !(n in PLATFORM_PROVIDED) && !(n in LOCAL_ONLY) && !templateNames.includes(n))).toEqual([]);
  });

  it('the template sets no local-only or platform setting, and nothing unexplained', () => {
    expect(templateNames.filter((n) => n in LOCAL_ONLY || n in PLATFORM_PROVIDED)).toEqual([]);
    expect(templateNames.filter((n) => !(SETTING_NAMES as readonly string[]).includes(n) && !(n in HOST_SETTINGS))).toEqual([]);
    expect(new Set(templateNames).size).toBe(templateNames.length);
  });

  it('every environment variable the production code reads by name is a known setting', () => {
    const read = new Set<string>();
    for (const sf of productionSourceFiles()) {
      const visit = (node: ts.Node): void => {
        // process.env.NAME and process.env['NAME']
        if (ts.isPropertyAccessExpression(node) && node.expression.getText(sf) === 'process.env') read.add(node.name.text);
        if (
          ts.isElementAccessExpression(node) &&
          node.expression.getText(sf) === 'process.env' &&
          ts.isStringLiteralLike(node.argumentExpression)
        ) {
          read.add(node.argumentExpression.text);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    for (const { setting } of Object.values(SCHEDULE_SETTINGS)) read.add(setting);
    expect([...read].filter((n) => !(SETTING_NAMES as readonly string[]).includes(n) && !(n in HOST_SETTINGS))).toEqual([]);
  });

  it("the timer schedule parameters default to the code's own fallbacks", () => {
    const byParameter: Record<string, string> = {
      nodes: 'nodeScalerSchedule',
      workers: 'workerScalerSchedule',
      descheduler: 'deschedulerSchedule',
    };
    for (const [scaler, { setting, fallback }] of Object.entries(SCHEDULE_SETTINGS)) {
      const parameter = byParameter[scaler]!;
      expect(template.parameters?.[parameter]?.defaultValue, parameter).toBe(fallback);
      expect(appSettingEntries().find((e) => e.name === setting)?.value, setting).toBe(`[parameters('${parameter}')]`);
    }
  });
});

describe('app settings: what the template would set is accepted by the code', () => {
  // The policy as docs/deploy.md passes it: the example policy through infra/policy-parameters.mjs.
  const policyParameters = JSON.parse(
    execFileSync(process.execPath, [path.join(ROOT, 'infra/policy-parameters.mjs'), path.join(ROOT, 'policy.example.yaml')], {
      encoding: 'utf8',
    }),
  ) as {
    parameters: { policy: { value: string } };
  };
  const policy = policyParameters.parameters.policy.value;
  const identity = REFERENCE_STUBS['Microsoft.ManagedIdentity/userAssignedIdentities']!;

  it('the policy parameter holds the example policy, valid as the app reads it', () => {
    expect(() => parsePolicyText(policy, 'GRACEFUL_SCALER_POLICY')).not.toThrow();
    expect(parsePolicyText(policy, 'GRACEFUL_SCALER_POLICY')).toEqual(
      parsePolicyText(readFileSync(path.join(ROOT, 'policy.example.yaml'), 'utf8'), 'policy.example.yaml'),
    );
  });

  it('readSettings accepts the deployed settings: AKS with an Entra token, queues by identity, the user-assigned identity', () => {
    const env = evaluatedAppSettings({ policy });
    const settings = readSettings(env);
    expect(settings).toMatchObject({
      policy: { inline: policy },
      namespace: 'graceful-scaler',
      kubernetes: { kind: 'aks' },
      cluster: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'clomo-rg', name: 'clomo-prod' },
      managedIdentityClientId: identity.clientId,
      queues: { accountUrl: 'https://clomojobs.queue.core.windows.net' },
    });
    expect(env.AzureWebJobsStorage__clientId).toBe(identity.clientId);
    expect(env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(`ClientId=${String(identity.clientId)};Authorization=AAD`);
  });

  it('a first deployment observes: every scaler mode defaults to observe, and the code reads it so', () => {
    const byParameter = { nodes: 'nodeScalerMode', workers: 'workerScalerMode', descheduler: 'deschedulerMode' } as const;
    for (const [scaler, setting] of Object.entries(MODE_SETTINGS) as [keyof typeof byParameter, string][]) {
      expect(template.parameters?.[byParameter[scaler]]?.defaultValue, byParameter[scaler]).toBe('observe');
      expect(appSettingEntries().find((e) => e.name === setting)?.value, setting).toBe(`[parameters('${byParameter[scaler]}')]`);
    }
    expect(readSettings(evaluatedAppSettings({ policy })).modes).toEqual({ nodes: 'observe', workers: 'observe', descheduler: 'observe' });
  });

  it('without a queue account the worker scaler has no queues, and settings are still valid', () => {
    const settings = readSettings(evaluatedAppSettings({ policy, queueStorageAccountName: '', queueNames: [] }));
    expect(settings.queues).toBeUndefined();
  });

  it('with no policy at all the app refuses to start, naming the setting', () => {
    expect(() => readSettings(evaluatedAppSettings())).toThrow(/GRACEFUL_SCALER_POLICY: required/);
  });
});
