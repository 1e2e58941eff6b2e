// `npm start [-- --speed 300 --days 7 --port 7071 --seed 1 --policy FILE --trace FILE --exit --verbose]`:
// graceful-scaler running on the embedded simulated AKS cluster in accelerated time, its Function
// handlers fired on their schedules, the HTTP API and the status page on localhost. By default a
// newcomer sees a whole ordinary weekday within five minutes: the generated week starts at 04:00 on
// the reference week's first weekday that is not a holiday, at 300× (a simulated day in 4.8 minutes).
// Exit status: 0 done (Ctrl-C, or the days are over with --exit), 2 bad input, 1 failure.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import type { Policy } from '../core/policy';
import { localClock } from '../core/schedule';
import { startLive } from '../devhost/live';
import { formatLocalTime, localTimeFormatter } from '../sim/scenario/local-time';
import { costOf, formatMoney } from '../sim/scenario/money';
import { summaryTable } from '../sim/scenario/report';
import type { SimulationResult } from '../sim/scenario/simulation';
import { REFERENCE_HOLIDAYS, REFERENCE_START, TraceError } from '../sim/scenario/traffic';
import { formatDuration, ProgressLine } from './progress-line';
import { HelpRequested, loadScenario, parseScenarioArgs, positiveInt, type ScenarioOptions } from './simulate';

export const DEFAULT_SPEED = 300;

export const LIVE_USAGE = `usage: npm start -- [--speed N] [--days N] [--port N] [--seed N] [--policy FILE] [--trace FILE.csv] [--cluster DUMP.json] [--exit] [--verbose]

  --speed N       simulated seconds per real second (default ${DEFAULT_SPEED}: five simulated minutes a
                  second, a day in under 5 minutes); "max" runs as fast as the ticks allow
  --days N        simulated days (1–31; default 7, or the trace's length)
  --port N        localhost port of the API and status page (default 7071; 0 = any free port)
  --seed N        seed of the generated traffic and the cluster (default 1)
  --policy FILE   the graceful-scaler policy (YAML/JSON); default a built-in one for a 60-node pool
  --trace FILE    a CSV "time,mdm_rps,bg_jobs" instead of the generated reference traffic
  --cluster FILE  start from your cluster's \`kubectl get nodes,pods,deployments,pdb,jobs -A -o json\`
  --exit          stop when the simulated days are over (default: keep serving the final state)
  --verbose       print every skip and tick record, not only actions
The generated traffic starts at 04:00 (the policy's zone) on the first weekday of the reference week
that is not a holiday, so the first minutes show a night, the morning surge and the evening
scale-down. Times printed are the policy zone's. Ctrl-C prints the summary so far.
The status page is at http://127.0.0.1:PORT/ ; the API below /api (as on the Function App, without a key).
`;

/**
 * Where \`npm start\` begins the generated traffic: 04:00 local on the first weekday from the reference
 * week's start that neither the policy nor the traffic counts as a holiday (the reference week opens
 * on one), so the run opens on a night before an ordinary morning.
 */
export function liveStart(policy: Pick<Policy, 'timezone' | 'holidays'>): number {
  const holidays = new Set([...policy.holidays, ...REFERENCE_HOLIDAYS]);
  const quarter = 15 * 60_000;
  // Quarter-hours: every zone's local 04:00 falls on one.
  for (let t = REFERENCE_START; t < REFERENCE_START + 15 * 86_400_000; t += quarter) {
    const clock = localClock(t, policy.timezone, holidays);
    if (clock.minute === 4 * 60 && clock.weekday >= 1 && clock.weekday <= 5) return t;
  }
  return REFERENCE_START;
}

export interface LiveArgs extends ScenarioOptions {
  speed: number;
  port: number;
  exit: boolean;
  verbose: boolean;
}

export function parseLiveArgs(argv: readonly string[]): LiveArgs {
  const { scenario, values: v } = parseScenarioArgs(argv, {
    speed: { type: 'string' },
    port: { type: 'string' },
    exit: { type: 'boolean' },
    verbose: { type: 'boolean' },
  });
  let speed = DEFAULT_SPEED;
  if (v.speed === 'max') speed = Infinity;
  else if (typeof v.speed === 'string') speed = positiveInt('speed', v.speed, 1_000_000);
  let port = 7071;
  if (typeof v.port === 'string') {
    if (!/^\d+$/.test(v.port) || Number(v.port) > 65535)
      throw new InputError(`--port: expected a port number from 0 to 65535, got "${v.port}"`);
    port = Number(v.port);
  }
  return { ...scenario, speed, port, exit: v.exit === true, verbose: v.verbose === true };
}

export interface LiveIo {
  /** stdout is a terminal: the progress is one status line redrawn in place. */
  tty?: boolean;
  /** Resolves on Ctrl-C (default SIGINT or SIGTERM to this process). */
  interrupted?: Promise<unknown>;
  /** Without a terminal, a progress line this often (wall ms); default a minute. */
  progressEveryMs?: number;
}

