// The Azure permissions of the app's identity are the ones its code uses, at the narrowest scope:
// the ARM and queue calls are found in the source (source-scan.ts), turned into provider actions
// (permission-tables.ts), and compared with what infra/main.json grants where. Built-in role ids are
// checked against the published ones.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluate, REFERENCE_STUBS } from './arm-expressions';
import { ARM_OPERATIONS, BUILT_IN_ROLES, LRO_STATUS, QUEUE_OPERATIONS, REFUSED_BUILT_IN_ROLES, type ArmScope } from './permission-tables';
import { armCalls, queueCalls, ROOT, scan, type Scan } from './source-scan';
import { customRoles, mainContext, nestedDeployments, roleAssignments, template, type RoleAssignment } from './template-model';

const IDENTITY_PRINCIPAL = REFERENCE_STUBS['Microsoft.ManagedIdentity/userAssignedIdentities']!.principalId;

let s: Scan;
let armRequired: Record<ArmScope, Set<string>>;
let queueRequired: { actions: Set<string>; dataActions: Set<string> };
let problems: string[];

beforeAll(() => {
  s = scan();
  problems = [];
  armRequired = { cluster: new Set(), clusterResourceGroup: new Set(), nodeResourceGroup: new Set() };
  for (const c of armCalls(s)) {
    const op = ARM_OPERATIONS[c.group]?.[c.method];
    if (!op) {
      problems.push(
        `${c.file}:${c.line} calls ${c.group}.${c.method}, unknown to test/infra/permission-tables.ts: add the action it needs, then grant it in infra/main.json`,
      );
      continue;
    }
    if (op.forbidden) problems.push(`${c.file}:${c.line} calls ${c.group}.${c.method}: ${op.forbidden}`);
    for (const a of op.actions) armRequired[op.scope].add(a);
    if (op.lro) for (const a of LRO_STATUS[op.lro].actions) armRequired[LRO_STATUS[op.lro].scope].add(a);
  }
  queueRequired = { actions: new Set(), dataActions: new Set() };
  for (const c of queueCalls(s)) {
    const op = QUEUE_OPERATIONS[c.receiverType]?.[c.method];
    if (!op) {
      problems.push(`${c.file}:${c.line} calls ${c.receiverType}.${c.method}, unknown to test/infra/permission-tables.ts`);
      continue;
    }
    if (op.forbidden) problems.push(`${c.file}:${c.line} calls ${c.receiverType}.${c.method}: ${op.forbidden}`);
    for (const a of op.actions) queueRequired.actions.add(a);
    for (const a of op.dataActions) queueRequired.dataActions.add(a);
  }
}, 120_000);

const sorted = (xs: Iterable<string>) => [...xs].sort();

/** Actions granted by the assignments at one kind of scope, through custom roles or documented built-ins. */
function grantedActions(assignments: RoleAssignment[]): { actions: string[]; dataActions: string[] } {
  const roles = customRoles();
  const actions = new Set<string>();
  const dataActions = new Set<string>();
  for (const a of assignments) {
    const custom = roles.find((r) => r.guid === a.roleDefinitionGuid);
    const builtIn = BUILT_IN_ROLES[a.roleDefinitionGuid];
    if (custom) {
      custom.actions.forEach((x) => actions.add(x));
      custom.dataActions.forEach((x) => dataActions.add(x));
    } else if (builtIn?.actions) {
      builtIn.actions.forEach((x) => actions.add(x));
      (builtIn.dataActions ?? []).forEach((x) => dataActions.add(x));
    } else
      throw new Error(
        `role ${a.roleDefinitionGuid} at ${a.scope}: neither a custom role of the template nor a built-in with known permissions`,
      );
  }
  return { actions: sorted(actions), dataActions: sorted(dataActions) };
}

const deploymentFor = (resourceGroupParameter: string) => {
  const d = nestedDeployments().find((x) => x.resource.resourceGroup === `[parameters('${resourceGroupParameter}')]`);
  if (!d) throw new Error(`no nested deployment into parameters('${resourceGroupParameter}')`);
  return d;
};

describe('Azure roles: what the code calls', () => {
  it('finds the ARM and queue calls in the source, and none that is unknown or forbidden', () => {
    expect(problems).toEqual([]);
    expect(armCalls(s).length).toBeGreaterThanOrEqual(5);
    expect(queueCalls(s).length).toBeGreaterThanOrEqual(2);
    // The narrow ports are wired to the real SDK groups (adapters/azure/arm-clients.ts).
    expect(Object.fromEntries(s.armPorts)).toMatchObject({
      ScaleSetVmsApi: 'VirtualMachineScaleSetVMsOperations',
      AgentPoolsApi: 'AgentPoolsOperations',
      ManagedClustersApi: 'ManagedClustersOperations',
    });
  });
});

