// infra/main.json as the tests see it: the template, the example parameters, and what each resource
// would be on deployment (names, scopes, role assignments), evaluated with arm-expressions.ts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate, evaluateDeep, resourcePath, typeOfPath, type EvalContext } from './arm-expressions';
import { ROOT } from './source-scan';

export type Json = Record<string, unknown>;

export interface Template {
  $schema: string;
  contentVersion: string;
  metadata?: Json;
  parameters?: Record<string, Json>;
  variables?: Json;
  resources: Json[];
  outputs?: Record<string, Json>;
}

export const TEMPLATE_FILE = 'infra/main.json';
export const PARAMETERS_FILE = 'infra/main.parameters.example.json';

export function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

export const template = readJson<Template>(TEMPLATE_FILE);
export const exampleParameters = readJson<{ $schema: string; contentVersion: string; parameters: Record<string, { value: unknown }> }>(
  PARAMETERS_FILE,
);

/** The deployment's own subscription and resource group (made up; the example's cluster is elsewhere). */
export const APP_SUBSCRIPTION = '99999999-9999-4999-8999-999999999999';
export const APP_RESOURCE_GROUP = 'graceful-scaler-rg';

/** Parameter values: template defaults, overridden by the example file and `extra`. */
export function contextFor(
  t: Template,
  given: Record<string, unknown>,
  where: { subscriptionId: string; resourceGroup: string },
): EvalContext {
  const ctx: EvalContext = {
    parameters: {},
    variables: t.variables ?? {},
    subscriptionId: where.subscriptionId,
    resourceGroup: where.resourceGroup,
    location: 'japaneast',
  };
  for (const [name, def] of Object.entries(t.parameters ?? {})) {
    if (name in given) ctx.parameters[name] = given[name];
    else if ('defaultValue' in def) ctx.parameters[name] = evaluateDeep(def.defaultValue, ctx);
  }
  return ctx;
}

export function mainContext(extra: Record<string, unknown> = {}): EvalContext {
  const given = Object.fromEntries(Object.entries(exampleParameters.parameters).map(([k, v]) => [k, v.value]));
  return contextFor(template, { ...given, ...extra }, { subscriptionId: APP_SUBSCRIPTION, resourceGroup: APP_RESOURCE_GROUP });
}

export interface NestedDeployment {
  resource: Json;
  name: string;
  template: Template;
  /** Context of the inner template (inner expression scope), with its parameter values. */
  ctx: EvalContext;
  subscriptionId: string;
  resourceGroup: string;
}

/** The nested deployments of the main template, their inner templates evaluated with the outer values. */
export function nestedDeployments(outer: EvalContext = mainContext()): NestedDeployment[] {
  return template.resources
    .filter((r) => r.type === 'Microsoft.Resources/deployments')
    .map((resource) => {
      const props = resource.properties as Json;
      const inner = props.template as Template;
      const given = Object.fromEntries(
        Object.entries((props.parameters ?? {}) as Record<string, { value: unknown }>).map(([k, v]) => [k, evaluateDeep(v.value, outer)]),
      );
      const subscriptionId = String(evaluate(resource.subscriptionId ?? `[subscription().subscriptionId]`, outer));
      const resourceGroup = String(evaluate(resource.resourceGroup ?? `[resourceGroup().name]`, outer));
      return {
        resource,
        name: String(evaluate(resource.name, outer)),
        template: inner,
        ctx: contextFor(inner, given, { subscriptionId, resourceGroup }),
        subscriptionId,
        resourceGroup,
      };
    });
}

/** A resource's instances: one, or one per copy index. */
export function instances(resource: Json, ctx: EvalContext): EvalContext[] {
  const copy = resource.copy as { count: unknown } | undefined;
  if (!copy) return [ctx];
  const count = Number(evaluate(copy.count, ctx));
  return Array.from({ length: count }, (_, i) => ({ ...ctx, copyIndex: i }));
}

/**
 * What a resource is, as a path without subscription and resource group:
 * `Microsoft.Web/sites/app`, or for an extension resource
 * `Microsoft.Storage/storageAccounts/st1/providers/Microsoft.Authorization/roleAssignments/<guid>`.
 */
