// The `graceful-scaler` command. `plan` reads ordinary `kubectl get … -o json` dumps and prints what
// the scaler would do and why; `audit` reads them and says which workloads a drain would hurt; neither
// touches a cluster. Exit status: 0 done, 2 bad input (audit: 1 when findings reach --fail-on).

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadPolicyFile } from '../adapters/policy-file';
import { ensureError, InputError } from '../core/errors';
import { describeRefusal } from '../core/decision';
import type { ScalerName } from '../core/memory';
import type { Policy } from '../core/policy';
import { ALL_SCALERS, plan } from '../core/plan';
import { PACKAGE_VERSION } from '../page/audit-output';
import { AUDIT_OPTIONS, AUDIT_USAGE, auditCommand } from './audit';
import { parseNow, parseQueueFlags, readClusterDumps, readMemory } from './plan-input';
import { renderTable } from './render-table';

export { PACKAGE_VERSION };

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  clock: () => number;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  clock: () => Date.now(),
};

export const USAGE = `usage:
  graceful-scaler plan --policy FILE --cluster DUMP.json [--cluster MORE.json]
      [--queue NAME=COUNT[,age=DURATION]]... [--memory MEMORY.json]
      [--now 2026-11-30T07:35:00+09:00] [--scalers nodes,workers,descheduler]
      [--output json|table]
  graceful-scaler validate --policy FILE
  graceful-scaler audit --cluster DUMP.json [--policy FILE] [--output table|json|sarif]
      [--fail-on blocks|not-graceful|advice|never]
  graceful-scaler COMMAND --help      each flag explained, with an example
  graceful-scaler --version

plan      prints the decision (actions, refusals, memory) for the cluster in the dumps, made with
          kubectl get nodes,pods,poddisruptionbudgets,deployments -A -o json > dump.json
          The "memory" of one run's JSON output is accepted by --memory of the next.
validate  checks a policy file and prints every problem found.
audit     says which workloads a drain would hurt, why, for which disrupter, and the fix (docs/audit.md).
Exit status: 0 done, 2 bad input or input that makes no sense (a dump without nodes, a pool or
selector matching nothing, a worker's Deployment missing); the message on stderr names the problem
and the fix. audit: 1 when a finding reaches --fail-on.
`;

export const PLAN_USAGE = `usage:
  graceful-scaler plan --policy FILE --cluster DUMP.json [--cluster MORE.json]
      [--queue NAME=COUNT[,age=DURATION]]... [--memory MEMORY.json]
      [--now 2026-11-30T07:35:00+09:00] [--scalers nodes,workers,descheduler]
      [--output json|table]

plan      prints what graceful-scaler would do now and why (actions, refusals, memory), from dumps;
          it touches no cluster.
  --policy FILE      the policy (YAML or JSON; docs/policy.md)
  --cluster FILE     a kubectl dump; repeat for more. Make one with
                     kubectl get nodes,pods,poddisruptionbudgets,deployments,replicasets,statefulsets,\\
                       jobs,daemonsets -A -o json > dump.json
  --queue NAME=N     a queue's depth (messages waiting and in progress), with ,age=45s for the age of
                     its oldest message; repeat per queue. Only queues a worker of the policy reads.
  --memory FILE      what earlier ticks remembered: the "memory" of a plan's JSON output, or the
                     state ConfigMap's memory.json (a drain in progress, starts, stabilisation)
  --now TIME         the moment to plan for (RFC 3339; default now): schedule windows and delays
  --scalers LIST     plan only these (default every scaler the policy has)
  --output FORMAT    json (default; the whole decision) or table (for people)
example:
  graceful-scaler plan --policy policy.example.yaml --cluster examples/weekday-morning.json \\
    --queue clomo-jobs=37 --now 2026-11-30T07:35:00+09:00 --output table
Exit status: 0 planned, 2 bad input (the message names the problem and the fix).
`;