describe('Azure roles: what the template grants, scope by scope', () => {
  it('on the managed cluster alone: exactly the cluster and agent-pool calls', () => {
    const d = deploymentFor('aksResourceGroup');
    const here = roleAssignments().filter((a) => a.deployment === d.name && a.scopeType === 'Microsoft.ContainerService/managedClusters');
    expect(here.map((a) => a.scope)).toEqual([`Microsoft.ContainerService/managedClusters/${String(d.ctx.parameters.clusterName)}`]);
    expect(d.ctx.parameters.clusterName).toBe(mainContext().parameters.aksClusterName);
    expect(grantedActions(here)).toEqual({ actions: sorted(armRequired.cluster), dataActions: [] });
  });

  it("on the cluster's resource group: only the status of the operations it starts", () => {
    const d = deploymentFor('aksResourceGroup');
    expect(d.resourceGroup).toBe(mainContext().parameters.aksResourceGroup);
    expect(d.subscriptionId).toBe(mainContext().parameters.aksSubscriptionId);
    const here = roleAssignments().filter((a) => a.deployment === d.name && a.scopeType === 'resourceGroup');
    expect(grantedActions(here)).toEqual({ actions: sorted(armRequired.clusterResourceGroup), dataActions: [] });
  });

  it('on the node resource group: exactly the scale-set instance calls and their status', () => {
    const d = deploymentFor('nodeResourceGroup');
    expect(d.resourceGroup).toBe(mainContext().parameters.nodeResourceGroup);
    const here = roleAssignments().filter((a) => a.deployment === d.name);
    expect(here.every((a) => a.scopeType === 'resourceGroup')).toBe(true);
    expect(grantedActions(here)).toEqual({ actions: sorted(armRequired.nodeResourceGroup), dataActions: [] });
  });

  it('on each listed queue, not the account: exactly the count and the peek', () => {
    const d = deploymentFor('queueStorageResourceGroup');
    expect(d.resource.condition).toBe("[not(empty(parameters('queueStorageAccountName')))]");
    const queues = mainContext().parameters.queueNames as string[];
    const account = String(mainContext().parameters.queueStorageAccountName);
    const here = roleAssignments().filter((a) => a.deployment === d.name);
    expect(here.map((a) => a.scope).sort()).toEqual(
      queues.map((q) => `Microsoft.Storage/storageAccounts/${account}/queueServices/default/queues/${q}`).sort(),
    );
    expect(grantedActions(here)).toEqual({ actions: sorted(queueRequired.actions), dataActions: sorted(queueRequired.dataActions) });
  });

  it("the example parameters grant every queue the example policy's workers read", () => {
    const policy = parse(readFileSync(path.join(ROOT, 'policy.example.yaml'), 'utf8')) as { workers?: { queues: string[] }[] };
    const needed = [...new Set((policy.workers ?? []).flatMap((w) => w.queues))].sort();
    expect(needed.length).toBeGreaterThan(0);
    expect([...(mainContext().parameters.queueNames as string[])].sort()).toEqual(needed);
  });

  it("in the app's own resource group: only the host storage and telemetry roles, on those resources", () => {
    const ctx = mainContext();
    const main = roleAssignments().filter((a) => a.deployment === 'main');
    const byRole = Object.fromEntries(main.map((a) => [BUILT_IN_ROLES[a.roleDefinitionGuid]?.name ?? a.roleDefinitionGuid, a.scope]));
    expect(byRole).toEqual({
      'Storage Blob Data Owner': `Microsoft.Storage/storageAccounts/${String(evaluate("[variables('storageAccountName')]", ctx))}`,
      'Monitoring Metrics Publisher': `Microsoft.Insights/components/${String(evaluate("[variables('appInsightsName')]", ctx))}`,
    });
  });

  it("every assignment is to the app's managed identity, as a service principal", () => {
    for (const a of roleAssignments()) expect(a.principalId, a.scope).toBe(IDENTITY_PRINCIPAL);
    const text = JSON.stringify(template);
    expect(text.match(/"principalType": ?"(\w+)"/g)?.every((m) => m.includes('ServicePrincipal'))).toBe(true);
  });

  it('custom roles: no wildcard, no data actions, assignable only in their own resource group, unique names', () => {
    const roles = customRoles();
    expect(roles.length).toBeGreaterThanOrEqual(3);
    for (const r of roles) {
      expect(r.actions.length, r.roleName).toBeGreaterThan(0);
      for (const a of r.actions) expect(a, r.roleName).not.toContain('*');
      expect([r.notActions, r.dataActions, r.notDataActions], r.roleName).toEqual([[], [], []]);
      const d = nestedDeployments().find((x) => x.name === r.deployment)!;
      expect(r.assignableScopes, r.roleName).toEqual([`/subscriptions/${d.subscriptionId}/resourceGroups/${d.resourceGroup}`]);
      expect(r.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(new Set(roles.map((r) => r.roleName)).size).toBe(roles.length);
  });
});

describe('Azure roles: built-in role ids are the real ones', () => {
  const builtInGuids = () => [
    ...new Set(
      roleAssignments()
        .map((a) => a.roleDefinitionGuid)
        .filter((g) => !customRoles().some((r) => r.guid === g)),
    ),
  ];

  it('every built-in role assigned is a known, published role id', () => {
    const unknown = builtInGuids().filter((g) => !(g in BUILT_IN_ROLES));
    expect(unknown).toEqual([]);
  });

  it('no broader built-in role is used (Virtual Machine Contributor, AKS Contributor, RBAC Writer, ...)', () => {
    const text = JSON.stringify(template).toLowerCase();
    for (const [guid, { name }] of Object.entries(REFUSED_BUILT_IN_ROLES)) expect(text.includes(guid), name).toBe(false);
  });

  it("the template's metadata names each built-in role it uses correctly", () => {
    const documented = (template.metadata?.builtInRoles ?? {}) as Record<string, string>;
    expect(Object.keys(documented).sort()).toEqual(builtInGuids().sort());
    for (const [guid, text] of Object.entries(documented)) expect(text.startsWith(`${BUILT_IN_ROLES[guid]!.name}:`), guid).toBe(true);
  });

  it('the ids in the table are well-formed and distinct', () => {
    const all = [...Object.keys(BUILT_IN_ROLES), ...Object.keys(REFUSED_BUILT_IN_ROLES)];
    for (const g of all) expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(all).size).toBe(all.length);
  });
});
