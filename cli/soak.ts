// `npm run soak -- [--days N] [--faults 0.1] [--crashes 0.05] [--seed S]`: the reference traffic on
// the embedded simulated cluster, graceful-scaler under seeded API, ARM and queue faults, crashes
// between any two calls, and a memory ConfigMap deleted or hand-edited now and then; every step
// checked (sim/scenario/soak-checks.ts). Prints faults and violations by kind with the first example
// of each. Exit status: 0 no violation, 1 a violation, 2 bad input.

import { parseArgs } from 'node:util';
import { ensureError, InputError } from '../core/errors';
import { runSoak, soakReport } from '../sim/scenario/soak';
import { positiveInt } from './simulate';

export const SOAK_USAGE = `usage: npm run soak -- [--days N] [--faults RATE] [--crashes RATE] [--seed N]

  --days N          simulated days (1–10000; default 14)
  --faults RATE     probability that one API, ARM or queue request goes wrong (0–1; default 0.1)
  --crashes RATE    probability that a tick is killed after one of its calls, and per hour that the
                    memory ConfigMap is deleted or hand-edited (0–1; default 0.05)
  --seed N          seed of the traffic, the cluster and the faults (default 1)
Exit status: 0 no violation, 1 a violation, 2 bad input.
`;

export interface SoakArgs {
  days: number;
  faults: number;
  crashes: number;
  seed: number;
}

function rate(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new InputError(`--${flag}: expected a probability from 0 to 1, got "${text}"`);
  return value;
}

export function parseSoakArgs(argv: readonly string[]): SoakArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      days: { type: 'string' },
      faults: { type: 'string' },
      crashes: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  return {
    days: values.days === undefined ? 14 : positiveInt('days', values.days, 10_000),
    faults: rate('faults', values.faults, 0.1),
    crashes: rate('crashes', values.crashes, 0.05),
    seed: values.seed === undefined ? 1 : positiveInt('seed', values.seed, 2 ** 31),
  };
}

export interface SoakIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: SoakIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

export async function main(argv: readonly string[], io: SoakIo = processIo): Promise<number> {
  let args: SoakArgs | 'help';
  try {
    args = parseSoakArgs(argv);
  } catch (err) {
    io.stderr(`${ensureError(err).message}\n${SOAK_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(SOAK_USAGE);
    return 0;
  }
  const result = await runSoak({
    ...args,
    progress: process.stderr.isTTY ? (f) => process.stderr.write(`\r${Math.round(f * 100)} %`) : undefined,
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  io.stdout(soakReport(result, args));
  return result.violations.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
