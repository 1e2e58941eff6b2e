// The status page's links from a scaler's reason to the drain audit's finding: the reason as the core
// writes it for a pod that keeps its node, the report as the audit makes it for the same cluster.

import { beforeAll, describe, expect, it } from 'vitest';
import { audit, type AuditReport, type Finding } from '../../core/audit';
import { blockerOf, indexCluster } from '../../core/cluster';
import { auditMentions, findingAnchors, linkTargets, workloadAnchor } from '../../page/client/audit-links';
import { SimAuditReader } from '../../sim/scenario/in-process-audit';
import { SimClusterReader } from '../../sim/scenario/in-process-ports';
import { auditedCluster } from '../builders/audit-cluster';
import { buildPolicy } from '../builders/views';

let report: AuditReport;
/** What the node scaler says of the node the bare pod runs on. */
let reason: string;

beforeAll(async () => {
  const cluster = auditedCluster();
  report = audit(await new SimAuditReader(cluster).readAuditObjects(), { now: cluster.now() });
  const node = cluster.pod('clomo', 'report')!.spec.nodeName!;
  const snapshot = { ...new SimClusterReader(cluster).readNow(), queues: [] };
  const blocker = blockerOf(indexCluster(snapshot, buildPolicy()), node);
  // As core/nodes/scale-down.ts words a candidate refused for a pod.
  reason = `not a scale-down candidate: pod ${blocker}`;
});

const finding = (over: Partial<Finding>): Finding => ({
  check: 10,
  checkId: 'no-pdb-or-single-replica',
  severity: 'not-graceful',
  subject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'clomo', name: 'web' },
  pods: [],
  message: '',
  evidence: [],
  verdicts: {} as Finding['verdicts'],
  ...over,
});

describe('links from reasons to audit findings', () => {
  it('finds the check and the pod in a reason the core wrote, and links it to that finding', () => {
    expect(reason).toMatch(/^not a scale-down candidate: pod clomo\/report .*\(audit check 1\)$/);
    const [mention] = auditMentions(reason);
    expect(mention).toMatchObject({ check: 1, namespace: 'clomo', pod: 'report' });
    expect(reason.slice(mention!.start, mention!.end)).toBe('audit check 1');
    const target = linkTargets(report).target(mention!);
    expect(target).toBe('audit-1-pod-clomo-report');
    expect(findingAnchors(report.findings)).toContain(target);
  });

  it("links a controller's pod by the pods the finding lists, or by the name its pods are made from", () => {
    const findings = [
      finding({ subject: { kind: 'Deployment', namespace: 'clomo', name: 'web' } }),
      finding({ subject: { kind: 'Deployment', namespace: 'clomo', name: 'web-api' } }),
      finding({ check: 4, subject: { kind: 'StatefulSet', namespace: 'clomo', name: 'db' }, pods: ['db-0'] }),
    ];
    const t = linkTargets({ findings });
    expect(t.target({ check: 10, namespace: 'clomo', pod: 'web-api-7f9c8d-x2x4q' })).toBe('audit-10-deployment-clomo-web-api');
    expect(t.target({ check: 10, namespace: 'clomo', pod: 'web-7f9c8d-x2x4q' })).toBe('audit-10-deployment-clomo-web');
    expect(t.target({ check: 4, namespace: 'clomo', pod: 'db-0' })).toBe('audit-4-statefulset-clomo-db');
    // Another namespace's pod of the same name is not this workload's.
    expect(t.target({ check: 10, namespace: 'other', pod: 'web-7f9c8d-x2x4q' })).toBe('audit');
  });

  it("falls back to the workload's card when the check has no finding for it, else to the section", () => {
    const t = linkTargets({ findings: [finding({ check: 11, subject: { kind: 'Job', namespace: 'clomo', name: 'batch-29012345' } })] });
    expect(t.target({ check: 12, namespace: 'clomo', pod: 'batch-29012345-abcde' })).toBe(
      workloadAnchor({ kind: 'Job', namespace: 'clomo', name: 'batch-29012345' }),
    );
    expect(t.target({ check: 12, namespace: 'clomo', pod: 'unknown-1' })).toBe('audit');
    expect(linkTargets(null).target({ check: 1, namespace: 'clomo', pod: 'report' })).toBe('audit');
  });

  it('gives every finding its own anchor, numbered when a check finds a subject twice', () => {
    const twice = [finding({}), finding({}), finding({ check: 16 })];
    expect(findingAnchors(twice)).toEqual([
      'audit-10-deployment-clomo-web',
      'audit-10-deployment-clomo-web-2',
      'audit-16-deployment-clomo-web',
    ]);
    expect(new Set(findingAnchors(report.findings)).size).toBe(report.findings.length);
    for (const id of findingAnchors(report.findings)) expect(id).toMatch(/^audit-\d+-[a-z0-9-]+$/);
  });

  it('finds nothing in a reason that names no audit check, and every mention in one that names two', () => {
    expect(auditMentions('1 → 10: desired 10 workers')).toEqual([]);
    const two = 'pod a/x-1 is bare (audit check 1); pod b/y-2 opts out (audit check 4)';
    expect(auditMentions(two).map((m) => [m.check, m.namespace, m.pod])).toEqual([
      [1, 'a', 'x-1'],
      [4, 'b', 'y-2'],
    ]);
  });
});
