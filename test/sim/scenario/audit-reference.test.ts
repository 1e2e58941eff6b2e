// The audit over the simulator's reference cluster (the clomo world of sim/scenario/world.ts, its
// daily batch running): a dump made from the simulated API's Lists, as `kubectl get -A -o json`.

import { describe, expect, it } from 'vitest';
import { auditObjectsFromLists } from '../../../adapters/kubernetes/audit-objects';
import { renderAuditTable } from '../../../page/audit-output';
import { audit } from '../../../core/audit';
import { DAEMON_SETS, DEPLOYMENTS, NODES, PDBS, PODS, REPLICA_SETS } from '../../../sim/model/resources';
import { SimJobQueue } from '../../../sim/scenario/in-process-ports';
import { simPolicy } from '../../../sim/scenario/simulation';
import { referenceTraffic } from '../../../sim/scenario/traffic';
import { TrafficDriver } from '../../../sim/scenario/traffic-driver';
import { buildWorld, DEFAULT_WORKLOADS, NAMESPACE } from '../../../sim/scenario/world';

export function referenceDump(): { dump: unknown; now: number } {
  const policy = simPolicy();
  const traffic = referenceTraffic({ days: 1, seed: 1, timezone: policy.timezone });
  const worker = policy.workers[0];
  const world = buildWorld({
    traffic,
    policy,
    shape: DEFAULT_WORKLOADS,
    seed: 1,
    worker,
    staticNodes: 6,
    poolSize: 8,
    initialNodes: 4,
    initialBgReplicas: 2,
    holder: 'audit-test',
  });
  const queue = world.queues.get(worker?.queues[0] ?? 'clomo-jobs') ?? new SimJobQueue('clomo-jobs');
  const driver = new TrafficDriver(world.cluster, traffic, DEFAULT_WORKLOADS, queue, queue, 1);
  // Up to an hour past the first batch start: the batch Job's pod is running.
  const until = (traffic.batchStarts[0] ?? traffic.start) + 60 * 60_000;
  let now = traffic.start;
  for (let i = 0; now <= until; i++, now += traffic.stepMs) {
    if (world.cluster.now() < now) world.cluster.advance(now - world.cluster.now());
    driver.apply(i, now);
    world.cluster.advance(0);
  }
  const items = [NODES, PODS, PDBS, DEPLOYMENTS, REPLICA_SETS, DAEMON_SETS].flatMap((r) => world.cluster.list(r).items);
  return { dump: JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'List', items })), now: world.cluster.now() };
}

describe('audit of the reference cluster', () => {
  it("reports the BG workers' 20-hour grace, the batch Job and the budgets, and nothing of the DaemonSets", () => {
    const { dump, now } = referenceDump();
    const policy = simPolicy();
    const report = audit(auditObjectsFromLists([{ source: 'reference', json: dump }]), {
      now,
      queueWorkers: new Set(policy.workers.map((w) => `${w.namespace}/${w.deployment}`)),
    });
    const seen = report.findings.map((f) => `${f.check} ${f.subject.kind}/${f.subject.name}`);
    expect(seen).toContain('14 Deployment/bg');
    expect(seen).toContain('20 Deployment/bg');
    expect(seen.filter((s) => s.startsWith('11 Job/clomo-daily-batch-'))).toHaveLength(1);
    expect(seen.filter((s) => s.startsWith('12 Job/clomo-daily-batch-'))).toHaveLength(1);
    expect(seen.some((s) => s.includes('DaemonSet'))).toBe(false);
    expect(report.findings.every((f) => f.subject.namespace === NAMESPACE || f.subject.namespace === 'kube-system')).toBe(true);
    if (process.env.AUDIT_PRINT) process.stdout.write(renderAuditTable(report));
  });
});
