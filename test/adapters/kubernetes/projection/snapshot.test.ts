import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectNode } from '../../../../adapters/kubernetes/projection/node';
import { projectPod } from '../../../../adapters/kubernetes/projection/pod';
import { snapshotFromLists, type ClusterSnapshot } from '../../../../adapters/kubernetes/projection/snapshot';
import { projectDeployment, projectPdb } from '../../../../adapters/kubernetes/projection/workload';
import { InputError } from '../../../../core/errors';
import { formatSelector, matchesSelector } from '../../../../core/selector';
import type { NodeView, PodView } from '../../../../core/views';
import {
  AKS_DAEMONSETS,
  aksDeployment,
  aksNode,
  aksNodeName,
  aksPdb,
  aksPod,
  apiList,
  asClientNodeObject,
  busy,
  created,
  daemonPod,
  daemonPods,
  deallocated,
  grace,
  initContainer,
  jobPod,
  kubectlList,
  labelled,
  onNode,
  ownedBy,
  projectList,
  protectedBatch,
  requests,
  started,
  tolerating,
  unschedulable,
  workloadPod,
} from '../../../builders/aks';
import { problemsOf } from './problems-of';

const fixture: unknown = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/aks-object-shapes.json'), 'utf8'));
const fixtureItems = (fixture as { items: { kind: string; metadata: { name: string } }[] }).items;

const USER_0 = 'aks-user-27531488-vmss000000';
const USER_3 = 'aks-user-27531488-vmss000003';
const USER_7 = 'aks-user-27531488-vmss000007';
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function node(snapshot: ClusterSnapshot, name: string): NodeView {
  const found = snapshot.nodes.find((n) => n.name === name);
  if (found === undefined) throw new Error(`no node ${name}`);
  return found;
}

