// The fault soak: the reference traffic on the simulated cluster, graceful-scaler through the real
// runner on the timers' schedule, every call of it exposed to seeded faults (faults.ts,
// faulty-ports.ts, vm-faults.ts) and every tick to a crash after any of its calls. A crashed app is
// replaced by a fresh runner (its readers' caches gone, memory re-read from the ConfigMap); the memory
// ConfigMap is now and then deleted or hand-edited with garbage. The simulation's invariants and the
// soak's own (soak-checks.ts) are checked at every step.

import { InputError } from '../../core/errors';
import type { Policy } from '../../core/policy';
import type { Logger } from '../../runner/ports';
import { runTick, type RunnerDeps, type TickTarget } from '../../runner/run-tick';
import { CrashError, Faults, Tally } from './faults';
import {
  ConfigMapText,
  FaultyActions,
  FaultyEvents,
  FaultyLease,
  FaultyMemoryStore,
  FaultyQueues,
  FaultyReader,
  FaultyStatus,
  LastStatus,
} from './faulty-ports';
import { InMemoryLease, SimClusterReader } from './in-process-ports';
import { runSimulation, simPolicy, type SimulationResult, type Strategy } from './simulation';
import { SoakChecks } from './soak-checks';
import { HOUR, MINUTE, referenceTraffic } from './traffic';
import { FaultyNodeVms } from './vm-faults';
import { workerReader, type World } from './world';

export interface SoakOptions {
  days: number;
  /** Probability that one request goes wrong (e.g. 0.1). */
  faults: number;
  /** Probability that a tick is killed after one of its calls (e.g. 0.05); also, per hour, that the memory ConfigMap is deleted or hand-edited. */
  crashes: number;
  seed: number;
  policy?: Policy;
  /** Called every simulated hour with the fraction done. */
  progress?: (fraction: number) => void;
}

export interface SoakResult {
  days: number;
  ticks: number;
  /** Fresh runners started after a crash. */
  restarts: number;
  faults: { kind: string; count: number; first: string }[];
  violations: { kind: string; count: number; first: string }[];
  /** Ticks that ended in an error other than a crash (a call that failed past its retries), by error. */
  failedTicks: { kind: string; count: number; first: string }[];
  maxPendingMinutes: number;
  simulation: SimulationResult;
  wallMs: number;
}

const silentLog: Logger = { info() {}, warn() {}, error() {} };

/** How long hand-edited garbage may stay stored: a few ticks, even through faults. */
const GARBAGE_KEPT_MS = 10 * MINUTE;

/** Garbage a person might leave in the memory ConfigMap. */
const GARBAGE: readonly ((current: string | undefined) => string)[] = [
  (current) => (current ?? '{"version":1,"nodes":{').slice(0, Math.max(1, Math.floor((current ?? '').length / 2))),
  () => '{"version":1,"nodes":{"drains":"all of them"},"overrides":7}',
  () => '{"nodes":{"drains":{"aks-user-0":{"since":"yesterday"}},"starting":[]}}',
  () => 'memory: please start over\n\u0000',
];

/** One incarnation of the app: the runner's ports (with faults) as a freshly started process makes them. */
interface App {
  deps: RunnerDeps;
  workerDeps: RunnerDeps;
  close(): void;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const began = performance.now();
  const policy = options.policy ?? simPolicy();
  const traffic = referenceTraffic({ days: options.days, seed: options.seed });
  const faults = new Faults({ seed: options.seed, rate: options.faults, crashRate: options.crashes });
  const configMap = new ConfigMapText();
  const status = new LastStatus();
  const failedTicks = new Tally();
  let app: App | undefined;
  let checks: SoakChecks | undefined;
  let vms: FaultyNodeVms | undefined;
  let ticks = 0;
  let restarts = 0;
  let tickIds = 0;
  // The Lease's clock: the cluster's time plus the app's wall time spent since the step began, so that
  // a tick waiting for a crashed tick's Lease sees it expire (the cluster's clock stands still during
  // a step). Ticks of one step run one after another on it, as timers firing at the same second do
  // when one waits for the other's Lease; never backwards.
  let stepWall = 0;
  let leaseNow = 0;
  let lease: InMemoryLease | undefined;

  const start = (world: World): App => {
    vms ??= new FaultyNodeVms(world.vms, faults, () => world.cluster.now());
    lease ??= new InMemoryLease(() => (leaseNow = Math.max(leaseNow, world.cluster.now() + faults.wall.now() - stepWall)));
    const reader = new SimClusterReader(world.cluster);
    const workers = workerReader(world.cluster, policy);
    const deps: RunnerDeps = {
      reader: new FaultyReader(reader, faults),
      queues: world.deps.queues && new FaultyQueues(world.deps.queues, faults),
      actions: new FaultyActions(world.actions, faults),
      vms,
      memory: new FaultyMemoryStore(configMap, faults),
      lease: new FaultyLease(lease, faults),
      events: new FaultyEvents(world.inProcess.events, faults),
      status: new FaultyStatus(status, faults),
      log: silentLog,
      clock: () => world.cluster.now(),
      holder: `soak-${restarts}`,
      timing: { now: faults.wall.now, sleep: faults.wall.sleep, random: () => faults.random.next(), tickId: () => String(++tickIds) },
    };
    return {
      deps,
      workerDeps: { ...deps, reader: new FaultyReader(workers, faults) },
      close: () => {
        reader.close();
        workers.close();
      },
    };
  };

