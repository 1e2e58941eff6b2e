// The audit: every check over every workload and PDB of the dump, findings ordered by severity,
// then check, then subject.

import { buildContext, DEFAULT_SETTINGS, type AuditSettings } from './context';
import type { AuditObjects } from './objects';
import { CHECKS, type Check } from './checks';
import { toFinding } from './checks/kit';
import { SEVERITIES, type AuditReport, type Finding, type Severity } from './types';
import { groupWorkloads } from './workloads';

export function audit(objects: AuditObjects, settings: Partial<AuditSettings> = {}, checks: readonly Check[] = CHECKS): AuditReport {
  const ctx = buildContext(objects, { ...DEFAULT_SETTINGS, ...settings });
  const workloads = groupWorkloads(objects);
  const findings: Finding[] = [];
  for (const check of checks) {
    if (check.workload) for (const w of workloads) for (const d of check.workload(w, ctx)) findings.push(toFinding(check.info, w.ref, d));
    if (check.pdb) {
      for (const pdb of ctx.pdbs) {
        const subject = {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          namespace: pdb.object.metadata.namespace,
          name: pdb.object.metadata.name,
        };
        for (const d of check.pdb(pdb, ctx, workloads)) findings.push(toFinding(check.info, subject, d));
      }
    }
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  findings.sort((a, b) => rank(a.severity) - rank(b.severity) || a.check - b.check);
  const counts = { blocks: 0, 'not-graceful': 0, advice: 0 };
  for (const f of findings) counts[f.severity]++;
  return { checks: checks.map((c) => c.info), workloads: workloads.length, pdbs: ctx.pdbs.length, findings, counts };
}

/** Whether the report fails at `threshold`: any finding at least that severe. `never` never fails. */
export function failsAt(report: AuditReport, threshold: Severity | 'never'): boolean {
  if (threshold === 'never') return false;
  const limit = SEVERITIES.indexOf(threshold);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}
