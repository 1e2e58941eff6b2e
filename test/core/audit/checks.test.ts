// Every check: a manifest that fails it, the fix the report gives (applied as kubectl would) makes it
// pass, and the fixed manifest a person would write passes too.

import { describe, expect, it } from 'vitest';
import type { AuditSettings, Severity } from '../../../core/audit';
import { CHECKS } from '../../../core/audit';
import { container, deployment, goodPdb, job, node, NS, pdb, pod, runAudit, service, type Manifest } from '../../builders/audit-manifests';
import { applyFix } from '../../support/apply-fix';

interface Case {
  name: string;
  check: number;
  failing: Manifest[];
  fixed: Manifest[];
  settings?: Partial<AuditSettings>;
  /** The check offers no patch (a change of design): only the hand-fixed manifest is tested. */
  noPatch?: boolean;
}

const threeNodes = [node('n1'), node('n2'), node('n3', { gpu: 'true' })];
const foreign = { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Foo', name: 'foo', uid: 'u1', controller: true }] };

const CASES: Case[] = [
  { name: 'bare pod', check: 1, failing: [pod('report')], fixed: [deployment('report', {}, { replicas: 1 }), goodPdb('report')] },
  { name: 'bare pod that runs once', check: 1, failing: [pod('once', { restartPolicy: 'Never' })], fixed: [job('once')] },
  {
    name: 'pod of a custom controller',
    check: 2,
    failing: [pod('foo-1', {}, foreign)],
    fixed: [pod('foo-1', {}, { ...foreign, annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } })],
  },
  {
    name: 'emptyDir and hostPath',
    check: 3,
    failing: [
      deployment('web', {
        volumes: [
          { name: 'scratch', emptyDir: {} },
          { name: 'logs', hostPath: { path: '/var/log' } },
          { name: 'cache', emptyDir: { medium: 'Memory' } },
        ],
      }),
      goodPdb('web'),
    ],
    fixed: [
      deployment(
        'web',
        {
          volumes: [
            { name: 'scratch', emptyDir: {} },
            { name: 'logs', hostPath: { path: '/var/log' } },
          ],
        },
        { annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes': 'scratch,logs' } },
      ),
      goodPdb('web'),
    ],
  },
  {
    name: 'safe-to-evict=false on a service',
    check: 4,
    failing: [deployment('web', {}, { annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' } }), goodPdb('web')],
    fixed: [deployment('web'), goodPdb('web')],
  },
  {
    name: 'do-not-disrupt=true on a service',
    check: 4,
    failing: [deployment('web', {}, { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } }), goodPdb('web')],
    fixed: [deployment('web', {}, { annotations: { 'karpenter.sh/do-not-disrupt': '2h' } }), goodPdb('web')],
  },
  {
    name: 'safe-to-evict=false on a Job',
    check: 4,
    failing: [job('batch', {}, {}, { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' })],
    fixed: [
      job('batch', {}, {}, { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'on-completion', 'karpenter.sh/do-not-disrupt': 'true' }),
    ],
  },
  {
    name: 'kube-system Deployment without a PDB',
    check: 5,
    failing: [{ ...deployment('metrics'), metadata: { name: 'metrics', namespace: 'kube-system' } }],
    fixed: [
      { ...deployment('metrics'), metadata: { name: 'metrics', namespace: 'kube-system' } },
      pdb('metrics', { maxUnavailable: 1, selector: { matchLabels: { app: 'metrics' } } }, 'kube-system'),
    ],
  },
  {
    name: 'two PDBs for one pod',
    check: 6,
    failing: [
      deployment('web', {}, { labels: { app: 'web', tier: 'front' } }),
      goodPdb('web'),
      pdb('front', { maxUnavailable: 1, selector: { matchLabels: { tier: 'front' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
    ],
    fixed: [deployment('web', {}, { labels: { app: 'web', tier: 'front' } }), goodPdb('web')],
  },
  {
    name: 'maxUnavailable 0',
    check: 7,
    failing: [
      deployment('web'),
      pdb('web', { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
    ],
    fixed: [deployment('web'), goodPdb('web')],
  },
  {
    name: 'minAvailable equal to the replicas',
    check: 7,
    failing: [deployment('web', {}, { replicas: 2 }), pdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } })],
    fixed: [deployment('web', {}, { replicas: 3 }), pdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } })],
  },
  {
    name: 'minAvailable 100%',
    check: 7,
    failing: [deployment('web'), pdb('web', { minAvailable: '100%', selector: { matchLabels: { app: 'web' } } })],
    fixed: [deployment('web'), pdb('web', { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } })],
  },
  {
    name: 'PDB selecting nothing',
    check: 8,
    failing: [deployment('web'), pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'wbe' } } })],
    fixed: [deployment('web'), goodPdb('web')],
  },
  {
    name: 'nodeSelector only one node satisfies',
    check: 9,
    failing: [...threeNodes, deployment('ml', { nodeSelector: { gpu: 'true' } }), goodPdb('ml')],
    fixed: [...threeNodes, node('n4', { gpu: 'true' }), deployment('ml', { nodeSelector: { gpu: 'true' } }), goodPdb('ml')],
  },
  {
    name: 'required anti-affinity with a replica per node',
    check: 9,
    failing: [
      ...threeNodes,
      deployment('cache', {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
      }),
      goodPdb('cache'),
    ],
    fixed: [
      ...threeNodes,
      deployment(
        'cache',
        {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        },
        { replicas: 2 },
      ),
      goodPdb('cache'),
    ],
  },
  {
    name: 'hostPort with a replica per node',
    check: 9,
    failing: [
      ...threeNodes,
      deployment('edge', { containers: [container('edge', { ports: [{ containerPort: 8080, hostPort: 80 }] })] }),
      goodPdb('edge'),
    ],
    fixed: [...threeNodes, deployment('edge', { containers: [container('edge', { ports: [{ containerPort: 8080 }] })] }), goodPdb('edge')],
  },
  { name: 'no PDB', check: 10, failing: [deployment('web')], fixed: [deployment('web'), goodPdb('web')] },
  {
    name: 'single replica',
    check: 10,
    failing: [deployment('web', {}, { replicas: 1 }), goodPdb('web')],
    fixed: [deployment('web', {}, { replicas: 2 }), goodPdb('web')],
  },
  {
    name: 'single replica without a PDB',
    check: 10,
    failing: [deployment('web', {}, { replicas: 1 })],
    fixed: [deployment('web', {}, { replicas: 2 }), goodPdb('web')],
  },
  {
    name: 'Job without a DisruptionTarget rule',
    check: 11,
    failing: [job('batch', { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } })],
    fixed: [job('batch', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } })],
  },
  {
    name: 'Job with restartPolicy OnFailure',
    check: 11,
    failing: [job('batch', {}, { restartPolicy: 'OnFailure' })],
    fixed: [job('batch', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } })],
  },
  {
    name: 'long Job without a checkpoint',
    check: 12,
    failing: [job('nightly', { activeDeadlineSeconds: 72_000 })],
    fixed: [
      job(
        'nightly',
        { activeDeadlineSeconds: 72_000 },
        { volumes: [{ name: 'state', persistentVolumeClaim: { claimName: 'nightly-state' } }] },
      ),
    ],
  },
  {
    name: 'declared work longer than the grace',
    check: 13,
    failing: [deployment('render', {}, { annotations: { 'graceful-scaler.io/expected-duration': '5m' } }), goodPdb('render')],
    fixed: [
      deployment('render', { terminationGracePeriodSeconds: 330 }, { annotations: { 'graceful-scaler.io/expected-duration': '5m' } }),
      goodPdb('render'),
    ],
  },
  {
    name: 'queue worker with the default grace',
    check: 13,
    failing: [deployment('bg'), goodPdb('bg')],
    fixed: [deployment('bg', { terminationGracePeriodSeconds: 120 }), goodPdb('bg')],
    settings: { queueWorkers: new Set([`${NS}/bg`]) },
  },
  {
    name: "grace above cluster-autoscaler's cap",
    check: 14,
    failing: [deployment('slow', { terminationGracePeriodSeconds: 3600 }), goodPdb('slow')],
    fixed: [deployment('slow', { terminationGracePeriodSeconds: 300 }), goodPdb('slow')],
  },
  {
    name: 'preStop sleep as long as the default grace',
    check: 15,
    failing: [
      deployment('web', { containers: [container('web', { lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 30'] } } } })] }),
      goodPdb('web'),
    ],
    fixed: [
      deployment('web', {
        terminationGracePeriodSeconds: 45,
        containers: [container('web', { lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 30'] } } } })],
      }),
      goodPdb('web'),
    ],
  },
  {
    name: 'preStop sleep action longer than the grace',
    check: 15,
    failing: [
      deployment('web', {
        terminationGracePeriodSeconds: 10,
        containers: [container('web', { lifecycle: { preStop: { sleep: { seconds: 20 } } } })],
      }),
      goodPdb('web'),
    ],
    fixed: [
      deployment('web', {
        terminationGracePeriodSeconds: 40,
        containers: [container('web', { lifecycle: { preStop: { sleep: { seconds: 20 } } } })],
      }),
      goodPdb('web'),
    ],
  },
  {
    name: 'Service-backed pod without preStop or readiness probe',
    check: 16,
    failing: [deployment('web'), goodPdb('web'), service('web', { app: 'web' })],
    fixed: [
      deployment('web', { containers: [container('web', { readinessProbe: { httpGet: { path: '/healthz', port: 8080 } } })] }),
      goodPdb('web'),
      service('web', { app: 'web' }),
    ],
  },
  {
    name: "shell script whose last command is not exec'd",
    check: 17,
    failing: [
      deployment('api', { containers: [container('api', { command: ['/bin/sh', '-c', './migrate && ./server --port 8080'] })] }),
      goodPdb('api'),
    ],
    fixed: [
      deployment('api', { containers: [container('api', { command: ['/bin/sh', '-c', './migrate && exec ./server --port 8080'] })] }),
      goodPdb('api'),
    ],
  },
  {
    name: 'shell script in args',
    check: 17,
    failing: [
      deployment('api', { containers: [container('api', { command: ['bash'], args: ['-c', 'echo start\n./server'] })] }),
      goodPdb('api'),
    ],
    fixed: [
      deployment('api', { containers: [container('api', { command: ['bash'], args: ['-c', 'echo start\nexec ./server'] })] }),
      goodPdb('api'),
    ],
  },
  {
    name: 'PDB without AlwaysAllow',
    check: 18,
    failing: [deployment('web'), pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } })],
    fixed: [deployment('web'), goodPdb('web')],
  },
  {
    name: 'Indexed Job replaced while terminating',
    check: 19,
    failing: [job('shards', { completionMode: 'Indexed', completions: 10, parallelism: 3 })],
    fixed: [job('shards', { completionMode: 'Indexed', completions: 10, parallelism: 3, backoffLimitPerIndex: 1 })],
  },
  {
    name: 'queue worker with hours-long messages',
    check: 20,
    failing: [deployment('bg', { terminationGracePeriodSeconds: 72_000 }), goodPdb('bg')],
    fixed: [
      job('bg-message-1842', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
    ],
    settings: { queueWorkers: new Set([`${NS}/bg`]) },
    noPatch: true,
  },
];

const ISSUE_SEVERITY: Record<number, Severity> = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [i + 1, i + 1 <= 9 ? 'blocks' : 'not-graceful']),
) as Record<number, Severity>;
// Check 8 blocks nothing by itself (a PDB selecting no pod constrains no eviction): advice.
ISSUE_SEVERITY[8] = 'advice';

function findingsOf(check: number, manifests: Manifest[], settings?: Partial<AuditSettings>) {
  return runAudit(manifests, settings).findings.filter((f) => f.check === check);
}

describe('audit checks', () => {
  it('has the twenty checks in order, with the severities of docs/audit.md', () => {
    expect(CHECKS.map((c) => c.info.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const c of CHECKS) expect([c.info.number, c.info.severity]).toEqual([c.info.number, ISSUE_SEVERITY[c.info.number]]);
    expect(new Set(CHECKS.map((c) => c.info.id)).size).toBe(20);
  });

  it('has a failing and a fixed manifest for every check', () => {
    expect(new Set(CASES.map((c) => c.check))).toEqual(new Set(CHECKS.map((c) => c.info.number)));
  });

  describe.each(CASES)('check $check: $name', (c) => {
    it('fails the failing manifest', () => {
      const findings = findingsOf(c.check, c.failing, c.settings);
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.severity).toBe(ISSUE_SEVERITY[c.check]);
        expect(f.evidence.length).toBeGreaterThan(0);
        expect(Object.keys(f.verdicts).sort()).toEqual(['cluster-autoscaler', 'descheduler', 'drain', 'graceful-scaler', 'karpenter']);
      }
    });

    it("passes once the report's fixes are applied", () => {
      if (c.noPatch) {
        expect(findingsOf(c.check, c.failing, c.settings).every((f) => f.fix === undefined)).toBe(true);
        return;
      }
      let manifests = c.failing;
      for (const f of findingsOf(c.check, c.failing, c.settings)) {
        expect(f.fix).toBeDefined();
        manifests = applyFix(manifests, f.fix!);
      }
      expect(findingsOf(c.check, manifests, c.settings)).toEqual([]);
    });

    it('passes the fixed manifest', () => {
      expect(findingsOf(c.check, c.fixed, c.settings)).toEqual([]);
    });
  });
});
