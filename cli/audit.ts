// `graceful-scaler audit`: reads `kubectl get -A -o json` dumps, or the live cluster through a
// kubeconfig, and reports which workloads a drain would hurt (docs/audit.md). Exit status by
// --fail-on: 1 when a finding is at least that severe.

import { readFile } from 'node:fs/promises';
import { auditObjectsFromLists } from '../adapters/kubernetes/audit-objects';
import { KubernetesAuditReader } from '../adapters/kubernetes/audit-reader';
import { makeClients } from '../adapters/kubernetes/clients';
import { kubeConfigFor } from '../adapters/kubernetes/connect';
import { loadPolicyFile } from '../adapters/policy-file';
import type { ListDocument } from '../adapters/kubernetes/projection/snapshot';
import { audit, failsAt, policyAuditSettings, SEVERITIES, type AuditObjects, type AuditSettings, type Severity } from '../core/audit';
import { parseDuration } from '../core/duration';
import { ensureError, InputError } from '../core/errors';
import { renderAuditSarif, renderAuditTable } from '../page/audit-output';

export const AUDIT_USAGE = `usage:
  graceful-scaler audit (--cluster DUMP.json [--cluster MORE.json] | --kubeconfig FILE [--context NAME])
      [--policy FILE] [--output table|json|sarif] [--fail-on blocks|not-graceful|advice|never]
      [--now 2026-11-30T07:35:00+09:00] [--long-work 10m]
      [--ca-max-graceful-termination 600s] [--aks-drain-timeout 30m]

audit     checks every workload against 20 rules of graceful draining (docs/audit.md): what blocks
          scale-down, what is evicted without grace, and a patch for each. Reads either dumps made with
          kubectl get pods,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,\\
            poddisruptionbudgets,services,nodes -A -o json > dump.json
          or the live cluster (the same kinds, listed page by page; read access is enough).
          --cluster     a dump (repeat to combine); not with --kubeconfig
          --kubeconfig  read the live cluster of this kubeconfig's current context (or --context NAME)
          --policy      graceful-scaler's policy: its queue workers and protectLocalStorage
          --fail-on     exit 1 when a finding is at least this severe (default blocks)
          --long-work   work at least this long is "long" (default 10m: cluster-autoscaler's cap)
Exit status: 0 no finding at the --fail-on severity, 1 some, 2 bad input or a cluster that cannot be read.
`;

interface Io {
  stdout: (text: string) => void;
  clock: () => number;
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

async function readDump(path: string): Promise<ListDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the cluster dump: ${code === 'ENOENT' ? 'no such file' : ensureError(err).message}`);
  }
  try {
    return { source: path, json: JSON.parse(text) };
  } catch (err) {
    throw new InputError(`${path}: the cluster dump is not valid JSON (${ensureError(err).message})`);
  }
}

/** The live cluster of a kubeconfig: every kind the audit reads, listed page by page. */
async function readLive(path: string, context: string | undefined): Promise<AuditObjects> {
  let kc;
  try {
    kc = kubeConfigFor({ kind: 'kubeconfig', path, ...(context !== undefined ? { context } : {}) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the kubeconfig: ${code === 'ENOENT' ? 'no such file' : ensureError(err).message}`);
  }
  if (context !== undefined && !kc.getContextObject(context)) {
    const names = kc.getContexts().map((c) => c.name);
    throw new InputError(`--context ${context}: ${path} has no such context (it has: ${names.join(', ') || 'none'})`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new InputError(`${path}: the current context ${JSON.stringify(kc.getCurrentContext())} names no cluster; pass --context NAME`);
  try {
    return await new KubernetesAuditReader(makeClients(kc)).readAuditObjects();
  } catch (err) {
    throw new InputError(`cannot read the cluster at ${cluster.server}: ${ensureError(err).message}`);
  }
}

function seconds(flag: string, text: string | undefined, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined) problems.push(`${flag} ${JSON.stringify(text)}: expected a duration like 600s, 10m or 600`);
  return ms === undefined ? undefined : ms / 1000;
}

export async function auditCommand(
  values: Values,
  io: Io,
  parseNow: (text: string | undefined, clock: () => number) => number,
  version: string,
): Promise<number> {
  const problems: string[] = [];
  const clusters = (values.cluster ?? []) as string[];
  const kubeconfig = values.kubeconfig as string | undefined;
  const context = values.context as string | undefined;
  if (clusters.length === 0 && kubeconfig === undefined)
    problems.push('--cluster DUMP.json is required (kubectl get … -A -o json), or --kubeconfig FILE to read the live cluster');
  if (clusters.length > 0 && kubeconfig !== undefined)
    problems.push('--cluster and --kubeconfig: give one, a dump or the live cluster, not both');
  if (context !== undefined && kubeconfig === undefined) problems.push('--context NAME needs --kubeconfig FILE');
  const output = values.output as string;
  if (!['table', 'json', 'sarif'].includes(output)) problems.push(`--output: expected table, json or sarif, got "${output}"`);
  const failOn = values['fail-on'] as string;
  if (![...SEVERITIES, 'never'].includes(failOn))
    problems.push(`--fail-on: expected blocks, not-graceful, advice or never, got "${failOn}"`);
  const longWorkSec = seconds('--long-work', values['long-work'] as string | undefined, problems);
  const caMax = seconds('--ca-max-graceful-termination', values['ca-max-graceful-termination'] as string | undefined, problems);
  const aksDrain = seconds('--aks-drain-timeout', values['aks-drain-timeout'] as string | undefined, problems);
  if (problems.length > 0) throw new InputError(problems);

  const now = parseNow(values.now as string | undefined, io.clock);
  const settings: Partial<AuditSettings> = { now };
  if (longWorkSec !== undefined) settings.longWorkSec = longWorkSec;
  if (caMax !== undefined) settings.caMaxGracefulTerminationSec = caMax;
  if (aksDrain !== undefined) settings.aksDrainTimeoutSec = aksDrain;
  // The policy first: a mistake in it is found before the cluster is read.
  if (typeof values.policy === 'string') Object.assign(settings, policyAuditSettings(await loadPolicyFile(values.policy)));
  let objects: AuditObjects;
  if (kubeconfig !== undefined) objects = await readLive(kubeconfig, context);
  else {
    const documents: ListDocument[] = [];
    for (const path of clusters) documents.push(await readDump(path));
    objects = auditObjectsFromLists(documents);
  }
  const report = audit(objects, settings);
  io.stdout(
    output === 'table'
      ? renderAuditTable(report)
      : output === 'sarif'
        ? renderAuditSarif(report, version)
        : `${JSON.stringify(report, null, 2)}\n`,
  );
  return failsAt(report, failOn as Severity | 'never') ? 1 : 0;
}

export const AUDIT_OPTIONS = {
  cluster: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  policy: { type: 'string' },
  output: { type: 'string', default: 'table' },
  'fail-on': { type: 'string', default: 'blocks' },
  now: { type: 'string' },
  'long-work': { type: 'string' },
  'ca-max-graceful-termination': { type: 'string' },
  'aks-drain-timeout': { type: 'string' },
} as const;
