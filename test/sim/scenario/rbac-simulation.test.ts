// The simulator runs graceful-scaler as the identity infra/kubernetes/rbac.yaml binds: every port call
// is authorized as the adapter's request would be. With the manifest as it is, nothing is refused;
// with a verb taken out, each refused call is a violation naming the verb and the resource.

import { describe, expect, it, vi } from 'vitest';
import { parsePolicyText } from '../../../adapters/policy-file';
import { scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../../../sim/model/rbac-manifests';
import { PortAuthorizer } from '../../../sim/scenario/authorized-ports';
import { runSimulation, SIM_POLICY_YAML } from '../../../sim/scenario/simulation';
import { gracefulScaler } from '../../../sim/scenario/strategies';
import { referenceTraffic } from '../../../sim/scenario/traffic';
import { withoutVerb } from '../../builders/rbac-manifest';

const TUESDAY = Date.parse('2026-11-24T00:00:00+09:00');
const policy = parsePolicyText(SIM_POLICY_YAML.replace('maxNodes: 60', 'maxNodes: 16'), 'test policy');
const traffic = referenceTraffic({ start: TUESDAY, days: 1, seed: 1, peakRps: 120, jobsPerHour: 80 });

const forbidden = (r: { violations: { kind: string; detail: string }[] }) =>
  r.violations.filter((v) => v.kind === 'forbidden').map((v) => v.detail);

/** Every (group, resource, verb) rbac.yaml grants, as `core pods/eviction create`. */
function granted(): string[] {
  const rbac = scalerRbac();
  const rules = [...rbac.clusterRoles.get('graceful-scaler')!, ...rbac.roles.get('graceful-scaler/graceful-scaler-state')!];
  return rules
    .flatMap((r) => r.apiGroups!.flatMap((g) => r.resources!.flatMap((res) => r.verbs.map((v) => `${g || 'core'} ${res} ${v}`))))
    .sort();
}

describe('the simulator under RBAC', () => {
  it('asks for exactly what rbac.yaml grants (save the drain audit, not run by the simulator) and is refused nothing', async () => {
    const asked = new Set<string>();
    const check = vi.spyOn(PortAuthorizer.prototype, 'check').mockImplementation(function (
      this: PortAuthorizer,
      verb,
      group,
      resource,
      where = {},
    ) {
      asked.add(`${group || 'core'} ${resource}${where.subresource ? `/${where.subresource}` : ''} ${verb}`);
      check.mock.calls.length = 0;
    });
    try {
      await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 1 });
    } finally {
      check.mockRestore();
    }
    const audit = ['core services list', 'batch cronjobs list'];
    expect([...asked].sort()).toEqual(granted().filter((g) => !audit.includes(g)));
    const r = await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 1 });
    expect(forbidden(r)).toEqual([]);
    expect(r.evictions).toBeGreaterThan(0);
  }, 120_000);

  it('without deployments/scale patch, every worker scaling is refused and named', async () => {
    const r = await runSimulation({
      traffic,
      policy,
      strategy: gracefulScaler(),
      seed: 1,
      rbacManifest: withoutVerb('deployments/scale', 'patch'),
    });
    const refused = forbidden(r);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(
      new Set([
        `deployments.apps "bg" is forbidden: User "${SIM_SCALER_PRINCIPAL_ID}" cannot patch resource "deployments/scale" in API group "apps" in the namespace "clomo"`,
      ]),
    );
  }, 120_000);

  it('without pods list, the first tick fails with the 403', async () => {
    await expect(
      runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 1, rbacManifest: withoutVerb('pods', 'list') }),
    ).rejects.toThrow(
      `pods is forbidden: User "${SIM_SCALER_PRINCIPAL_ID}" cannot list resource "pods" in API group "" at the cluster scope`,
    );
  }, 120_000);
});