  // Memory always readable: what the runner writes reads back, and a hand edit's garbage is replaced
  // within a few ticks (the ticks in between start from nothing remembered).
  let garbage: { version: number; at: number; reported: boolean } | undefined;
  const checkMemory = (world: World): void => {
    const { unreadable } = configMap.read();
    if (unreadable === undefined) {
      garbage = undefined;
      return;
    }
    const now = world.cluster.now();
    if (garbage === undefined || garbage.version !== configMap.version) {
      checks?.add(now, 'memory-unreadable', `the runner wrote memory it cannot read: ${unreadable}`);
      garbage = { version: configMap.version, at: now, reported: true };
    } else if (!garbage.reported && now - garbage.at > GARBAGE_KEPT_MS) {
      checks?.add(now, 'memory-unreadable', `hand-edited garbage still stored after ${GARBAGE_KEPT_MS / MINUTE} min: ${unreadable}`);
      garbage.reported = true;
    }
  };

  const tick = async (world: World, target: TickTarget): Promise<void> => {
    app ??= start(world);
    ticks++;
    faults.beginTick();
    try {
      await runTick(target === 'workers' ? app.workerDeps : app.deps, policy, target, { dryRun: false });
    } catch (err) {
      if (err instanceof InputError) checks?.add(world.cluster.now(), 'memory-unreadable', `${target} tick: ${err.message}`);
      else if (!(err instanceof CrashError))
        failedTicks.add(
          err instanceof Error ? err.message.replace(/\d+/g, 'N').slice(0, 80) : String(err),
          `${target} tick: ${String(err)}`,
        );
    }
    checkMemory(world);
    if (faults.crashed) {
      app.close();
      app = undefined;
      restarts++;
    }
  };

  const strategy: Strategy = {
    name: 'graceful-scaler under faults',
    initialNodes: ({ policy: p }) => p.nodes?.minNodes ?? 1,
    initialBgReplicas: (worker) => worker?.minReplicas ?? 1,
    async step(world, now, i) {
      checks ??= new SoakChecks(world, policy, traffic.stepMs, options.faults <= 0.1);
      stepWall = faults.wall.now();
      if (now % HOUR === 0 && faults.random.next() < options.crashes) {
        if (faults.random.next() < 0.5) {
          configMap.delete();
          faults.tally.add('memory deleted', `at ${new Date(now).toISOString()}`);
        } else {
          const text = GARBAGE[faults.random.int(GARBAGE.length)]!(configMap.text);
          configMap.edit(text);
          garbage = { version: configMap.version, at: now, reported: false };
          faults.tally.add('memory garbage', JSON.stringify(text).slice(0, 60));
        }
      }
      // The Function timers: workers every 30 s, nodes every minute, the descheduler every 10 minutes.
      if (now % (30 * 1000) === 0 && policy.workers.length > 0) await tick(world, 'workers');
      if (now % MINUTE === 0 && policy.nodes) await tick(world, 'nodes');
      if (now % (10 * MINUTE) === 0 && policy.descheduler) await tick(world, 'descheduler');
      checks.step(i, now);
    },
  };

  const simulation = await runSimulation({
    traffic,
    policy,
    strategy,
    seed: options.seed,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const violations = new Tally();
  const all = [...simulation.violations, ...(checks?.violations ?? [])].sort((a, b) => a.at - b.at);
  for (const v of all) violations.add(v.kind, `${new Date(v.at).toISOString()} ${v.detail}`);
  return {
    days: simulation.days,
    ticks,
    restarts,
    faults: faults.tally.rows(),
    violations: violations.rows(),
    failedTicks: failedTicks.rows(),
    maxPendingMinutes: (checks?.maxPendingMs ?? 0) / MINUTE,
    simulation,
    wallMs: performance.now() - began,
  };
}

/** The soak's figures as text: days, faults and violations by kind with the first example of each. */
export function soakReport(r: SoakResult, settings: { faults: number; crashes: number; seed: number }): string {
  const lines = [
    `fault soak: ${r.days} simulated days, faults ${settings.faults}, crashes ${settings.crashes}, seed ${settings.seed}: ${r.ticks} ticks, ${r.restarts} restarts after a crash, ${(r.wallMs / 1000).toFixed(1)} s wall`,
    `  graceful-scaler: ${r.simulation.userNodeHours.toFixed(0)} user node-hours, ${r.simulation.evictions} evictions, longest pending pod ${r.maxPendingMinutes.toFixed(1)} min, BG jobs ${r.simulation.bgJobs}`,
  ];
  const table = (title: string, rows: SoakResult['faults']) => {
    const total = rows.reduce((n, row) => n + row.count, 0);
    lines.push(`${title}: ${total}`);
    for (const row of rows) lines.push(`  ${row.kind.padEnd(26)} ${String(row.count).padStart(7)}   first: ${row.first}`);
  };
  table('faults injected', r.faults);
  table('ticks failed past their retries (not violations; the next tick plans again)', r.failedTicks);
  table('violations', r.violations);
  return `${lines.join('\n')}\n`;
}