export function identityOf(resource: Json, ctx: EvalContext): string {
  const type = String(resource.type);
  const name = String(evaluate(resource.name, ctx));
  const [ns, ...types] = type.split('/');
  const names = name.split('/');
  const own = [ns, ...types.flatMap((t, i) => [t, names[i]])].join('/');
  if (resource.scope === undefined) return own;
  return `${resourcePath(String(evaluate(resource.scope, ctx)))}/providers/${own}`;
}

export interface RoleAssignment {
  /** Where it is: the nested deployment's name, or 'main'. */
  deployment: string;
  /** The scope it grants on: `resourceGroup` (the deployment's own), or the type of the scoped resource. */
  scopeType: string;
  /** The scoped resource's path (or the resource group name). */
  scope: string;
  roleDefinitionGuid: string;
  principalId: unknown;
  resourceGroup: string;
}

/** Every role assignment the deployment would create, with its scope and role, copies expanded. */
export function roleAssignments(outer: EvalContext = mainContext()): RoleAssignment[] {
  const out: RoleAssignment[] = [];
  const collect = (resources: Json[], ctx: EvalContext, deployment: string, resourceGroup: string) => {
    for (const r of resources.filter((x) => x.type === 'Microsoft.Authorization/roleAssignments')) {
      for (const c of instances(r, ctx)) {
        const props = r.properties as Json;
        const scope = r.scope === undefined ? undefined : resourcePath(String(evaluate(r.scope, c)));
        out.push({
          deployment,
          scopeType: scope === undefined ? 'resourceGroup' : typeOfPath(scope),
          scope: scope ?? resourceGroup,
          roleDefinitionGuid: String(evaluate(props.roleDefinitionId, c)).split('/').pop()!,
          principalId: evaluate(props.principalId, c),
          resourceGroup,
        });
      }
    }
  };
  collect(template.resources, outer, 'main', APP_RESOURCE_GROUP);
  for (const d of nestedDeployments(outer)) collect(d.template.resources, d.ctx, d.name, d.resourceGroup);
  return out;
}

export interface CustomRole {
  deployment: string;
  guid: string;
  roleName: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  assignableScopes: string[];
}

/** The custom role definitions, evaluated. */
export function customRoles(outer: EvalContext = mainContext()): CustomRole[] {
  const out: CustomRole[] = [];
  const collect = (resources: Json[], ctx: EvalContext, deployment: string) => {
    for (const r of resources.filter((x) => x.type === 'Microsoft.Authorization/roleDefinitions')) {
      const props = evaluateDeep(r.properties, ctx) as Json;
      const permissions = (props.permissions as Json[]) ?? [];
      const all = (key: string) => permissions.flatMap((p) => (p[key] as string[] | undefined) ?? []);
      out.push({
        deployment,
        guid: String(evaluate(r.name, ctx)),
        roleName: String(props.roleName),
        actions: all('actions'),
        notActions: all('notActions'),
        dataActions: all('dataActions'),
        notDataActions: all('notDataActions'),
        assignableScopes: (props.assignableScopes as string[]) ?? [],
      });
    }
  };
  collect(template.resources, outer, 'main');
  for (const d of nestedDeployments(outer)) collect(d.template.resources, d.ctx, d.name);
  return out;
}

/** The Function App resource and its evaluated app settings. */
export function functionApp(): Json {
  const site = template.resources.find((r) => r.type === 'Microsoft.Web/sites');
  if (!site) throw new Error('no Microsoft.Web/sites in the template');
  return site;
}

export function appSettingEntries(): { name: string; value: unknown }[] {
  const siteConfig = (functionApp().properties as Json).siteConfig as Json;
  return (siteConfig.appSettings as { name: string; value: unknown }[]) ?? [];
}

export function evaluatedAppSettings(extra: Record<string, unknown> = {}): Record<string, string> {
  const ctx = mainContext(extra);
  return Object.fromEntries(appSettingEntries().map((s) => [s.name, String(evaluate(s.value, ctx) ?? '')]));
}