export const VALIDATE_USAGE = `usage:
  graceful-scaler validate --policy FILE

validate  reads a policy file and prints every problem found (field, value, the fix), or a one-line
          summary when it is valid.
  --policy FILE      the policy (YAML or JSON; docs/policy.md)
example:
  graceful-scaler validate --policy policy.example.yaml
Exit status: 0 valid, 2 problems (each on its own line on stderr).
`;

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'plan':
        if (wantsHelp(rest)) return help(io, PLAN_USAGE);
        return await planCommand(rest, io);
      case 'validate':
        if (wantsHelp(rest)) return help(io, VALIDATE_USAGE);
        return await validateCommand(rest, io);
      case 'audit':
        if (wantsHelp(rest)) return help(io, AUDIT_USAGE);
        return await auditCommand(parse(rest, AUDIT_OPTIONS, AUDIT_USAGE).values, io, parseNow, PACKAGE_VERSION);
      case '--version':
      case '-V':
      case 'version':
        io.stdout(`graceful-scaler ${PACKAGE_VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new InputError(
          `unknown command "${command}"; expected plan, validate, audit or --version (graceful-scaler --help lists them)`,
        );
    }
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`graceful-scaler: ${err.problems.length > 1 ? `${err.problems.length} problems:\n  ` : ''}${err.problems.join('\n  ')}\n`);
      return 2;
    }
    throw err;
  }
}

function help(io: Io, usage: string): number {
  io.stdout(usage);
  return 0;
}

function parse(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>, usage = USAGE) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new InputError(`${ensureError(err).message.replace(/^TypeError \[\w+\]: /, '')}\n${usage}`);
  }
}

async function planCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parse(
    args,
    {
      policy: { type: 'string' },
      cluster: { type: 'string', multiple: true },
      queue: { type: 'string', multiple: true },
      memory: { type: 'string' },
      now: { type: 'string' },
      scalers: { type: 'string' },
      output: { type: 'string', default: 'json' },
    },
    PLAN_USAGE,
  );
  const missing: string[] = [];
  if (typeof values.policy !== 'string') missing.push('--policy FILE is required');
  const clusters = (values.cluster ?? []) as string[];
  if (clusters.length === 0)
    missing.push('--cluster DUMP.json is required (kubectl get nodes,pods,poddisruptionbudgets,deployments -A -o json)');
  const output = values.output as string;
  if (output !== 'json' && output !== 'table') missing.push(`--output: expected json or table, got "${output}"`);
  const scalers = parseScalers(values.scalers as string | undefined, missing);
  if (missing.length > 0) throw new InputError(missing);

  const now = parseNow(values.now as string | undefined, io.clock);
  const queues = parseQueueFlags((values.queue ?? []) as string[]);
  const policy = await loadPolicyFile(values.policy as string);
  const nonsense = flagsThePolicyLacks(
    policy,
    scalers,
    queues.map((q) => q.name),
  );
  if (nonsense.length > 0) throw new InputError(nonsense);
  const snapshot = await readClusterDumps(clusters, queues);
  const memory = await readMemory(values.memory as string | undefined);

  const decision = plan({ snapshot, policy, memory, now, scalers });
  // Nothing is printed for a refused input: a decision that planned around nonsense would mislead.
  if (decision.refused.length > 0) throw new InputError(decision.refused.map(describeRefusal));
  io.stdout(output === 'table' ? renderTable(decision, policy) : `${JSON.stringify(decision, null, 2)}\n`);
  return 0;
}

function parseScalers(text: string | undefined, problems: string[]): ScalerName[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim());
  const bad = names.filter((s) => !(ALL_SCALERS as readonly string[]).includes(s));
  if (bad.length > 0)
    problems.push(
      `--scalers: unknown ${bad.map((b) => `"${b}"`).join(', ')}; expected a comma-separated list of ${ALL_SCALERS.join(', ')}`,
    );
  return names as ScalerName[];
}

/** Flags naming what the policy does not have: a queue no worker reads, a scaler without its section. */
function flagsThePolicyLacks(policy: Policy, scalers: readonly ScalerName[] | undefined, queues: readonly string[]): string[] {
  const problems: string[] = [];
  const used = new Set(policy.workers.flatMap((w) => w.queues));
  for (const q of queues) {
    if (!used.has(q))
      problems.push(
        `--queue ${q}: no worker of the policy reads this queue (its workers read: ${[...used].join(', ') || 'none'}); correct the name or drop the flag`,
      );
  }
  const has: Record<ScalerName, boolean> = {
    nodes: policy.nodes !== undefined,
    workers: policy.workers.length > 0,
    descheduler: policy.descheduler !== undefined,
  };
  for (const s of scalers ?? []) {
    if (!has[s]) problems.push(`--scalers ${s}: the policy has no ${s} section; name only ${ALL_SCALERS.filter((n) => has[n]).join(', ')}`);
  }
  return problems;
}

async function validateCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parse(args, { policy: { type: 'string' } }, VALIDATE_USAGE);
  if (typeof values.policy !== 'string') throw new InputError('--policy FILE is required');
  const policy = await loadPolicyFile(values.policy);
  const parts = [
    policy.nodes
      ? `nodes: pools ${policy.nodes.pools.join(', ')}, ${policy.nodes.minNodes}..${policy.nodes.maxNodes} nodes, ${policy.nodes.schedule.length} window(s)`
      : undefined,
    policy.workers.length > 0 ? `workers: ${policy.workers.map((w) => w.name).join(', ')}` : undefined,
    policy.descheduler ? `descheduler: pods "${policy.descheduler.podSelectorText}" by ${policy.descheduler.balanceBy}` : undefined,
  ].filter(Boolean);
  io.stdout(`${values.policy}: valid (${policy.timezone}; ${parts.join('; ')})\n`);
  return 0;
}
