// `npm run simulate -- [--days 7] [--policy file] [--trace file] [--seed N] [--report out.html]`:
// replays a week (the reference week or a person's trace) on the embedded simulated cluster under
// four strategies, prints a summary table and writes a self-contained HTML report.
// Exit status: 0 done, 2 bad input (the message on stderr names the problem).

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadPolicyFile } from '../adapters/policy-file';
import { ensureError, InputError } from '../core/errors';
import type { Policy } from '../core/policy';
import { htmlReport, summaryTable } from '../sim/scenario/report';
import { runSimulation, simPolicy, type SimulationResult } from '../sim/scenario/simulation';
import { STRATEGIES } from '../sim/scenario/strategies';
import { parseTraceCsv, referenceTraffic, TraceError, type Traffic } from '../sim/scenario/traffic';

export const SIMULATE_USAGE = `usage: npm run simulate -- [--days N] [--policy FILE] [--trace FILE.csv] [--seed N] [--report OUT.html]

  --days N        days to simulate (1–31; default 7, or the trace's length)
  --policy FILE   the graceful-scaler policy (YAML/JSON); default a built-in one for a 60-node pool
  --trace FILE    a CSV "time,mdm_rps,bg_jobs" (RFC 3339 time with offset; requests per second;
                  BG jobs arriving in the interval) instead of the generated reference week
  --seed N        seed of the generated traffic and the cluster (default 1)
  --report FILE   where to write the HTML report (default simulation-report.html)
Compares graceful-scaler, static peak provisioning, a manual night stop and a
cluster-autoscaler-like policy on the same traffic.
Exit status: 0 done, 2 bad input.
`;

export interface SimulateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Draw a progress bar on stderr (a TTY). */
  progress: boolean;
}

const processIo: SimulateIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  progress: process.stderr.isTTY === true,
};

export interface SimulateOptions extends ScenarioOptions {
  report: string;
}

export function positiveInt(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new InputError(`--${flag}: expected a whole number from 1 to ${max}, got "${text}"`);
  return Number(text);
}

/** The flags of both `npm run simulate` and `npm start` that choose what is simulated. */
const SCENARIO_FLAGS = {
  days: { type: 'string' },
  policy: { type: 'string' },
  trace: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ScenarioOptions {
  days: number | undefined;
  policy: string | undefined;
  trace: string | undefined;
  seed: number;
}

/** Parses the scenario flags and the command's own; a bad flag is an InputError, --help a HelpRequested. */
export function parseScenarioArgs<E extends ParseArgsConfig['options']>(argv: readonly string[], extra: E) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...SCENARIO_FLAGS, ...extra }, strict: true, allowPositionals: false });
  } catch (err) {
    throw new InputError(ensureError(err).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help === true) throw new HelpRequested();
  const scenario: ScenarioOptions = {
    days: typeof v.days === 'string' ? positiveInt('days', v.days, 31) : undefined,
    policy: typeof v.policy === 'string' ? v.policy : undefined,
    trace: typeof v.trace === 'string' ? v.trace : undefined,
    seed: typeof v.seed === 'string' ? positiveInt('seed', v.seed, 2 ** 31 - 1) : 1,
  };
  return { scenario, values: v };
}

export function parseSimulateArgs(argv: readonly string[]): SimulateOptions {
  const { scenario, values } = parseScenarioArgs(argv, { report: { type: 'string' } });
  const report = values.report as string | undefined;
  if (report !== undefined && report.trim() === '') throw new InputError('--report: expected a file name');
  return { ...scenario, report: report ?? 'simulation-report.html' };
}

export class HelpRequested extends Error {}

function bar(fraction: number, label: string): string {
  const width = 30;
  const filled = Math.round(fraction * width);
  return `\r${label.padEnd(26)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}

/** The policy and traffic the options name; throws InputError/TraceError naming what is wrong. */
export async function loadScenario(options: ScenarioOptions): Promise<{ policy: Policy; traffic: Traffic }> {
  const policy = options.policy === undefined ? simPolicy() : await loadPolicyFile(options.policy);
  if (options.trace === undefined) return { policy, traffic: referenceTraffic({ days: options.days ?? 7, seed: options.seed, timezone: policy.timezone }) };
  let text: string;
  try {
    text = await readFile(options.trace, 'utf8');
  } catch (err) {
    throw new InputError(`${options.trace}: cannot read the trace (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return { policy, traffic: parseTraceCsv(text, options.trace, { seed: options.seed, timezone: policy.timezone, ...(options.days !== undefined ? { days: options.days } : {}) }) };
}

export async function simulate(argv: readonly string[], io: SimulateIo = processIo): Promise<number> {
  let options: SimulateOptions;
  let policy: Policy;
  let traffic: Traffic;
  try {
    options = parseSimulateArgs(argv);
    ({ policy, traffic } = await loadScenario(options));
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout(SIMULATE_USAGE);
      return 0;
    }
    if (err instanceof InputError || err instanceof TraceError) {
      io.stderr(`simulate: ${err.message}\n\n${SIMULATE_USAGE}`);
      return 2;
    }
    throw err;
  }

  const results: SimulationResult[] = [];
  for (const make of STRATEGIES) {
    const strategy = make();
    const label = strategy.name;
    const result = await runSimulation({
      traffic,
      policy,
      strategy,
      seed: options.seed,
      ...(io.progress ? { progress: (f: number) => io.stderr(bar(f, label)) } : {}),
    });
    if (io.progress) io.stderr('\n');
    results.push(result);
  }
  const days = (traffic.end - traffic.start) / 86_400_000;
  io.stdout(`${days.toFixed(days % 1 === 0 ? 0 : 1)} simulated day(s) from ${new Date(traffic.start).toISOString()} (${options.trace ?? `reference week, seed ${options.seed}`}); policy ${options.policy ?? 'built-in'}\n\n`);
  io.stdout(`${summaryTable(results)}\n\n`);
  for (const r of results) {
    const counts = new Map<string, number>();
    for (const v of r.violations) counts.set(v.kind, (counts.get(v.kind) ?? 0) + 1);
    const list = [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
    io.stdout(`${r.strategy}: ${(r.wallMs / 1000).toFixed(1)} s wall${list ? `; ${list}` : ''}\n`);
  }
  const html = htmlReport(results, {
    title: 'graceful-scaler: simulated comparison',
    details: [
      `${days} day(s) from ${new Date(traffic.start).toISOString()}, ${options.trace ? `trace ${options.trace}` : `reference week (seed ${options.seed})`}`,
      `policy: ${options.policy ?? 'built-in simulation policy'}`,
      'node-hours count every VM not deallocated (system and batch pools included); "user" counts the scaled pool only',
    ],
    timezone: policy.timezone,
  });
  await writeFile(options.report, html);
  io.stdout(`\nreport: ${options.report}\n`);
  return 0;
}

if (require.main === module) {
  simulate(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`simulate: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
