// `npm start [-- --speed 60 --days 7 --port 7071 --seed 1 --policy FILE --trace FILE --exit --verbose]`:
// graceful-scaler running on the embedded simulated AKS cluster in accelerated time, its Function
// handlers fired on their schedules, the HTTP API and the status page on localhost.
// Exit status: 0 done (Ctrl-C, or the days are over with --exit), 2 bad input, 1 failure.

import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { summaryTable } from '../sim/scenario/report';
import { startLive } from '../devhost/live';
import { TraceError } from '../sim/scenario/traffic';
import { HelpRequested, loadScenario, parseScenarioArgs, positiveInt, type ScenarioOptions } from './simulate';

export const LIVE_USAGE = `usage: npm start -- [--speed N] [--days N] [--port N] [--seed N] [--policy FILE] [--trace FILE.csv] [--cluster DUMP.json] [--exit] [--verbose]

  --speed N       simulated seconds per real second (default 60: an hour a minute); "max" runs
                  as fast as the ticks allow
  --days N        simulated days (1–31; default 7, or the trace's length)
  --port N        localhost port of the API and status page (default 7071; 0 = any free port)
  --seed N        seed of the generated traffic and the cluster (default 1)
  --policy FILE   the graceful-scaler policy (YAML/JSON); default a built-in one for a 60-node pool
  --trace FILE    a CSV "time,mdm_rps,bg_jobs" instead of the generated reference week
  --cluster FILE  start from your cluster's \`kubectl get nodes,pods,deployments,pdb,jobs -A -o json\`
  --exit          stop when the simulated days are over (default: keep serving the final state)
  --verbose       print every skip and tick record, not only actions
The status page is at http://127.0.0.1:PORT/ ; the API below /api (as on the Function App, without a key).
`;

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
  let speed = 60;
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

export async function live(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let args: LiveArgs;
  let scenario: Awaited<ReturnType<typeof loadScenario>>;
  try {
    args = parseLiveArgs(argv);
    scenario = await loadScenario(args);
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
  let running;
  try {
    running = await startLive({
      traffic,
      policy,
      seed: args.seed,
      speed: args.speed,
      port: args.port,
      print: (line) => out(`${line}\n`),
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
  const kubeconfig = join(tmpdir(), 'graceful-scaler-sim.kubeconfig');
  await writeFile(kubeconfig, running.kube.kubeconfig, { mode: 0o600 });
  out(
    [
      `graceful-scaler on the embedded simulated AKS cluster: ${days} day(s) from ${new Date(traffic.start).toISOString()}, ` +
        `${Number.isFinite(args.speed) ? `${args.speed}× real time` : 'as fast as it runs'}, policy ${args.policy ?? 'built-in'}`,
      `status page: ${running.url}/`,
      `API:         ${running.url}/api/status, /api/overrides, /api/plan/{scaler}, /api/run/{scaler}, /api/dashboard/data, /api/audit`,
      `kubectl:     export KUBECONFIG=${kubeconfig}; kubectl get nodes -w   (cluster admin; --context graceful-scaler-identity is the scaler's RBAC)`,
      ...scenario.notes.map((n) => `cluster dump: ${n}`),
      '',
    ].join('\n'),
  );

  const stop = new Promise<'signal'>((resolve) => {
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
  });
  const result = await Promise.race([running.finished, stop]);
  if (result !== 'signal' && result !== undefined) {
    out(`\nsimulation over:\n${summaryTable([result])}\n`);
    for (const v of result.violations) out(`VIOLATION ${new Date(v.at).toISOString()} ${v.kind}: ${v.detail}\n`);
    if (!args.exit) {
      out(`the status page stays up with the final state: ${running.url}/ (Ctrl-C to stop)\n`);
      await stop;
    }
  }
  await running.close();
  return result !== 'signal' && result !== undefined && result.violations.length > 0 ? 1 : 0;
}

if (require.main === module) {
  live(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  ).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`start: ${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
