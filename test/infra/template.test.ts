// Structural validation of infra/main.json, the checks ARM's own validation would make before a
// deployment (Azure is not reachable from here): the document's shape, every expression parsed and
// every parameters()/variables() reference resolved, dependsOn naming resources that exist, outputs
// and parameters well-formed, and the Flex Consumption specifics (runtime in functionAppConfig, no
// deprecated app settings).

import { describe, expect, it } from 'vitest';
import {
  ARM_FUNCTIONS,
  evaluate,
  evaluateDeep,
  isExpression,
  parseExpression,
  resourcePath,
  strings,
  walk,
  type EvalContext,
} from './arm-expressions';
import {
  appSettingEntries,
  contextFor,
  exampleParameters,
  functionApp,
  identityOf,
  instances,
  mainContext,
  nestedDeployments,
  template,
  type Json,
  type Template,
} from './template-model';

const DEPLOYMENT_TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const RESOURCE_MEMBERS = new Set([
  'condition',
  'type',
  'apiVersion',
  'name',
  'comments',
  'location',
  'tags',
  'kind',
  'sku',
  'plan',
  'identity',
  'zones',
  'scope',
  'copy',
  'dependsOn',
  'properties',
  'subscriptionId',
  'resourceGroup',
  'extendedLocation',
]);
const PARAMETER_TYPES = new Set(['string', 'securestring', 'int', 'bool', 'object', 'secureObject', 'array']);

/** The main template and every inner-scope nested template, each checked against its own parameters. */
function templates(): { where: string; t: Template; ctx: EvalContext }[] {
  return [
    { where: 'main', t: template, ctx: mainContext() },
    ...nestedDeployments().map((d) => ({ where: d.name, t: d.template, ctx: d.ctx })),
  ];
}

/** The strings that belong to a template's own scope: not the inner template of a nested deployment. */
function ownStrings(t: Template): [string, string][] {
  const isInnerTemplate = (p: string) => /^\$\.resources\[\d+\]\.properties\.template$/.test(p);
  return [...strings(t, '$', isInnerTemplate)];
}