function pod(snapshot: ClusterSnapshot, name: string): PodView {
  const found = snapshot.pods.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no pod ${name}`);
  return found;
}

describe('projecting the AKS fixture (kubectl JSON)', () => {
  const snapshot = snapshotFromLists([{ source: 'aks-object-shapes.json', json: fixture }]);

  it('reads every object of the four kinds', () => {
    expect(snapshot.nodes.map((n) => n.name)).toEqual([USER_0, USER_3, USER_7]);
    expect(snapshot.pods).toHaveLength(6);
    expect(snapshot.pdbs).toHaveLength(1);
    expect(snapshot.workloads).toHaveLength(1);
  });

  it('reads a Ready user-pool node with its scale-set instance', () => {
    expect(node(snapshot, USER_0)).toEqual({
      name: USER_0,
      pool: 'user',
      labels: expect.objectContaining({ 'kubernetes.azure.com/agentpool': 'user', 'topology.kubernetes.io/zone': 'japaneast-1' }),
      annotations: {},
      taints: [],
      cordoned: false,
      ready: true,
      allocatable: { pods: 30, cpuMilli: 3860, memoryBytes: 12880000 * 1024 },
      createdAt: Date.parse('2026-11-01T00:00:00Z'),
      vm: {
        subscription: '3f2a1c9e-8b7d-4e21-9c55-0d6b1a2e4f70',
        resourceGroup: 'mc_clomo-rg_clomo-prod_japaneast',
        scaleSet: 'aks-user-27531488-vmss',
        instanceId: '0',
      },
      power: 'running',
    });
  });

  it('reads the deallocated node: not ready, cordoned, tainted shut down', () => {
    const stopped = node(snapshot, USER_3);
    expect(stopped).toMatchObject({ ready: false, cordoned: true, power: 'deallocated', vm: { instanceId: '3' } });
    expect(stopped.taints).toEqual([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' },
    ]);
  });

  it('reads the protected node with its label', () => {
    expect(node(snapshot, USER_7)).toMatchObject({
      power: 'running',
      labels: expect.objectContaining({ 'clomo/BatchDeployable': 'true' }),
    });
  });

  it('reads DaemonSet pods, including the one still bound to the deallocated node', () => {
    expect(pod(snapshot, 'kube-proxy-00000')).toMatchObject({
      namespace: 'kube-system',
      node: USER_0,
      daemonSet: true,
      mirror: false,
      controller: { kind: 'DaemonSet', name: 'kube-proxy' },
      priority: 2000001000,
      requests: { cpuMilli: 10, memoryBytes: 20 * MiB },
      tolerations: [{ operator: 'Exists' }],
      startedAt: Date.parse('2026-11-01T00:01:05Z'),
    });
    expect(pod(snapshot, 'azure-cns-00003')).toMatchObject({ node: USER_3, daemonSet: true, phase: 'Running' });
  });

  it("reads a workload pod's labels, owner and requests", () => {
    expect(pod(snapshot, 'mdm-7d9f8c6b5-tnkex1')).toEqual({
      namespace: 'clomo',
      name: 'mdm-7d9f8c6b5-tnkex1',
      node: USER_0,
      phase: 'Running',
      unschedulable: false,
      controller: { kind: 'ReplicaSet', name: 'mdm-7d9f8c6b5', group: 'apps' },
      labels: { app: 'mdm', 'pod-template-hash': '7d9f8c6b5', 'clomo/descheduling': 'enabled' },
      annotations: {},
      requests: { cpuMilli: 250, memoryBytes: 512 * MiB },
      priority: 0,
      graceSeconds: 30,
      terminating: false,
      localStorage: false,
      localVolumes: [],
      createdAt: Date.parse('2026-11-27T00:00:00Z'),
      startedAt: Date.parse('2026-11-27T00:00:00Z'),
      daemonSet: false,
      mirror: false,
      nodeSelector: {},
      tolerations: [],
    });
  });

  it('reads the busy BG worker with its 20-hour grace period', () => {
    expect(pod(snapshot, 'bg-7d9f8c6b5-d3ze22')).toMatchObject({
      graceSeconds: 72000,
      annotations: { 'graceful-scaler.io/busy': 'true' },
      requests: { cpuMilli: 250, memoryBytes: 2 * GiB },
    });
  });

  it('reads the pending pod the scheduler could not place', () => {
    expect(pod(snapshot, 'mdm-7d9f8c6b5-03sm23')).toMatchObject({
      node: undefined,
      phase: 'Pending',
      unschedulable: true,
      startedAt: undefined,
    });
  });

  it("reads the Job's pod on the protected node", () => {
    expect(pod(snapshot, 'clomo-daily-batch-29012345-876aj4')).toMatchObject({
      node: USER_7,
      controller: { kind: 'Job', name: 'clomo-daily-batch-29012345' },
      requests: { cpuMilli: 2000, memoryBytes: 6 * GiB },
    });
  });

  it('reads the PodDisruptionBudget', () => {
    const [pdb] = snapshot.pdbs;
    expect(pdb).toMatchObject({ namespace: 'clomo', name: 'mdm', disruptionsAllowed: 2 });
    expect(formatSelector(pdb!.selector!)).toBe('app=mdm');
    expect(matchesSelector(pdb!.selector!, pod(snapshot, 'mdm-7d9f8c6b5-tnkex1').labels)).toBe(true);
  });

  it('reads the Deployment', () => {
    const [bg] = snapshot.workloads;
    expect(bg).toMatchObject({ namespace: 'clomo', name: 'bg', kind: 'Deployment', replicas: 4, readyReplicas: 4 });
    expect(formatSelector(bg!.selector)).toBe('app=bg');
  });
});

describe('the same objects in other shapes', () => {
  const fromKubectl = snapshotFromLists([{ source: 'dump', json: fixture }]);

  it('client-node objects (timestamps as Date) project the same', () => {
    const clientNode = asClientNodeObject(fixture);
    const creation = (clientNode as { items: { metadata: { creationTimestamp?: unknown } }[] }).items[0]!.metadata.creationTimestamp;
    expect(creation).toBeInstanceOf(Date);
    expect(snapshotFromLists([{ source: 'api', json: clientNode }])).toEqual(fromKubectl);
  });

  it('typed lists whose items carry no kind project the same', () => {
    const ofKind = (kind: string): object[] => fixtureItems.filter((item) => item.kind === kind);
    const lists = [
      apiList('NodeList', ...ofKind('Node')),
      apiList('PodList', ...ofKind('Pod')),
      apiList('PodDisruptionBudgetList', ...ofKind('PodDisruptionBudget')),
      apiList('DeploymentList', ...ofKind('Deployment')),
    ];
    expect(lists[1]!.items[0]).not.toHaveProperty('kind');
    expect(snapshotFromLists(lists.map((json) => ({ source: 'api', json: asClientNodeObject(json) })))).toEqual(fromKubectl);
  });
});

describe('the AKS builders follow the fixture', () => {
  const fixtureNode = (name: string): unknown => fixtureItems.find((i) => i.kind === 'Node' && i.metadata.name === name);
  const fixturePod = (name: string): unknown => fixtureItems.find((i) => i.kind === 'Pod' && i.metadata.name === name);

  it.each([
    ['a Ready node', USER_0, aksNode(USER_0)],
    ['the deallocated node', USER_3, aksNode(USER_3, { pool: 'user', instance: 3 }, deallocated('2026-11-27T12:00:00Z'))],
    ['the protected node', USER_7, aksNode(USER_7, protectedBatch())],
  ])('%s projects as the fixture does', (_case, name, built) => {
    expect(projectNode(built)).toEqual(projectNode(fixtureNode(name)));
  });

  it('names nodes as AKS does, instance ids in base 36', () => {
    expect(aksNodeName('user', 3)).toBe(USER_3);
    expect(aksNodeName('user', 10)).toBe('aks-user-27531488-vmss00000a');
    expect(projectNode(aksNode(aksNodeName('batch', 37))).vm).toMatchObject({ scaleSet: 'aks-batch-27531488-vmss', instanceId: '37' });
    expect(projectNode(aksNode(aksNodeName('batch', 37))).pool).toBe('batch');
  });

  it('a BG worker projects as the fixture one does (plus the default tolerations the API server adds)', () => {
    const built = aksPod(
      'bg-7d9f8c6b5-d3ze22',
      { namespace: 'clomo' },
      ownedBy('ReplicaSet', 'bg-7d9f8c6b5'),
      labelled({ app: 'bg', 'pod-template-hash': '7d9f8c6b5' }),
      onNode(USER_0),
      requests('250m', '2Gi'),
      grace(72000),
      busy(),
      created('2026-11-27T00:00:00Z'),
      started('2026-11-27T00:00:00Z'),
    );
    const view = projectPod(built);
    expect({ ...view, tolerations: [] }).toEqual(projectPod(fixturePod('bg-7d9f8c6b5-d3ze22')));
    expect(view.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    ]);
  });

  it('the unschedulable pod projects as the fixture one does', () => {
    const built = aksPod(
      'mdm-7d9f8c6b5-03sm23',
      { namespace: 'clomo', createdAt: '2026-11-27T00:00:00Z' },
      ownedBy('ReplicaSet', 'mdm-7d9f8c6b5'),
      labelled({ app: 'mdm', 'pod-template-hash': '7d9f8c6b5', 'clomo/descheduling': 'enabled' }),
      requests('250m', '512Mi'),
      unschedulable(),
      (p) => delete p.spec.tolerations,
    );
    expect(projectPod(built)).toEqual(projectPod(fixturePod('mdm-7d9f8c6b5-03sm23')));
  });

  it('daemonPods gives each AKS DaemonSet a pod on the node', () => {
    const views = daemonPods(USER_0).map(projectPod);
    expect(views.map((v) => v.controller?.name)).toEqual(AKS_DAEMONSETS.map((d) => d.name));
    for (const view of views) {
      expect(view).toMatchObject({ namespace: 'kube-system', node: USER_0, daemonSet: true, priority: 2000001000, phase: 'Running' });
    }
    expect(new Set(views.map((v) => v.name)).size).toBe(views.length);
  });

  it('builds the same objects every time', () => {
    const build = (): unknown =>
      kubectlList(
        aksNode(USER_0),
        ...daemonPods(USER_0),
        workloadPod('mdm', 1),
        jobPod('batch-29012345'),
        aksPdb('mdm'),
        aksDeployment('bg'),
      );
    expect(build()).toEqual(build());
    expect(workloadPod('mdm', 1).metadata.uid).not.toBe(workloadPod('mdm', 2).metadata.uid);
  });

  it('gives distinct names to pods by the ten thousand (random 5-letter suffixes would collide ~30 times)', () => {
    const workers = new Set(Array.from({ length: 30_000 }, (_, i) => workloadPod('mdm', i).metadata.name));
    expect(workers.size).toBe(30_000);
    const proxies = new Set(
      Array.from({ length: 10_000 }, (_, i) => daemonPod('kube-proxy', aksNodeName(i % 2 === 0 ? 'user' : 'batch', i)).metadata.name),
    );
    expect(proxies.size).toBe(10_000);
  });

  it('projectList goes through the real projection', () => {
    const snapshot = projectList(
      kubectlList(aksNode(USER_0), workloadPod('bg', 0, onNode(USER_0)), aksDeployment('bg', { replicas: 3, readyReplicas: 2 })),
    );
    expect(snapshot.workloads[0]).toMatchObject({ name: 'bg', replicas: 3, readyReplicas: 2 });
    expect(matchesSelector(snapshot.workloads[0]!.selector, snapshot.pods[0]!.labels)).toBe(true);
  });
});

describe('snapshotFromLists', () => {
  it('merges documents and keeps an object seen twice once, the later winning', () => {
    const snapshot = snapshotFromLists([
      { source: 'a.json', json: kubectlList(aksNode(USER_0), workloadPod('bg', 0, grace(30))) },
      { source: 'b.json', json: kubectlList(aksNode(USER_3), workloadPod('bg', 0, grace(600))) },
    ]);
    expect(snapshot.nodes.map((n) => n.name)).toEqual([USER_0, USER_3]);
    expect(snapshot.pods).toHaveLength(1);
    expect(snapshot.pods[0]!.graceSeconds).toBe(600);
  });

  it('tells apart pods of the same name in different namespaces', () => {
    const snapshot = projectList(kubectlList(aksPod('x', { namespace: 'a' }), aksPod('x', { namespace: 'b' })));
    expect(snapshot.pods.map((p) => p.namespace)).toEqual(['a', 'b']);
  });

  it('ignores kinds the core does not read', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' } };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-1', namespace: 'default' } };
    expect(projectList(kubectlList(service, configMap, aksNode(USER_0))).nodes).toHaveLength(1);
  });

  it('reads the names of the controllers that recreate pods, and which kinds were listed', () => {
    const replicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'clomo' },
      spec: { replicas: 3 },
    };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly', namespace: 'clomo' } };
    const { controllers } = projectList(kubectlList(replicaSet, job, aksNode(USER_0)));
    expect(controllers).toEqual({ kinds: new Set(['ReplicaSet', 'Job']), names: new Set(['ReplicaSet/clomo/web-1', 'Job/clomo/nightly']) });
  });

  it('counts an empty typed list of controllers as read: none exist', () => {
    const snapshot = snapshotFromLists([{ source: 'sts.json', json: { apiVersion: 'v1', kind: 'StatefulSetList', items: [] } }]);
    expect(snapshot.controllers).toEqual({ kinds: new Set(['StatefulSet']), names: new Set() });
  });

  it('carries no controllers when the dump lists none (the rule is then not applied)', () => {
    expect(projectList(kubectlList(aksNode(USER_0))).controllers).toBeUndefined();
  });

  it('reads an empty list', () => {
    expect(projectList(kubectlList())).toEqual({ nodes: [], pods: [], pdbs: [], workloads: [] });
  });

  const LIST = 'expected a Kubernetes List (kubectl get … -o json)';
  it.each<[string, unknown, string[]]>([
    ['a document that is an array', [], [`dump.json: ${LIST}, got an array`]],
    ['a document that is a string', 'nodes', [`dump.json: ${LIST}, got "nodes"`]],
    ['a single object instead of a List', aksPod('x'), [`dump.json: ${LIST}, got kind "Pod"`]],
    ['a document without kind', { items: [] }, [`dump.json: ${LIST}, got no kind`]],
    ['a List without items', { apiVersion: 'v1', kind: 'List' }, ['dump.json: items: expected an array, got nothing']],
    ['items that are not an array', { apiVersion: 'v1', kind: 'List', items: {} }, ['dump.json: items: expected an array, got an object']],
    ['an item that is not an object', kubectlList([42 as unknown as object]), ['dump.json: items[0]: expected an object, got 42']],
    ['an item without kind in a plain List', kubectlList({ metadata: { name: 'x' } }), ['dump.json: items[0]: kind: expected a string']],
    ['an item with a numeric kind', kubectlList({ kind: 7 }), ['dump.json: items[0]: kind: expected a string, got 7']],
    [
      'a pod without a name',
      kubectlList(aksPod('x', { namespace: 'clomo' }, (p) => delete (p.metadata as { name?: string }).name)),
      ['dump.json: items[0] (Pod): metadata.name: expected a string'],
    ],
    [
      'a pod without a namespace',
      kubectlList(aksPod('bg-1', (p) => delete (p.metadata as { namespace?: string }).namespace)),
      ['dump.json: items[0] (Pod bg-1): metadata.namespace: expected a string'],
    ],
    [
      'a pod with an empty namespace',
      kubectlList(aksPod('bg-1', { namespace: '' })),
      ['dump.json: items[0] (Pod bg-1): metadata.namespace: expected a non-empty string, got ""'],
    ],
    [
      'a pod whose name is not a string',
      kubectlList(aksPod('x', (p) => ((p.metadata as { name: unknown }).name = 12))),
      ['dump.json: items[0] (Pod): metadata.name: expected a string, got 12'],
    ],
    [
      'a bad CPU request',
      kubectlList(aksNode(USER_0), aksPod('bg-1', { namespace: 'clomo' }, requests('lots', '1Gi'))),
      [
        'dump.json: items[1] (Pod clomo/bg-1): spec.containers[0].resources.requests.cpu: expected a quantity such as "250m", "512Mi" or "2", got "lots"',
      ],
    ],
    [
      'a bad init container memory request',
      kubectlList(aksPod('bg-1', initContainer('init', '1', '1 GB'))),
      [
        'dump.json: items[0] (Pod default/bg-1): spec.initContainers[0].resources.requests.memory: expected a quantity such as "250m", "512Mi" or "2", got "1 GB"',
      ],
    ],
    [
      'a container that is not an object',
      kubectlList(aksPod('bg-1', (p) => (p.spec.containers as unknown[]).push('sidecar'))),
      ['dump.json: items[0] (Pod default/bg-1): spec.containers[1]: expected an object, got "sidecar"'],
    ],
    [
      'a timestamp that is not RFC 3339',
      kubectlList(aksPod('bg-1', created('Nov 1, 2026'))),
      ['dump.json: items[0] (Pod default/bg-1): metadata.creationTimestamp: expected an RFC 3339 timestamp, got "Nov 1, 2026"'],
    ],
    [
      'a missing creation time',
      kubectlList(aksNode(USER_0, (n) => delete (n.metadata as { creationTimestamp?: string }).creationTimestamp)),
      [`dump.json: items[0] (Node ${USER_0}): metadata.creationTimestamp: expected an RFC 3339 timestamp`],
    ],
    [
      'a bad start time',
      kubectlList(aksPod('bg-1', started('yesterday'))),
      ['dump.json: items[0] (Pod default/bg-1): status.startTime: expected an RFC 3339 timestamp, got "yesterday"'],
    ],
    [
      'a bad phase',
      kubectlList(aksPod('bg-1', (p) => ((p.status as { phase: string }).phase = 'Sleeping'))),
      ['dump.json: items[0] (Pod default/bg-1): status.phase: expected Pending, Running, Succeeded, Failed or Unknown, got "Sleeping"'],
    ],
    [
      'a label value that is not a string',
      kubectlList(aksPod('bg-1', (p) => ((p.metadata.labels as Record<string, unknown>).replicas = 3))),
      ['dump.json: items[0] (Pod default/bg-1): metadata.labels["replicas"]: expected a string, got 3'],
    ],
    [
      'a grace period that is not a whole number',
      kubectlList(aksPod('bg-1', grace(1.5))),
      ['dump.json: items[0] (Pod default/bg-1): spec.terminationGracePeriodSeconds: expected a whole number ≥ 0, got 1.5'],
    ],
    [
      'a controller reference without kind',
      kubectlList(aksPod('bg-1', ownedBy('ReplicaSet', 'rs'), (p) => delete (p.metadata.ownerReferences![0] as { kind?: string }).kind)),
      ['dump.json: items[0] (Pod default/bg-1): metadata.ownerReferences[0].kind: expected a string'],
    ],
    [
      'a toleration with an unknown operator',
      kubectlList(aksPod('bg-1', tolerating({ key: 'k', operator: 'Matches' as 'Equal' }))),
      ['dump.json: items[0] (Pod default/bg-1): spec.tolerations[2].operator: expected Exists or Equal, got "Matches"'],
    ],
    [
      'a taint with an unknown effect',
      kubectlList(aksNode(USER_0, (n) => (n.spec.taints = [{ key: 'k', effect: 'NoWay' as 'NoSchedule' }]))),
      [`dump.json: items[0] (Node ${USER_0}): spec.taints[0].effect: expected NoSchedule, PreferNoSchedule or NoExecute, got "NoWay"`],
    ],
    [
      'an allocatable that is not a quantity',
      kubectlList(aksNode(USER_0, (n) => (n.status.allocatable.pods = 'thirty'))),
      [`dump.json: items[0] (Node ${USER_0}): status.allocatable.pods: expected a quantity such as "250m", "512Mi" or "2", got "thirty"`],
    ],
    [
      'a Ready condition without status',
      kubectlList(aksNode(USER_0, (n) => delete (n.status.conditions[3] as { status?: string }).status)),
      [`dump.json: items[0] (Node ${USER_0}): status.conditions[3].status: expected a string`],
    ],
    [
      'a PDB selector with an unknown operator',
      kubectlList(aksPdb('mdm', { namespace: 'clomo', matchExpressions: [{ key: 'app', operator: 'Equals', values: ['mdm'] }] })),
      [
        'dump.json: items[0] (PodDisruptionBudget clomo/mdm): spec.selector.matchExpressions[0].operator: expected In, NotIn, Exists or DoesNotExist, got "Equals"',
      ],
    ],
    [
      'a PDB selector whose values are not strings',
      kubectlList(aksPdb('mdm', { matchExpressions: [{ key: 'app', operator: 'In', values: [1 as unknown as string] }] })),
      ['dump.json: items[0] (PodDisruptionBudget default/mdm): spec.selector.matchExpressions[0].values[0]: expected a string, got 1'],
    ],
    [
      'a PDB with a negative disruptionsAllowed',
      kubectlList(aksPdb('mdm', { disruptionsAllowed: -1 })),
      ['dump.json: items[0] (PodDisruptionBudget default/mdm): status.disruptionsAllowed: expected a whole number ≥ 0, got -1'],
    ],
    [
      'a Deployment without a selector',
      kubectlList(aksDeployment('bg', {}, (d) => delete (d.spec as { selector?: unknown }).selector)),
      ['dump.json: items[0] (Deployment default/bg): spec.selector: expected a label selector (matchLabels / matchExpressions)'],
    ],
    [
      'a Deployment with text replicas',
      kubectlList(aksDeployment('bg', {}, (d) => ((d.spec as { replicas: unknown }).replicas = '3'))),
      ['dump.json: items[0] (Deployment default/bg): spec.replicas: expected a whole number ≥ 0, got "3"'],
    ],
  ])('refuses %s', (_case, json, problems) => {
    expect(problemsOf(() => snapshotFromLists([{ source: 'dump.json', json }]))).toEqual(problems);
  });

  it('lists every problem of every item and document in one error, in document order', () => {
    const error = (() => {
      try {
        snapshotFromLists([
          {
            source: 'nodes.json',
            json: kubectlList(
              aksNode(USER_0, (n) => (n.status.allocatable.cpu = 'x')),
              aksNode(USER_3),
            ),
          },
          { source: 'pods.json', json: kubectlList(aksPod('a', requests('x', 'y'), started('then'))) },
          { source: 'pdbs.json', json: aksPdb('mdm') },
        ]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    const { problems, message } = error as InputError;
    expect(problems).toEqual([
      `nodes.json: items[0] (Node ${USER_0}): status.allocatable.cpu: expected a quantity such as "250m", "512Mi" or "2", got "x"`,
      'pods.json: items[0] (Pod default/a): spec.containers[0].resources.requests.cpu: expected a quantity such as "250m", "512Mi" or "2", got "x"',
      'pods.json: items[0] (Pod default/a): spec.containers[0].resources.requests.memory: expected a quantity such as "250m", "512Mi" or "2", got "y"',
      'pods.json: items[0] (Pod default/a): status.startTime: expected an RFC 3339 timestamp, got "then"',
      'pdbs.json: expected a Kubernetes List (kubectl get … -o json), got kind "PodDisruptionBudget"',
    ]);
    expect(message).toBe(problems.join('\n'));
  });

  it('caps the list of a dump that is wrong everywhere, counting the rest', () => {
    const broken = Array.from({ length: 130 }, (_, i) => aksPod(`p-${i}`, started('never')));
    const problems = problemsOf(() => projectList(kubectlList(...broken)));
    expect(problems).toHaveLength(101);
    expect(problems[0]).toBe('test: items[0] (Pod default/p-0): status.startTime: expected an RFC 3339 timestamp, got "never"');
    expect(problems[100]).toBe('… and 30 more problems');
  });

  it.each([
    ['projectNode', (): unknown => projectNode(null), 'expected a Node object, got null'],
    ['projectPod', (): unknown => projectPod('pod'), 'expected a Pod object, got "pod"'],
    ['projectPdb', (): unknown => projectPdb([]), 'expected a PodDisruptionBudget object, got an array'],
    ['projectDeployment', (): unknown => projectDeployment(3), 'expected a Deployment object, got 3'],
  ])('%s refuses what is not an object', (_case, run, problem) => {
    expect(problemsOf(run)).toEqual([problem]);
  });
});