export async function live(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
  io: LiveIo = {},
): Promise<number> {
  let args: LiveArgs;
  let scenario: Awaited<ReturnType<typeof loadScenario>>;
  try {
    args = parseLiveArgs(argv);
    scenario = await loadScenario(args, liveStart);
  } catch (e) {
    if (e instanceof HelpRequested) {
      out(LIVE_USAGE);
      return 0;
    }
    if (e instanceof InputError || e instanceof TraceError) {
      err(`start: ${e.message}\n\n${LIVE_USAGE}`);
      return 2;
    }
    throw e;
  }
  const { policy, traffic } = scenario;
  const local = localTimeFormatter(policy.timezone);
  const progress = new ProgressLine({
    write: out,
    tty: io.tty === true,
    start: traffic.start,
    end: traffic.end,
    speed: args.speed,
    format: (at) => `${local(at)} ${policy.timezone}`,
    ...(io.progressEveryMs !== undefined ? { plainEveryMs: io.progressEveryMs } : {}),
  });
  let running;
  try {
    running = await startLive({
      traffic,
      policy,
      seed: args.seed,
      speed: args.speed,
      port: args.port,
      print: (line) => progress.line(line),
      verbose: args.verbose,
      env: process.env,
      dump: scenario.dump,
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      err(`start: port ${args.port} is in use; pick another with --port N (0 = any free port)\n`);
      return 2;
    }
    throw e;
  }
  const days = (traffic.end - traffic.start) / 86_400_000;
  const pace = Number.isFinite(args.speed)
    ? `${args.speed}× real time (a simulated day every ${formatDuration(86_400_000 / args.speed)}, about ${formatDuration((traffic.end - traffic.start) / args.speed)} in all)`
    : 'as fast as it runs';
  const kubeconfig = join(tmpdir(), 'graceful-scaler-sim.kubeconfig');
  // Written synchronously: at --speed max an await here would let ticks print before the header.
  writeFileSync(kubeconfig, running.kube.kubeconfig, { mode: 0o600 });
  out(
    [
      `graceful-scaler on the embedded simulated AKS cluster: ${days} day(s) from ${formatLocalTime(traffic.start, policy.timezone)}, ` +
        `${pace}, policy ${args.policy ?? 'built-in'}`,
      `status page: ${running.url}/`,
      `API:         ${running.url}/api/status, /api/overrides, /api/plan/{scaler}, /api/run/{scaler}, /api/dashboard/data, /api/audit`,
      `kubectl:     export KUBECONFIG=${kubeconfig}; kubectl get nodes -w   (cluster admin; --context graceful-scaler-identity is the scaler's RBAC)`,
      ...scenario.notes.map((n) => `cluster dump: ${n}`),
      `Ctrl-C stops and prints the summary so far.`,
      '',
    ].join('\n'),
  );

  const stop = io.interrupted ?? signalled();
  const ticker = setInterval(() => progress.update(running.now()), 250);
  ticker.unref();
  const result = await Promise.race([running.finished, stop.then(() => 'signal' as const)]);
  clearInterval(ticker);
  progress.clear();
  if (result === 'signal') {
    const partial = await running.stop();
    if (partial !== undefined)
      out(`\nstopped at ${formatLocalTime(running.now(), policy.timezone)}; the summary so far:\n${summaryText(partial, policy)}`);
    await running.close();
    return 0;
  }
  if (result !== undefined) {
    out(`\nsimulation over:\n${summaryText(result, policy)}`);
    if (!args.exit) {
      out(`the status page stays up with the final state: ${running.url}/ (Ctrl-C to stop)\n`);
      await stop;
    }
  }
  await running.close();
  return result !== undefined && result.violations.length > 0 ? 1 : 0;
}

function signalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** The run's figures: the summary table, the cost at the policy's prices, and every violation (local times). */
export function summaryText(result: SimulationResult, policy: Policy): string {
  const simulated = result.days >= 1 ? `${Number(result.days.toFixed(2))} day(s)` : formatDuration(result.days * 86_400_000);
  const lines = [`${simulated} simulated`, summaryTable([result])];
  const prices = policy.nodes?.cost;
  if (prices !== undefined) {
    const cost = costOf(result.poolHours, prices);
    lines.push(
      `cost at the policy's prices: ${formatMoney(cost.total, prices.currency)} (VMs ${formatMoney(cost.vms, prices.currency)}, stopped disks ${formatMoney(cost.disks, prices.currency)})`,
    );
  }
  const local = localTimeFormatter(policy.timezone);
  for (const v of result.violations) lines.push(`VIOLATION ${local(v.at)} ${v.kind}: ${v.detail}`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  live(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
    { tty: process.stdout.isTTY === true },
  ).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`start: ${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
