// Grouping pods into the workloads people write, and the sources of a workload's length of work.

import { describe, expect, it } from 'vitest';
import { AUDIT_CHECK_OF_RULE, auditCheckSuffix, EVICTION_RULES_COVERED } from './scaler-reasons-fixture';
import { container, deployment, goodPdb, job, NS, pdb, pod, runAudit, type Manifest } from '../../builders/audit-manifests';

const owned = (kind: string, name: string) => ({
  ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: `${name}-uid`, controller: true }],
});

describe('workloads', () => {
  it('names the Deployment once for all its pods, through the ReplicaSet or its pod-template-hash', () => {
    const rs: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d4f', namespace: NS, ...owned('Deployment', 'web') },
      spec: { replicas: 2 },
    };
    const pods = ['a', 'b'].map((s) =>
      pod(`web-5d4f-${s}`, {}, { labels: { app: 'web', 'pod-template-hash': '5d4f' }, ...owned('ReplicaSet', 'web-5d4f') }),
    );
    const withRs = runAudit([deployment('web', {}, { replicas: 2 }), rs, ...pods]);
    const withoutRs = runAudit(pods);
    for (const report of [withRs, withoutRs]) {
      expect(report.workloads).toBe(1);
      expect(report.findings.map((f) => `${f.check} ${f.subject.kind}/${f.subject.name}`)).toEqual(['10 Deployment/web']);
      expect(report.findings[0]!.pods).toEqual(['web-5d4f-a', 'web-5d4f-b']);
    }
  });

  it("names the CronJob for its Jobs' pods, and takes its longest finished run as the length of its work", () => {
    const cron: Manifest = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: NS },
      spec: {
        schedule: '0 1 * * *',
        jobTemplate: {
          spec: {
            podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
            template: { spec: { containers: [container('nightly')], restartPolicy: 'Never' } },
          },
        },
      },
    };
    const run = (name: string, start: string, end: string): Manifest => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: NS,
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'c', controller: true }],
      },
      spec: {},
      status: { startTime: start, completionTime: end, conditions: [{ type: 'Complete', status: 'True' }] },
    });
    const report = runAudit([
      cron,
      run('nightly-1', '2026-11-01T01:00:00Z', '2026-11-01T21:00:00Z'),
      run('nightly-2', '2026-11-02T01:00:00Z', '2026-11-02T01:05:00Z'),
    ]);
    expect(report.workloads).toBe(1);
    const f = report.findings.find((x) => x.check === 12)!;
    expect(f.subject).toMatchObject({ kind: 'CronJob', name: 'nightly' });
    expect(f.message).toContain('runs 20h (longest finished run)');
    expect(f.evidence[0]).toMatchObject({ object: `Job ${NS}/nightly-1`, value: '2026-11-01T01:00:00.000Z..2026-11-01T21:00:00.000Z' });
    expect(f.fix).toMatchObject({
      type: 'strategic',
      target: { kind: 'CronJob', name: 'nightly' },
      patch: {
        spec: {
          jobTemplate: {
            spec: { template: { metadata: { annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'on-completion' } } } },
          },
        },
      },
    });
  });

  it("a running Job's pod age counts only with --now, and below longWorkSec is not long", () => {
    const running = (started: string) => [
      job('batch', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
      { ...pod('batch-x', { restartPolicy: 'Never' }, owned('Job', 'batch')), status: { phase: 'Running', startTime: started } },
    ];
    const now = Date.parse('2026-11-01T02:00:00Z');
    expect(runAudit(running('2026-11-01T00:00:00Z')).findings).toEqual([]);
    expect(runAudit(running('2026-11-01T00:00:00Z'), { now }).findings.map((f) => f.check)).toEqual([12]);
    expect(runAudit(running('2026-11-01T01:55:00Z'), { now }).findings).toEqual([]);
  });

  it('ignores mirror pods and finished bare pods', () => {
    const mirror = pod('etcd-n1', {}, { namespace: 'kube-system', annotations: { 'kubernetes.io/config.mirror': 'x' } });
    const done = { ...pod('once'), status: { phase: 'Succeeded' } };
    expect(runAudit([mirror, done]).findings).toEqual([]);
  });
});

describe('findings that need a closer look', () => {
  it('reports a PDB that allows nothing at the time of the dump, without a patch', () => {
    const budget = {
      ...pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
      status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 },
    };
    const f = runAudit([deployment('web'), budget]).findings.filter((x) => x.check === 7);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('when the dump was taken (2 healthy of 2 desired)');
    expect(f[0]!.fix).toBeUndefined();
  });

  it("marks the shell check as a heuristic, and leaves a single command to the shell's own exec", () => {
    const shell = (script: string) =>
      runAudit([deployment('api', { containers: [container('api', { command: ['sh', '-c', script] })] }), goodPdb('api')]).findings.filter(
        (f) => f.check === 17,
      );
    expect(shell('./server --port 8080')).toEqual([]);
    expect(shell('trap "kill 0" TERM; ./a & ./b')).toEqual([]);
    expect(shell('sleep 90 && exit 0')).toEqual([]);
    const [f] = shell('cd /app; ./server');
    expect(f!.heuristic).toBe(true);
    expect(f!.message).toContain('(heuristic)');
    expect(f!.fix).toMatchObject({
      patch: { spec: { template: { spec: { containers: [{ name: 'api', command: ['sh', '-c', 'cd /app; exec ./server'] }] } } } },
    });
  });

  it("weighs a grace period against a Karpenter NodePool's terminationGracePeriod when the dump has one", () => {
    const pool: Manifest = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: { template: { spec: { terminationGracePeriod: '5m' } } },
    };
    const [f] = runAudit([deployment('slow', { terminationGracePeriodSeconds: 400 }), goodPdb('slow'), pool], {
      caMaxGracefulTerminationSec: 600,
    }).findings;
    expect(f).toMatchObject({ check: 14 });
    expect(f!.verdicts.karpenter.effect).toBe('disrupts');
    expect(f!.verdicts['cluster-autoscaler'].effect).toBe('ok');
  });

  it('says what each disrupter does with local storage, by the policy', () => {
    const manifests = [deployment('web', { volumes: [{ name: 'scratch', emptyDir: {} }] }), goodPdb('web')];
    expect(runAudit(manifests).findings[0]!.verdicts['graceful-scaler'].effect).toBe('disrupts');
    expect(runAudit(manifests, { protectLocalStorage: true }).findings[0]!.verdicts['graceful-scaler'].effect).toBe('refuses');
  });
});

describe("the scaler's refusals name the audit check", () => {
  it('maps every eviction rule that blocks to a check', () => {
    for (const rule of EVICTION_RULES_COVERED) expect(AUDIT_CHECK_OF_RULE[rule]).toBeGreaterThan(0);
    expect(auditCheckSuffix('no-controller')).toBe(' (audit check 1)');
    expect(auditCheckSuffix('unknown-rule')).toBe('');
  });
});
