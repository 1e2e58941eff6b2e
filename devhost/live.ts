// graceful-scaler live on the embedded cluster: the simulation of sim/scenario/simulation.ts paced to the wall
// clock (`speed` simulated seconds per second), the app's own Function handlers fired on their
// schedules by the local host, and its HTTP API and status page on localhost. What a person sees is
// what the Function App would show for a real cluster, only faster.

import type { Policy } from '../core/policy';
import { setRuntimeFactory, type Runtime } from '../functions/runtime';
import { LocalFunctionsHost, type HostLog } from './local-host';
import { SimAuditReader } from '../sim/scenario/in-process-audit';
import { InMemoryStatus } from '../sim/scenario/in-memory-status';
import { runSimulation, USER_POOL, type SimulationResult, type Strategy, type World } from '../sim/scenario/simulation';
import { localTimeFormatter } from '../sim/scenario/local-time';
import { gracefulScaler } from '../sim/scenario/strategies';
import type { Traffic } from '../sim/scenario/traffic';
import type { ClusterDump } from '../sim/scenario/cluster-dump';
import { scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../sim/model/rbac-manifests';
import { startKubeApiServer } from '../sim/servers/kube-api-server';
import { ADMIN_TOKEN, clusterAuth, SCALER_TOKEN } from '../sim/servers/kube-auth';
import { simKubeconfig } from '../sim/servers/kubeconfig';

export interface LiveOptions {
  traffic: Traffic;
  policy: Policy;
  seed: number;
  /** Simulated seconds per wall-clock second; Infinity runs as fast as the ticks allow. */
  speed: number;
  /** 0 takes any free port. */
  port: number;
  /** One line per action, warning and simulated hour. */
  print: (line: string) => void;
  /** Also print every skip and tick record. */
  verbose?: boolean;
  /** The timers' schedules (NODE_SCALER_SCHEDULE…); default the app's. */
  env?: NodeJS.ProcessEnv;
  /** A person's cluster to start from (cluster-dump.ts) instead of the reference one. */
  dump?: ClusterDump | undefined;
}

export interface Live {
  url: string;
  /** The cluster's Kubernetes API (HTTPS, RBAC from infra/kubernetes/rbac.yaml) and a kubeconfig for it. */
  kube: { url: string; kubeconfig: string };
  /** The cluster's simulated time. */
  now(): number;
  /** Resolves with the simulation's measures when its days are over, or when stopped (undefined when closed before). */
  finished: Promise<SimulationResult | undefined>;
  /** Ends the simulation at the next step; `finished` then has the measures of the steps done. The server stays up. */
  stop(): Promise<SimulationResult | undefined>;
  close(): Promise<void>;
}

class Closed extends Error {}

export async function startLive(options: LiveOptions): Promise<Live> {
  const { policy, traffic } = options;
  const clock = localTime(policy.timezone);
  let world: World | undefined;
  let simNow = traffic.start;
  const hostLog: HostLog = (level, fn, message, data) => {
    const isAction = data !== undefined && 'outcome' in data && 'type' in data;
    if (level !== 'information' || isAction || options.verbose === true)
      options.print(`${clock(simNow)}  ${fn}${level === 'information' ? '' : ` ${level.toUpperCase()}`}: ${message}`);
  };
  const host = new LocalFunctionsHost(hostLog, options.env ?? {});

  // HTTP calls before the first step wait for the cluster to exist.
  let provide!: (runtime: Runtime) => void;
  const ready = new Promise<Runtime>((resolve) => (provide = resolve));
  setRuntimeFactory(() => ready);
  let ids = 0;
  let worldReady!: (world: World) => void;
  const built = new Promise<World>((resolve) => (worldReady = resolve));

  const url = await host.listen(options.port);
  let closed = false;
  let stopping = false;
  // Ends the current wait for the wall clock at once (a stop at 1× would otherwise wait out a step).
  let wake: (() => void) | undefined;
  let wallStart = 0;
  let simStart = 0;
  let lastFired = 0;
  const base = gracefulScaler();
  const strategy: Strategy = {
    name: 'graceful-scaler (live)',
    initialNodes: base.initialNodes,
    initialBgReplicas: base.initialBgReplicas,
    async step(w, now) {
      if (world === undefined) {
        world = w;
        worldReady(w);
        provide({
          policy,
          deps: { ...w.deps, status: new InMemoryStatus(), holder: 'local-functions-host' },
          memory: w.deps.memory,
          audit: new SimAuditReader(w.cluster),
          newId: () => `ov-${(++ids).toString().padStart(3, '0')}`,
          source: `simulated AKS cluster, ${Number.isFinite(options.speed) ? `${options.speed}× real time` : 'as fast as it runs'} (seed ${options.seed})`,
        });
        wallStart = performance.now();
        simStart = now;
        lastFired = now - traffic.stepMs;
      }
      simNow = now;
      await pace(wallStart + (now - simStart) / options.speed, (w) => (wake = w));
      wake = undefined;
      if (closed) throw new Closed();
      await host.fireTimers(lastFired, now);
      lastFired = now;
      if ((now - simStart) % 3_600_000 === 0) options.print(`${clock(now)}  ${hourLine(w)}`);
    },
  };

  const finished = runSimulation({
    traffic,
    policy,
    strategy,
    seed: options.seed,
    stopped: () => stopping,
    ...(options.dump ? { dump: options.dump } : {}),
  }).catch((err: unknown) => {
    if (err instanceof Closed) return undefined;
    throw err;
  });
  // The world is built before the first step waits: kubectl can watch it from the start.
  const kube = await startKubeApiServer((await built).cluster, { tls: true, auth: clusterAuth(scalerRbac(), SIM_SCALER_PRINCIPAL_ID) });
  return {
    url,
    kube: {
      url: kube.url,
      // A person is a cluster admin (current context); the scaler's identity is the second context.
      kubeconfig: simKubeconfig(kube.url, 'graceful-scaler-sim', [
        { name: 'graceful-scaler-sim-admin', token: ADMIN_TOKEN },
        { name: 'graceful-scaler-identity', token: SCALER_TOKEN },
      ]),
    },
    now: () => simNow,
    finished,
    stop: () => {
      stopping = true;
      wake?.();
      return finished;
    },
    close: async () => {
      closed = true;
      wake?.();
      await finished.catch(() => undefined);
      await Promise.all([host.close(), kube.close()]);
    },
  };
}

/**
 * Waits until the wall clock reaches `at` (performance.now() time); yields at least once so HTTP
 * requests get in. `onWake` receives a function that ends the wait early.
 */
function pace(at: number, onWake: (wake: () => void) => void): Promise<void> {
  const wait = at - performance.now();
  return new Promise((resolve) => {
    if (!(Number.isFinite(wait) && wait > 0)) {
      setImmediate(resolve);
      return;
    }
    const timer = setTimeout(resolve, wait);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function hourLine(world: World): string {
  const nodes = world.userNodes();
  const running = nodes.filter((n) => n.power === 'running' && n.ready && !n.cordoned).length;
  const cordoned = nodes.filter((n) => n.power === 'running' && n.cordoned).length;
  const stopped = nodes.filter((n) => n.power === 'deallocated').length;
  let queued = 0;
  for (const q of world.queues.values()) queued += q.visibleCount + q.inFlightCount;
  const bg = world.worker ? (world.cluster.deployment(world.worker.namespace, world.worker.deployment)?.spec.replicas ?? 0) : 0;
  return `${USER_POOL} pool: ${running} running, ${cordoned} cordoned, ${stopped} stopped; ${world.cluster.pendingPods().length} pending pod(s); BG ${bg} replica(s), ${queued} job(s) queued`;
}

/** "Mon 2026-11-30 08:00 Asia/Tokyo": the policy zone's local time, as an operator reads the schedule. */
function localTime(timezone: string): (at: number) => string {
  const format = localTimeFormatter(timezone);
  return (at) => `${format(at)} ${timezone}`;
}
