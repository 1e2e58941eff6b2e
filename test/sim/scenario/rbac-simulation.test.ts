// The simulator runs graceful-scaler as the identity infra/kubernetes/rbac.yaml binds: every port call
// is authorized as the adapter's request would be. With the manifest as it is, nothing is refused;
// with a verb taken out, each refused call is a violation naming the verb and the resource.

import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../adapters/policy-file';
import { SIM_SCALER_PRINCIPAL_ID } from '../../../sim/model/rbac-manifests';
import { runSimulation, SIM_POLICY_YAML } from '../../../sim/scenario/simulation';
import { gracefulScaler } from '../../../sim/scenario/strategies';
import { referenceTraffic } from '../../../sim/scenario/traffic';
import { withoutVerb } from '../../builders/rbac-manifest';

const TUESDAY = Date.parse('2026-11-24T00:00:00+09:00');
const policy = parsePolicyText(SIM_POLICY_YAML.replace('maxNodes: 60', 'maxNodes: 16'), 'test policy');
const traffic = referenceTraffic({ start: TUESDAY, days: 1, seed: 1, peakRps: 120, jobsPerHour: 80 });

const forbidden = (r: { violations: { kind: string; detail: string }[] }) =>
  r.violations.filter((v) => v.kind === 'forbidden').map((v) => v.detail);

describe('the simulator under RBAC', () => {
  it('refuses nothing the scaler does under rbac.yaml as it is', async () => {
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
