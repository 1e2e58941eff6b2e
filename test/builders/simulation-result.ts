// A simulation's result without running one, for the report's tests: `buildResult('static peak',
// userHours(9576), interrupted(311), violations(...))`. Samples every 10 minutes over `days`, from
// Tuesday 24 November 2026 00:00 in Tokyo; the user pool's billed hours follow the user node-hours
// (so the money follows them too) and every pool's disks stay unpriced unless set.

import { noChurn } from '../../sim/scenario/churn';
import type { Violation } from '../../sim/scenario/invariants';
import type { Sample, SimulationResult } from '../../sim/scenario/simulation';

export const RESULT_START = Date.parse('2026-11-24T00:00:00+09:00');
const SAMPLE_MS = 10 * 60_000;

type Mut = (r: SimulationResult) => void;

export function buildResult(strategy: string, ...muts: Mut[]): SimulationResult {
  const days = 1;
  const samples: Sample[] = Array.from({ length: (days * 24 * 3_600_000) / SAMPLE_MS }, (_, k) => ({
    at: RESULT_START + k * SAMPLE_MS,
    runningNodes: 5,
    billedNodes: 8,
    pendingPods: 0,
    queueDepth: 0,
    bgReplicas: 4,
    mdmReplicas: 10,
    bgWaitMaxSeconds: 10,
    evictions: 0,
    jobsInterrupted: 0,
  }));
  const r: SimulationResult = {
    strategy,
    days,
    nodeHours: 0,
    userNodeHours: 0,
    peakNodes: 5,
    podMinutesPending: 0,
    maxPendingMinutes: 0,
    bgWaitP50Seconds: 10,
    bgWaitP95Seconds: 30,
    bgJobs: 1000,
    bgJobsInterrupted: 0,
    batchJobsInterrupted: 0,
    evictions: 0,
    memorySpreadGiB: 1,
    violations: [],
    samples,
    capacity: { pods: 24, cpuMilli: 3630, memoryBytes: 12 * 2 ** 30 },
    oracle: { userNodeHours: 50, nodes: samples.map(() => 2) },
    attribution: { needed: 0, headroom: 0, schedule: 0, draining: 0, delay: 0, early: 0, other: 0 },
    attributionSamples: { needed: [], headroom: [], schedule: [], draining: [], delay: [], early: [], other: [] },
    churn: noChurn(),
    poolHours: {},
    series: {
      start: RESULT_START,
      stepMs: 30_000,
      billed: new Uint16Array(0),
      need: new Uint16Array(0),
      target: new Uint16Array(0),
      minimum: new Uint16Array(0),
      cordoned: new Uint16Array(0),
      pending: new Uint16Array(0),
    },
    learnedDemand: {},
    wallMs: 1,
  };
  userHours(100)(r);
  for (const m of muts) m(r);
  return r;
}

/** User node-hours, billed in the user pool (and nothing deallocated). */
export const userHours =
  (hours: number): Mut =>
  (r) => {
    r.userNodeHours = hours;
    r.nodeHours = hours;
    r.poolHours = { user: { billed: hours, deallocated: 0 } };
  };

export const interrupted =
  (bg: number, batch = 0): Mut =>
  (r) => {
    r.bgJobsInterrupted = bg;
    r.batchJobsInterrupted = batch;
  };

export const waits =
  (p95Seconds: number, maxPendingMinutes: number): Mut =>
  (r) => {
    r.bgWaitP95Seconds = p95Seconds;
    r.maxPendingMinutes = maxPendingMinutes;
  };

export const oracleHours =
  (hours: number): Mut =>
  (r) => {
    r.oracle = { ...r.oracle, userNodeHours: hours };
  };

/** `count` violations of `kind`, an hour apart from `from`, each detail naming its number. */
export function violationsOf(kind: Violation['kind'], count: number, from: number): Violation[] {
  return Array.from({ length: count }, (_, k) => ({ at: from + k * 3_600_000, kind, detail: `${kind} number ${k + 1}` }));
}

export const violating =
  (...violations: Violation[]): Mut =>
  (r) => {
    r.violations.push(...violations);
  };

/** The pending pods at every sample (a spike of `peak` at the sample `at`). */
export const pendingSpike =
  (at: number, peak: number): Mut =>
  (r) => {
    r.samples = r.samples.map((s, k) => ({ ...s, pendingPods: k === at ? peak : 0 }));
  };
