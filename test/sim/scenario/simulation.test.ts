// The simulation's invariants under graceful-scaler, over the whole reference week at full size,
// two days and a few random seeds on a smaller cluster: no batch job
// interrupted, no node stopped while it runs workload pods, no protected node drained, never below
// the schedule's minimum, every pod scheduled within a VM start or so.

import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../adapters/policy-file';
import { runSimulation, SIM_POLICY_YAML, simPolicy, type SimulationResult } from '../../../sim/scenario/simulation';
import { gracefulScaler, manualRoutine, staticPeak } from '../../../sim/scenario/strategies';
import { referenceTraffic } from '../../../sim/scenario/traffic';

const TUESDAY = Date.parse('2026-11-24T00:00:00+09:00');
const policy = parsePolicyText(SIM_POLICY_YAML.replace('maxNodes: 60', 'maxNodes: 16'), 'test policy');

function small(seed: number, days: number) {
  return referenceTraffic({ start: TUESDAY, days, seed, peakRps: 120, jobsPerHour: 80 });
}

function expectInvariants(r: SimulationResult): void {
  const byKind = (kind: string) => r.violations.filter((v) => v.kind === kind).map((v) => `${new Date(v.at).toISOString()} ${v.detail}`);
  expect(byKind('batch-interrupted')).toEqual([]);
  expect(r.batchJobsInterrupted).toBe(0);
  expect(byKind('stopped-with-workload')).toEqual([]);
  expect(byKind('protected-node-drained')).toEqual([]);
  expect(byKind('below-minimum')).toEqual([]);
  // Every pod placed within a VM start (about 1.5 minutes) and a few scheduling rounds.
  expect(r.maxPendingMinutes).toBeLessThanOrEqual(6);
  expect(r.bgJobsInterrupted).toBe(0);
}

describe('simulation under graceful-scaler', () => {
  it('keeps its invariants over two reference days, and saves nodes against static peak provisioning', async () => {
    const traffic = small(1, 2);
    const graceful = await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 1 });
    expectInvariants(graceful);
    expect(graceful.bgJobs).toBeGreaterThan(1000);
    expect(graceful.peakNodes).toBeGreaterThan(policy.nodes!.minNodes);
    const fixed = await runSimulation({ traffic, policy, strategy: staticPeak(), seed: 1 });
    expect(fixed.violations.filter((v) => v.kind !== 'below-minimum')).toEqual([]);
    expect(graceful.userNodeHours).toBeLessThan(fixed.userNodeHours * 0.75);
  }, 30_000);

  it('keeps its invariants over the whole reference week at full size, at most half the node-hours of static peak', async () => {
    // The benchmark's week: 60-VM user pool, the built-in policy, seed 1 (about 10 s).
    const full = simPolicy();
    const traffic = referenceTraffic({ days: 7, seed: 1, timezone: full.timezone });
    const graceful = await runSimulation({ traffic, policy: full, strategy: gracefulScaler(), seed: 1 });
    expectInvariants(graceful);
    // Nothing pending beyond a VM start (about 1.5 min) and a node tick.
    expect(graceful.maxPendingMinutes).toBeLessThanOrEqual(3);
    // Workers do not flap (about 36 changes a day; 311 before the dead band and the interval) and
    // are never scaled down below the busy ones.
    expect(graceful.churn.workerReplicaChanges / graceful.days).toBeLessThanOrEqual(60);
    expect(graceful.churn.scaleDownsBelowBusy).toBe(0);
    const fixed = await runSimulation({ traffic, policy: full, strategy: staticPeak(), seed: 1 });
    expect(graceful.userNodeHours).toBeLessThanOrEqual(fixed.userNodeHours / 2);
  }, 180_000);

  it.each([7, 23, 4242])(
    'keeps its invariants for seed %i',
    async (seed) => {
      const traffic = small(seed, 1);
      const r = await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed });
      expectInvariants(r);
    },
    30_000,
  );

  it('leaves the protected batch nodes alone even when their pool is one it manages', async () => {
    const managing = parsePolicyText(
      SIM_POLICY_YAML.replace('maxNodes: 60', 'maxNodes: 16').replace('pools: [user]', 'pools: [user, batch]'),
      'test policy',
    );
    const r = await runSimulation({ traffic: small(11, 1), policy: managing, strategy: gracefulScaler(), seed: 11 });
    expectInvariants(r);
  }, 30_000);

  it('catches what a blunt routine breaks: the nightly drain stops nodes under running BG jobs', async () => {
    const r = await runSimulation({ traffic: small(1, 1), policy, strategy: manualRoutine(), seed: 1 });
    expect(r.violations.filter((v) => v.kind === 'stopped-with-workload').length).toBeGreaterThan(0);
    expect(r.bgJobsInterrupted).toBeGreaterThan(0);
  }, 30_000);

  it('is deterministic for a seed', async () => {
    const traffic = referenceTraffic({ start: TUESDAY, days: 0.25, seed: 5, peakRps: 80, jobsPerHour: 40 });
    const a = await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 5 });
    const b = await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 5 });
    const strip = ({ wallMs, ...rest }: SimulationResult) => (void wallMs, rest);
    expect(strip(a)).toEqual(strip(b));
  }, 30_000);
});