describe('infra/main.json: document shape', () => {
  it('is a resource-group deployment template with a content version', () => {
    expect(template.$schema).toBe(DEPLOYMENT_TEMPLATE_SCHEMA);
    expect(template.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(
      Object.keys(template).every((k) =>
        ['$schema', 'contentVersion', 'metadata', 'parameters', 'variables', 'resources', 'outputs', 'functions', 'apiProfile'].includes(k),
      ),
    ).toBe(true);
  });

  it.each(templates().map((x) => [x.where, x] as const))(
    '%s: every resource has a type, a dated apiVersion and a name',
    (_where, { t }) => {
      expect(t.$schema).toBe(DEPLOYMENT_TEMPLATE_SCHEMA);
      expect(t.resources.length).toBeGreaterThan(0);
      for (const r of t.resources) {
        const label = JSON.stringify(r.name);
        expect(String(r.type), label).toMatch(/^[A-Z][A-Za-z]+\.[A-Za-z.]+(\/[A-Za-z]+)+$/);
        expect(String(r.apiVersion), label).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
        expect(typeof r.name === 'string' && r.name.length > 0, label).toBe(true);
        // ARM refuses members it does not know ("Could not find member ... on object of type
        // 'TemplateResource'"); notes go in `comments`.
        expect(
          Object.keys(r).filter((key) => !RESOURCE_MEMBERS.has(key)),
          label,
        ).toEqual([]);
      }
    },
  );

  it.each(templates().map((x) => [x.where, x] as const))('%s: every expression parses and uses only ARM functions', (_where, { t }) => {
    const problems: string[] = [];
    for (const [at, value] of ownStrings(t)) {
      if (!isExpression(value)) continue;
      try {
        for (const node of walk(parseExpression(value))) {
          if (node.kind === 'call' && !ARM_FUNCTIONS.has(node.name)) problems.push(`${at}: unknown function ${node.name}()`);
        }
      } catch (error) {
        problems.push(`${at}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(templates().map((x) => [x.where, x] as const))('%s: every parameters() and variables() reference exists', (_where, { t }) => {
    const problems: string[] = [];
    for (const [at, value] of ownStrings(t)) {
      if (!isExpression(value)) continue;
      for (const node of walk(parseExpression(value))) {
        if (node.kind !== 'call' || (node.name !== 'parameters' && node.name !== 'variables')) continue;
        const arg = node.args[0];
        if (arg?.kind !== 'string') {
          problems.push(`${at}: ${node.name}() with a computed name cannot be checked`);
          continue;
        }
        const declared = node.name === 'parameters' ? t.parameters : t.variables;
        if (!declared || !(arg.value in declared)) problems.push(`${at}: ${node.name}('${arg.value}') is not declared`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(templates().map((x) => [x.where, x] as const))('%s: declares no parameter or variable it never uses', (_where, { t }) => {
    const used = new Set<string>();
    for (const [, value] of ownStrings(t)) {
      if (!isExpression(value)) continue;
      for (const node of walk(parseExpression(value))) {
        if (node.kind === 'call' && (node.name === 'parameters' || node.name === 'variables') && node.args[0]?.kind === 'string') {
          used.add(`${node.name}:${node.args[0].value}`);
        }
      }
    }
    const unused = [
      ...Object.keys(t.parameters ?? {})
        .filter((p) => !used.has(`parameters:${p}`))
        .map((p) => `parameter ${p}`),
      ...Object.keys(t.variables ?? {})
        .filter((v) => !used.has(`variables:${v}`))
        .map((v) => `variable ${v}`),
    ];
    expect(unused).toEqual([]);
  });

  it.each(templates().map((x) => [x.where, x] as const))(
    '%s: every dependsOn names a resource of the same template',
    (_where, { t, ctx }) => {
      const known = new Set<string>();
      for (const r of t.resources) {
        const copy = r.copy as { name: string } | undefined;
        if (copy) known.add(copy.name);
        for (const c of instances(r, ctx)) {
          known.add(identityOf(r, c));
          known.add(String(evaluate(r.name, c)));
        }
      }
      const problems: string[] = [];
      for (const r of t.resources) {
        for (const dep of (r.dependsOn as string[] | undefined) ?? []) {
          const target = String(evaluate(dep, ctx));
          if (!known.has(resourcePath(target)) && !known.has(target))
            problems.push(`${String(r.name)} depends on ${dep} = ${target}: not in the template`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('evaluates every resource with the example parameters (no dangling reference, no bad index)', () => {
    for (const { t, ctx } of templates()) {
      for (const r of t.resources) {
        const { properties: _ignored, ...rest } = r;
        // A nested deployment's inner template is evaluated in its own context (above); here its envelope.
        const own = r.type === 'Microsoft.Resources/deployments' ? { ...rest, properties: { ...(r.properties as Json), template: {} } } : r;
        for (const c of instances(r, ctx)) expect(() => evaluateDeep(own, c), String(r.name)).not.toThrow();
      }
    }
  });
});

describe('infra/main.json: parameters and outputs', () => {
  const parameters = Object.entries(template.parameters ?? {});

  it.each(parameters)('parameter %s has a valid type, a description, and a default that fits', (name, def) => {
    expect(PARAMETER_TYPES.has(String(def.type)), name).toBe(true);
    expect(String((def.metadata as Json | undefined)?.description ?? ''), name).not.toBe('');
    if (!('defaultValue' in def)) return;
    const value = evaluateDeep(def.defaultValue, contextFor(template, {}, { subscriptionId: 's', resourceGroup: 'rg' }));
    const type = String(def.type).toLowerCase();
    const fits =
      type === 'int'
        ? Number.isInteger(value)
        : type === 'bool'
          ? typeof value === 'boolean'
          : type === 'array'
            ? Array.isArray(value)
            : type.endsWith('object')
              ? typeof value === 'object' && !Array.isArray(value)
              : typeof value === 'string';
    expect(fits, `${name} default ${JSON.stringify(value)}`).toBe(true);
    if (Array.isArray(def.allowedValues)) expect(def.allowedValues, name).toContain(value);
    if (typeof def.minValue === 'number') expect(value as number).toBeGreaterThanOrEqual(def.minValue);
    if (typeof def.maxValue === 'number') expect(value as number).toBeLessThanOrEqual(def.maxValue);
  });

  it('outputs are typed and evaluate', () => {
    const ctx = mainContext();
    expect(Object.keys(template.outputs ?? {})).toEqual(
      expect.arrayContaining(['functionAppName', 'functionAppHostName', 'identityPrincipalId', 'identityClientId']),
    );
    for (const [name, out] of Object.entries(template.outputs ?? {})) {
      expect(PARAMETER_TYPES.has(String(out.type)), name).toBe(true);
      expect('value' in out, name).toBe(true);
      expect(() => evaluate(out.value, ctx), name).not.toThrow();
    }
  });

  it('the example parameters file names only template parameters, gives every required one, with fitting values', () => {
    expect(exampleParameters.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#');
    expect(exampleParameters.contentVersion).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const declared = template.parameters ?? {};
    for (const [name, { value }] of Object.entries(exampleParameters.parameters)) {
      const def = declared[name];
      expect(def, `${name} is not a template parameter`).toBeDefined();
      if (Array.isArray(def!.allowedValues)) expect(def!.allowedValues, name).toContain(value);
      if (def!.type === 'array') expect(Array.isArray(value), name).toBe(true);
      if (def!.type === 'string') expect(typeof value, name).toBe('string');
    }
    const required = Object.entries(declared)
      .filter(([, def]) => !('defaultValue' in def))
      .map(([name]) => name);
    expect(required.filter((name) => !(name in exampleParameters.parameters))).toEqual([]);
  });
});

describe('infra/main.json: Flex Consumption function app', () => {
  const plan = template.resources.find((r) => r.type === 'Microsoft.Web/serverfarms')!;
  const site = functionApp();
  const props = site.properties as Json;
  const config = props.functionAppConfig as Json;

  it('runs on a Flex Consumption (FC1) Linux plan', () => {
    expect(plan.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
    expect((plan.properties as Json).reserved).toBe(true);
    expect(site.kind).toBe('functionapp,linux');
    expect(props.serverFarmId).toBe("[resourceId('Microsoft.Web/serverfarms', variables('planName'))]");
    expect(props.httpsOnly).toBe(true);
  });

  it('sets the Node runtime in functionAppConfig, from an allowed version parameter', () => {
    expect((config.runtime as Json).name).toBe('node');
    expect((config.runtime as Json).version).toBe("[parameters('nodeVersion')]");
    expect(template.parameters?.nodeVersion?.allowedValues).toEqual(['20', '22']);
    expect(config.scaleAndConcurrency).toEqual({
      maximumInstanceCount: "[parameters('maximumInstanceCount')]",
      instanceMemoryMB: "[parameters('instanceMemoryMB')]",
    });
  });

  it('deploys from a blob container reached with the user-assigned identity', () => {
    const storage = (config.deployment as Json).storage as Json;
    expect(storage.type).toBe('blobContainer');
    expect(storage.authentication).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: "[variables('identityId')]" });
    expect(String(evaluate(storage.value, mainContext()))).toMatch(/^https:\/\/.+\.blob\.core\.windows\.net\/app-package$/);
    expect(site.identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: { "[variables('identityId')]": {} } });
  });

  it('sets no app setting or site property that Flex Consumption deprecates', () => {
    // functions-app-settings.md "Flex Consumption plan deprecations" (and azure-sdk-facts.md 1.8).
    const deprecated = [
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_WORKER_RUNTIME_VERSION',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'WEBSITE_CONTENTSHARE',
      'WEBSITE_CONTENTOVERVNET',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
      'ENABLE_ORYX_BUILD',
      'WEBSITE_NODE_DEFAULT_VERSION',
      'WEBSITE_TIME_ZONE',
      'TZ',
      'WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT',
      'WEBSITE_VNET_ROUTE_ALL',
      'AzureWebJobsStorage',
    ];
    const names = appSettingEntries().map((s) => s.name);
    expect(names.filter((n) => deprecated.some((d) => d.toLowerCase() === n.toLowerCase()))).toEqual([]);
    const siteConfig = props.siteConfig as Json;
    for (const key of ['linuxFxVersion', 'windowsFxVersion', 'netFrameworkVersion', 'alwaysOn', 'functionAppScaleLimit'])
      expect(siteConfig, key).not.toHaveProperty(key);
  });

  it('reaches its host storage with the identity only: no account key anywhere', () => {
    const storage = template.resources.find((r) => r.type === 'Microsoft.Storage/storageAccounts')!;
    expect((storage.properties as Json).allowSharedKeyAccess).toBe(false);
    const settings = Object.fromEntries(appSettingEntries().map((s) => [s.name, s.value]));
    expect(settings.AzureWebJobsStorage__credential).toBe('managedidentity');
    expect(settings.AzureWebJobsStorage__clientId).toBe("[reference(variables('identityId'), '2023-01-31').clientId]");
    expect(settings.AzureWebJobsStorage__accountName).toBe("[variables('storageAccountName')]");
    const text = JSON.stringify(template);
    expect(text).not.toMatch(/listKeys|AccountKey=|SharedAccessSignature/i);
  });

  it('sends telemetry with the identity (Application Insights local auth off)', () => {
    const insights = template.resources.find((r) => r.type === 'Microsoft.Insights/components')!;
    expect((insights.properties as Json).DisableLocalAuth).toBe(true);
    const settings = Object.fromEntries(appSettingEntries().map((s) => [s.name, s.value]));
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toBe(
      "[format('ClientId={0};Authorization=AAD', reference(variables('identityId'), '2023-01-31').clientId)]",
    );
  });

  it('places cross-resource-group work in nested deployments with inner expression scope', () => {
    for (const d of nestedDeployments()) {
      const props = d.resource.properties as Json;
      expect(props.mode, d.name).toBe('Incremental');
      expect(props.expressionEvaluationOptions, d.name).toEqual({ scope: 'inner' });
      expect(typeof d.resource.resourceGroup, d.name).toBe('string');
    }
    expect(
      nestedDeployments()
        .map((d) => d.resource.resourceGroup)
        .sort(),
    ).toEqual(
      ["[parameters('aksResourceGroup')]", "[parameters('nodeResourceGroup')]", "[parameters('queueStorageResourceGroup')]"].sort(),
    );
  });
});
