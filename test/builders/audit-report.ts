// The drain audit's report as GET /api/audit answers it, for the status page's tests: made by the
// audit itself from a handful of manifests, so its shape is always the real one. Deterministic.

import type { AuditReport } from '../../core/audit';
import { container, cronJob, deployment, pdb, pod, runAudit, service } from './audit-manifests';

/**
 * A bare pod clomo/report (check 1, blocks), the queue worker clomo/bg with four findings (10, 14,
 * 17 heuristic, 20), clomo/web behind a Service (10, 16), a CronJob (11), a PDB selecting nothing (8).
 */
export function auditReportFixture(): AuditReport {
  return runAudit(
    [
      pod('report'),
      deployment('web'),
      service('web', { app: 'web' }),
      deployment(
        'bg',
        {
          terminationGracePeriodSeconds: 72000,
          containers: [container('bg', { command: ['sh', '-c', 'migrate-db; run-worker --queue clomo-jobs'] })],
        },
        { replicas: 2 },
      ),
      cronJob('nightly-export', '0 2 * * *'),
      pdb('orphan', { minAvailable: 1, selector: { matchLabels: { app: 'gone' } } }),
    ],
    { queueWorkers: new Set(['clomo/bg']), now: Date.parse('2026-11-30T18:00:00Z') },
  );
}
