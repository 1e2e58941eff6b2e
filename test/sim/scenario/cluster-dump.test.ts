// A person's cluster read from `kubectl get nodes,pods,deployments,pdb,jobs -A -o json`: pools with
// their VM sizes, max pods, labels and taints, how many nodes run; Deployments (rebuilt from their
// pods when the dump lacks them), PDBs and Job pods; every assumption said. Then a day simulated on it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readClusterDump, DumpError } from '../../../sim/scenario/cluster-dump';
import { checkDump } from '../../../sim/scenario/dump-world';
import { runSimulation, simPolicy } from '../../../sim/scenario/simulation';
import { gracefulScaler } from '../../../sim/scenario/strategies';
import { referenceTraffic } from '../../../sim/scenario/traffic';

const FIXTURE = JSON.parse(readFileSync('test/fixtures/aks-object-shapes.json', 'utf8')) as { items: Record<string, any>[] };

function node(name: string, pool: string | undefined, o: { labels?: Record<string, string>; pods?: string; ready?: boolean } = {}) {
  return {
    kind: 'Node',
    metadata: { name, labels: { ...(pool ? { 'kubernetes.azure.com/agentpool': pool } : {}), ...o.labels } },
    spec: {},
    status: { allocatable: o.pods ? { pods: o.pods } : {}, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('readClusterDump', () => {
  it("reads the fixture's pools, workloads, PDB and Job pod, saying what it assumed", () => {
    const dump = readClusterDump(FIXTURE, 'fixture');
    expect(dump.pools.map((p) => [p.name, p.mode, p.count, p.running, p.vmSize, p.maxPods ?? 30, p.labels])).toEqual([
      ['system', 'System', 1, 1, undefined, 30, undefined],
      ['user', 'User', 2, 1, 'Standard_D4s_v5', 30, {}],
      ['user2', 'User', 1, 1, 'Standard_D4s_v5', 30, { 'clomo/BatchDeployable': 'true' }],
    ]);
    expect(dump.workloads.map((w) => `${w.namespace}/${w.name} ×${w.replicas} ${w.cpu} ${w.memory} grace ${w.grace}`)).toEqual([
      'clomo/bg ×4 250m 2048Mi grace 72000',
      'clomo/mdm ×2 250m 512Mi grace 30',
    ]);
    expect(dump.pdbs).toEqual([{ name: 'mdm', namespace: 'clomo', matchLabels: { app: 'mdm' }, minAvailable: '80%' }]);
    expect(dump.jobPods).toEqual([{ namespace: 'clomo', job: 'clomo-daily-batch-29012345', cpu: '2000m', memory: '6144Mi' }]);
    const notes = dump.notes.join('\n');
    expect(notes).toContain('no System-mode pool in the dump');
    expect(notes).toContain(
      'aks-user-27531488-vmss000007 of pool user differ from its other nodes (clomo/BatchDeployable=true): simulated as a separate pool user2',
    );
    expect(notes).toContain('Deployment clomo/mdm is not in the dump: rebuilt from its 2 pod(s)');
    expect(notes).toContain('Deployment clomo/bg: no requests in its template; taken from its pod (250m CPU, 2048Mi)');
    expect(notes).toContain('assumed to run 1 hour more');
  });

  it('says what a node lacks, and leaves out what it cannot simulate', () => {
    const dump = readClusterDump(
      {
        kind: 'List',
        items: [
          node('a', 'sys', { labels: { 'kubernetes.azure.com/mode': 'system' }, pods: '110' }),
          node('b', 'big', { labels: { 'node.kubernetes.io/instance-type': 'Standard_M416ms_v2' } }),
          node('c', undefined),
          {
            kind: 'PodDisruptionBudget',
            metadata: { name: 'x', namespace: 'n' },
            spec: { selector: { matchExpressions: [] }, minAvailable: 1 },
          },
          { kind: 'Service', metadata: { name: 's' } },
        ],
      },
      'dump.json',
    );
    expect(dump.pools.map((p) => `${p.name} ${p.mode} ${p.vmSize} ${p.maxPods}`)).toEqual([
      'big User Standard_D4s_v5 30',
      'sys System Standard_D4s_v5 110',
    ]);
    expect(dump.pdbs).toEqual([]);
    expect(dump.notes).toEqual(
      expect.arrayContaining([
        'node c has no agentpool label (kubernetes.azure.com/agentpool): not simulated',
        'pool big: no kubernetes.azure.com/mode label; taken as a User pool',
        expect.stringMatching(/^pool big: VM size Standard_M416ms_v2 is not one the simulator models .*; simulated as Standard_D4s_v5$/),
        "pool big: no status.allocatable.pods; max pods taken as 30 (Azure CNI's default)",
        'pool sys: no node.kubernetes.io/instance-type label; simulated as Standard_D4s_v5',
        'PodDisruptionBudget n/x: matchExpressions are not simulated; the budget is left out',
        'Service objects in the dump are not simulated',
      ]),
    );
  });

  it("keeps a Deployment's preferred node affinity, so the BG workers' preference for the stays label is simulated", () => {
    const preferred = [
      { weight: 100, preference: { matchExpressions: [{ key: 'graceful-scaler.io/stays', operator: 'In', values: ['true'] }] } },
    ];
    const dump = readClusterDump(
      {
        kind: 'List',
        items: [
          node('a', 'user'),
          {
            kind: 'Deployment',
            metadata: { name: 'bg', namespace: 'clomo' },
            spec: {
              replicas: 2,
              template: {
                metadata: { labels: { app: 'bg' } },
                spec: {
                  affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } },
                  containers: [{ name: 'bg', resources: { requests: { cpu: '200m', memory: '512Mi' } } }],
                },
              },
            },
          },
        ],
      },
      'dump.json',
    );
    expect(dump.workloads.map((w) => [w.name, w.preferredNodeAffinity])).toEqual([['bg', preferred]]);
  });

  it("keeps a Deployment's required node affinity and required pod anti-affinity", () => {
    const required = [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['japaneast-1'] }] }];
    const dump = readClusterDump(
      {
        kind: 'List',
        items: [
          node('a', 'user'),
          {
            kind: 'Deployment',
            metadata: { name: 'panel', namespace: 'clomo' },
            spec: {
              replicas: 2,
              template: {
                metadata: { labels: { app: 'panel' } },
                spec: {
                  affinity: {
                    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: required } },
                    podAntiAffinity: {
                      requiredDuringSchedulingIgnoredDuringExecution: [
                        { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'panel' } } },
                      ],
                    },
                  },
                  containers: [{ name: 'panel', resources: { requests: { cpu: '200m', memory: '512Mi' } } }],
                },
              },
            },
          },
        ],
      },
      'dump.json',
    );
    expect(dump.workloads.map((w) => [w.name, w.requiredNodeAffinity, w.podAntiAffinity])).toEqual([
      ['panel', required, [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'panel' } } }]],
    ]);
  });

  it('refuses what is not a dump, and a dump without nodes', () => {
    expect(() => readClusterDump({ kind: 'Pod' }, 'x.json')).toThrow(DumpError);
    expect(() => readClusterDump({ kind: 'List', items: [] }, 'x.json')).toThrow(/no Node in the dump/);
  });

  it('refuses a dump the traffic cannot drive, naming what is missing', () => {
    const dump = readClusterDump(
      { kind: 'List', items: FIXTURE.items.filter((i) => !(i.kind === 'Pod' && i.metadata.name.startsWith('mdm-'))) },
      'f',
    );
    const traffic = referenceTraffic({ days: 1, seed: 1 });
    expect(() => checkDump(dump, simPolicy(), traffic)).toThrow(
      "the trace's request rate scales Deployment clomo/mdm, which the dump does not hold (Deployments: clomo/bg)",
    );
  });
});

describe('a day on the dumped cluster', () => {
  it("runs graceful-scaler on the dump's pools and workloads, the traffic scaled to it", async () => {
    const dump = readClusterDump(FIXTURE, 'fixture');
    const policy = simPolicy();
    const traffic = referenceTraffic({ days: 1, seed: 1, timezone: policy.timezone });
    expect(checkDump(dump, policy, traffic).notes.join('\n')).toMatch(
      /the trace's mean request rate \(\d+ rps\) asks for clomo\/mdm's 2 replica\(s\) in the dump/,
    );
    const r = await runSimulation({ traffic, policy, strategy: gracefulScaler(), seed: 1, dump });
    expect(Object.keys(r.poolHours).sort()).toEqual(['system', 'user', 'user2']);
    expect(r.violations).toEqual([]);
    expect(r.bgJobs).toBeGreaterThan(100);
    expect(r.peakNodes).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
