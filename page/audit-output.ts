// How the audit's report is written out, by `graceful-scaler audit` and GET /api/audit alike: a
// table for a person, JSON for a program, SARIF 2.1.0 for CI systems that annotate pull requests
// (rules = the checks, one result per finding, the workload as its logical location, the fix in the
// message and in the result's properties).

import { stringify } from 'yaml';
import {
  DISRUPTERS,
  DISRUPTER_TITLE,
  SEVERITIES,
  SEVERITY_TITLE,
  type AuditReport,
  type Finding,
  type Fix,
  type ObjectRef,
} from '../core/audit';

/** The version SARIF names as the tool's; kept by hand with package.json's (a test compares them). */
export const PACKAGE_VERSION = '0.1.0';

export function refText(r: ObjectRef): string {
  return r.namespace === '' ? `${r.kind} ${r.name}` : `${r.kind} ${r.namespace}/${r.name}`;
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'null');
}

/** The fix as a person applies it: `kubectl patch`'s type and the patch in YAML, or the manifest. */
export function fixText(fix: Fix): string {
  switch (fix.type) {
    case 'strategic':
    case 'merge':
      return `${fix.description}\n# kubectl patch ${fix.target.kind.toLowerCase()} ${fix.target.name} -n ${fix.target.namespace} --type ${fix.type} --patch-file fix.yaml\n${stringify(fix.patch).trimEnd()}`;
    case 'create':
      return `${fix.description}\n# kubectl apply -f - <<EOF\n${stringify(fix.manifest).trimEnd()}`;
    case 'replace':
      return `${fix.description}\n# replaces ${refText(fix.target)}\n${stringify(fix.manifest).trimEnd()}`;
    case 'delete':
      return `${fix.description}\n# kubectl delete ${fix.target.kind.toLowerCase()} ${fix.target.name} -n ${fix.target.namespace}`;
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : by + l))
    .join('\n');
}

export function renderAuditTable(report: AuditReport): string {
  const lines: string[] = [];
  const { counts } = report;
  lines.push(
    `graceful-scaler audit: ${report.workloads} workload(s), ${report.pdbs} PodDisruptionBudget(s); ${counts.blocks} block scale-down, ${counts['not-graceful']} evictable but not graceful, ${counts.advice} advice`,
  );
  for (const severity of SEVERITIES) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    lines.push('', `${SEVERITY_TITLE[severity].toUpperCase()} (${findings.length})`);
    for (const f of findings) lines.push('', ...findingLines(f));
  }
  if (report.findings.length === 0) lines.push('', 'no findings');
  return `${lines.join('\n')}\n`;
}

function findingLines(f: Finding): string[] {
  const title = `check ${f.check} ${f.checkId}${f.heuristic ? ' (heuristic)' : ''}`;
  const out = [`- ${refText(f.subject)}  [${title}]`, `  ${f.message}`];
  if (f.pods.length > 0) out.push(`  pods: ${f.pods.join(', ')}`);
  for (const e of f.evidence) out.push(`  evidence: ${e.object ? `${e.object} ` : ''}${e.path} = ${valueText(e.value)}`);
  const width = Math.max(...DISRUPTERS.map((d) => DISRUPTER_TITLE[d].length));
  for (const d of DISRUPTERS) out.push(`  ${DISRUPTER_TITLE[d].padEnd(width)}  ${f.verdicts[d].effect.padEnd(8)} ${f.verdicts[d].why}`);
  out.push(f.fix ? `  fix: ${indent(fixText(f.fix), '    ').trimStart()}` : '  fix: none as a patch (see the message and docs/audit.md)');
  return out;
}

const LEVEL = { blocks: 'error', 'not-graceful': 'warning', advice: 'note' } as const;

/** SARIF 2.1.0: one run, the checks as rules, the findings as results. */
export function renderAuditSarif(report: AuditReport, version: string): string {
  const rules = report.checks.map((c) => ({
    id: `GS${String(c.number).padStart(3, '0')}`,
    name: c.id,
    shortDescription: { text: c.title },
    fullDescription: { text: c.help },
    help: { text: c.help, markdown: `**${c.title}** (${SEVERITY_TITLE[c.severity]})\n\n${c.help}` },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { severity: c.severity },
  }));
  const results = report.findings.map((f) => ({
    ruleId: `GS${String(f.check).padStart(3, '0')}`,
    ruleIndex: report.checks.findIndex((c) => c.number === f.check),
    level: LEVEL[f.severity],
    message: { text: `${f.message}${f.heuristic ? ' (heuristic)' : ''}.${f.fix ? ` Fix: ${fixText(f.fix)}` : ''}` },
    logicalLocations: [{ fullyQualifiedName: refText(f.subject), name: f.subject.name, kind: 'resource' }],
    partialFingerprints: { workloadCheck: `${refText(f.subject)}#${f.checkId}` },
    properties: {
      severity: f.severity,
      evidence: f.evidence,
      verdicts: f.verdicts,
      pods: f.pods,
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.heuristic ? { heuristic: true } : {}),
    },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'graceful-scaler audit', version, rules } }, results }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
