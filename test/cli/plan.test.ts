// `graceful-scaler plan` on AKS-shaped kubectl dumps, stepping through a night, a morning, a burst
// and a cancelled drain by feeding each run's memory to the next, as a person would.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { main } from '../../cli/main';
import { DRAINING_SINCE } from '../../core/annotations';
import type { Action, Decision } from '../../core/decision';
import {
  aksDeployment,
  aksNode,
  aksNodeName,
  aksPdb,
  annotated,
  busy,
  cordoned,
  daemonPods,
  deallocated,
  grace,
  jobPod,
  kubectlList,
  onNode,
  protectedBatch,
  requests,
  unschedulable,
  workloadPod,
  type RawPod,
} from '../builders/aks';

const dir = mkdtempSync(join(tmpdir(), 'graceful-scaler-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(content: unknown, name = `f${files++}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const POLICY = join(__dirname, '../../policy.example.yaml');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    clock: () => Date.parse('2026-11-30T12:00:00Z'),
  });
  return { code, stdout, stderr };
}

async function plan(dump: unknown, now: string, memory?: Decision['memory'], extra: string[] = []): Promise<Decision> {
  const args = ['plan', '--policy', POLICY, '--cluster', file(dump), '--now', now, '--scalers', 'nodes', ...extra];
  if (memory) args.push('--memory', file(memory));
  const result = await run(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Decision;
}

const name = (i: number) => aksNodeName('user', i);
const brief = (a: Action) =>
  `${a.type} ${'node' in a && a.type !== 'evict' ? a.node : 'pod' in a ? a.pod : 'pool' in a ? `${a.pool}+${a.count}` : ''}`;
/** Capacity and drain actions; the placement marks on nodes are listed apart (`marked`). */
const briefs = (d: Decision) => d.actions.filter((a) => a.type !== 'mark-node').map(brief);
const marked = (d: Decision) => d.actions.flatMap((a) => (a.type === 'mark-node' ? [`${a.set ? '+' : '-'}${a.mark} ${a.node}`] : []));

interface NodeState {
  cordonedSince?: string;
  deallocated?: boolean;
}

/** The production cluster: five user nodes, a protected batch node running the daily Job, MDM and BG pods. */
function clomo(nodes: Record<number, NodeState>, pods: RawPod[]) {
  const items: object[] = [];
  for (const [i, state] of Object.entries(nodes)) {
    const n = Number(i);
    const parts = [];
    if (state.deallocated) parts.push(deallocated('2026-11-30T13:30:00Z'));
    else if (state.cordonedSince) parts.push(cordoned(state.cordonedSince), annotated({ [DRAINING_SINCE]: state.cordonedSince }));
    if (n === 7) parts.push(protectedBatch());
    items.push(aksNode(name(n), ...parts));
    if (!state.deallocated) items.push(...daemonPods(name(n)));
  }
  items.push(...pods);
  items.push(aksPdb('mdm', { namespace: 'clomo', disruptionsAllowed: 2, expectedPods: 10 }));
  items.push(aksDeployment('bg', { namespace: 'clomo', replicas: 1, grace: 72000 }));
  return kubectlList(items);
}

const mdm = (i: number, node: number) => workloadPod('mdm', i, { namespace: 'clomo' }, onNode(name(node)), requests('250m', '512Mi'));
const bgWorker = (node: number, ...more: ((p: RawPod) => void)[]) =>
  workloadPod('bg', 0, { namespace: 'clomo' }, onNode(name(node)), grace(72000), busy(), ...more);
const batch = jobPod('clomo-daily-batch-29012345', { namespace: 'clomo' }, onNode(name(7)), requests('2', '6Gi'));

describe('plan: a night, tick after tick', () => {
  // Monday 30 November 2026, after the 07:30-21:00 window: the minimum falls to 2.
  const at = (hhmm: string) => `2026-11-30T${hhmm}:00+09:00`;
  const mdmPods = [mdm(0, 0), mdm(1, 0), mdm(2, 0), mdm(3, 1), mdm(4, 1), mdm(5, 2)];
  const all = { 0: {}, 1: {}, 2: {}, 3: {}, 4: {}, 7: {} } as Record<number, NodeState>;

  it('waits, cordons the emptiest nodes, deallocates them, then drains the next soonest empty, leaving the busy worker for last', async () => {
    const t1 = await plan(clomo(all, [...mdmPods, bgWorker(3), batch]), at('21:05'));
    expect(t1.summary.nodes).toMatchObject({ desired: 2, running: 6, workloadPods: 8 });
    expect(briefs(t1)).toEqual([]);
    expect(t1.skipped.find((s) => s.rule === 'not-needed-long-enough')?.reason).toContain('10m scale-down delay');

    // Node 4 has no workload pod: its drain takes no slot, so the one slot (maxConcurrentDrains 1)
    // goes to the next soonest empty, node 2, whose one MDM pod leaves in seconds; node 3's busy BG
    // worker (20-hour grace) could hold it for hours.
    const t2 = await plan(clomo(all, [...mdmPods, bgWorker(3), batch]), at('21:16'), t1.memory);
    expect(briefs(t2)).toEqual([`cordon ${name(4)}`, `cordon ${name(2)}`, `evict ${(mdm(5, 2).metadata as { name: string }).name}`]);
    expect(t2.actions[0]?.reason).toContain('0 workload pods here, the soonest empty among candidates');
    expect(t2.skipped.find((s) => s.target === `node/${name(7)}`)?.rule).toBe('protected-label');

    const cordoned = { ...all, 2: { cordonedSince: '2026-11-30T12:16:00Z' }, 4: { cordonedSince: '2026-11-30T12:16:00Z' } };
    const t3 = await plan(clomo(cordoned, [...mdmPods.slice(0, 5), bgWorker(3), batch]), at('21:17'), t2.memory);
    expect(briefs(t3)).toEqual([`stop-node ${name(2)}`, `stop-node ${name(4)}`]);

    const stopped = { ...all, 2: { deallocated: true }, 4: { deallocated: true } };
    const t4 = await plan(clomo(stopped, [...mdmPods.slice(0, 5), bgWorker(3), batch]), at('21:20'), t3.memory);
    expect(t4.notes).toContain(`node ${name(4)} is stopped; its drain is complete`);
    // Node 1 (two MDM pods) before node 3 (one busy worker): pods that leave at once come first.
    expect(briefs(t4)[0]).toBe(`cordon ${name(1)}`);
    expect(t4.actions[0]?.reason).toContain('2 workload pods here, the soonest empty among candidates');
  });

  it('taints the nodes the next cordons will take, in their order, and labels the nodes that stay', async () => {
    const t1 = await plan(clomo(all, [...mdmPods, bgWorker(3), batch]), at('21:05'));
    // 6 running, 2 desired: the 4 above it, soonest empty first; the busy worker's node and the batch
    // node (protected, never drained) are the 2 the night keeps.
    expect(marked(t1)).toEqual([
      `+drain-candidate ${name(4)}`,
      `+drain-candidate ${name(2)}`,
      `+drain-candidate ${name(1)}`,
      `+drain-candidate ${name(0)}`,
      `+stays ${name(3)}`,
      `+stays ${name(7)}`,
    ]);
    expect(t1.actions.find((a) => a.type === 'mark-node')?.reason).toContain(
      '6 nodes running or on the way > 2 desired: 1st of 4 nodes the scale-down would drain next',
    );
    const t2 = await plan(clomo(all, [...mdmPods, bgWorker(3), batch]), at('21:16'), t1.memory);
    expect(briefs(t2).filter((b) => b.startsWith('cordon'))).toEqual([`cordon ${name(4)}`, `cordon ${name(2)}`]);
  });

  it('never drains the protected batch node, even when it is the emptiest', async () => {
    const d1 = await plan(clomo({ 0: {}, 1: {}, 7: {} }, [...mdmPods.map((p, i) => (i < 3 ? p : mdm(i, 1))), batch]), at('21:05'));
    const d2 = await plan(
      clomo({ 0: {}, 1: {}, 7: {} }, [...mdmPods.map((p, i) => (i < 3 ? p : mdm(i, 1))), batch]),
      at('21:16'),
      d1.memory,
    );
    expect(briefs(d2)).toEqual([
      `cordon ${name(1)}`,
      ...[3, 4, 5].map((i) => `evict ${(mdm(i, 1).metadata as { name: string }).name}`).slice(0, 2),
    ]);
    expect(d2.skipped.find((s) => s.rule === 'pdb-blocks')?.reason).toContain('PodDisruptionBudget clomo/mdm allows no disruption now');
  });
});

describe('plan: the morning', () => {
  it('starts the deallocated VMs at 07:30, uncordoned first, and uncordons one still cordoned once Ready', async () => {
    const night = { 0: {}, 1: {}, 2: { deallocated: true }, 3: { deallocated: true }, 4: { deallocated: true }, 7: {} } as Record<
      number,
      NodeState
    >;
    const d1 = await plan(clomo(night, [mdm(0, 0), mdm(1, 1), batch]), '2026-11-30T07:31:00+09:00');
    // minimum 5 in the window; 0, 1 and the batch node 7 run: two more needed
    expect(d1.summary.nodes).toMatchObject({ desired: 5, running: 3, stopped: 3 });
    // Started, then uncordoned while still booting (nothing lands on a NotReady node), so pods land the moment they are Ready.
    expect(briefs(d1)).toEqual([`start-node ${name(2)}`, `start-node ${name(3)}`, `uncordon ${name(2)}`, `uncordon ${name(3)}`]);
    expect(d1.actions[0]?.reason).toContain('window Mon-Fri 07:30-21:00 raises the minimum to 5');

    const booting = await plan(clomo(night, [mdm(0, 0), mdm(1, 1), batch]), '2026-11-30T07:32:00+09:00', d1.memory);
    expect(briefs(booting)).toEqual([]);

    const up = { ...night, 2: { cordonedSince: '2026-11-29T13:29:00Z' }, 3: {} };
    // node 2 is Ready again but still cordoned (its uncordon did not land); node 3 came back uncordoned
    const d2 = await plan(
      kubectlList(clomo(up, [mdm(0, 0), mdm(1, 1), batch]).items.map((o) => stripDrainAnnotation(o as object))),
      '2026-11-30T07:33:00+09:00',
      booting.memory,
    );
    expect(briefs(d2)).toEqual([`uncordon ${name(2)}`]);
    expect(d2.actions[0]?.rule).toBe('started-node-ready');
  });
});

describe('plan: a burst of pending pods', () => {
  it('starts stopped VMs for Unschedulable pods, then grows the pool', async () => {
    const nodes = { 0: {}, 1: {}, 2: { deallocated: true }, 7: {} } as Record<number, NodeState>;
    const full = [...Array.from({ length: 26 }, (_, i) => mdm(i, 0)), ...Array.from({ length: 26 }, (_, i) => mdm(26 + i, 1))];
    const burst = Array.from({ length: 60 }, (_, i) =>
      workloadPod('mdm', 100 + i, { namespace: 'clomo' }, unschedulable('0/4 nodes are available: 2 Too many pods.')),
    );
    const d = await plan(clomo(nodes, [...full, ...burst, batch]), '2026-11-30T03:00:00+09:00');
    // 113 workload pods / 20 per node = 6; 60 Unschedulable need 3 beyond the 3 schedulable = 6
    expect(d.summary.nodes?.desired).toBe(6);
    expect(briefs(d)).toEqual([`start-node ${name(2)}`, 'add-nodes user+2', `uncordon ${name(2)}`]);
    expect(d.memory.nodes.provisioning).toMatchObject([{ pool: 'user', count: 2 }]);
  });
});

describe('plan: a drain cancelled by rising demand', () => {
  it('uncordons the draining node before starting any VM', async () => {
    const drainingSince = '2026-11-30T12:40:00Z';
    const nodes = { 0: {}, 1: {}, 2: { cordonedSince: drainingSince }, 3: { deallocated: true }, 7: {} } as Record<number, NodeState>;
    const quiet = [mdm(0, 0), mdm(1, 1), mdm(2, 2)];
    const night = await plan(clomo(nodes, [...quiet, batch]), '2026-11-30T21:45:00+09:00');
    expect(Object.keys(night.memory.nodes.drains)).toEqual([name(2)]);
    expect(briefs(night)).toEqual([`evict ${(mdm(2, 2).metadata as { name: string }).name}`]);

    const burst = Array.from({ length: 70 }, (_, i) => workloadPod('mdm', 200 + i, { namespace: 'clomo' }, unschedulable()));
    const d = await plan(clomo(nodes, [...quiet, ...burst, batch]), '2026-11-30T21:46:00+09:00', night.memory);
    // 70 Unschedulable pods need 3 nodes (24 pods each after DaemonSets) beyond the 3 schedulable:
    // 3 missing, met by cancelling the drain, starting the stopped VM and one new node.
    expect(briefs(d)).toEqual([`uncordon ${name(2)}`, `start-node ${name(3)}`, 'add-nodes user+1', `uncordon ${name(3)}`]);
    expect(d.actions[0]?.rule).toBe('scale-up-cancel-drain');
    expect(d.actions[0]?.reason).toContain('cancelling this drain is cheaper than any VM');
    expect(d.memory.nodes.drains).toEqual({});
  });
});

describe('plan: output and bad input', () => {
  const dump = clomo({ 0: {}, 1: {}, 7: {} }, [mdm(0, 0), batch]);

  it('prints a table for eyes, with every action and its reason', async () => {
    const result = await run([
      'plan',
      '--policy',
      POLICY,
      '--cluster',
      file(dump),
      '--now',
      '2026-11-30T07:35:00+09:00',
      '--queue',
      'clomo-jobs=30',
      '--queue',
      'clomo-jobs-priority=2,age=45s',
      '--output',
      'table',
      '--scalers',
      'nodes,workers',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('graceful-scaler plan for 2026-11-30 Mon 07:35 Asia/Tokyo');
    expect(result.stdout).toContain('NODES     desired 5  running 3');
    expect(result.stdout).toMatch(/1\.\s+add-nodes\s+pool user \+2\s+scale-up-add-nodes\n\s+5 wanted, 3 running or on the way/);
    expect(result.stdout).toContain('WORKERS   bg: 1 -> desired 8  messages 32  oldest 45s  bounds 1..40');
  });

  it('reads several dumps as one cluster', async () => {
    const nodesOnly = kubectlList(dump.items.filter((o) => (o as { kind: string }).kind === 'Node'));
    const rest = kubectlList(dump.items.filter((o) => (o as { kind: string }).kind !== 'Node'));
    const result = await run([
      'plan',
      '--policy',
      POLICY,
      '--cluster',
      file(nodesOnly),
      '--cluster',
      file(rest),
      '--now',
      '2026-11-30T03:00:00+09:00',
      '--scalers',
      'nodes',
    ]);
    const decision = JSON.parse(result.stdout) as Decision;
    expect(decision.summary.nodes).toMatchObject({ running: 3, workloadPods: 2 });
  });

  const bad: { name: string; args: () => string[]; says: string }[] = [
    {
      name: 'a dump without nodes (only Deployments)',
      args: () => [
        'plan',
        '--policy',
        POLICY,
        '--cluster',
        file(kubectlList(dump.items.filter((o) => (o as { kind: string }).kind !== 'Node'))),
        '--scalers',
        'nodes',
      ],
      says: 'nodes refused: snapshot.nodes: the cluster as read has no nodes at all; read the whole cluster (kubectl get nodes,pods',
    },
    {
      name: 'a pool that matches no node',
      args: () => [
        'plan',
        '--policy',
        file('nodes:\n  pools: [users]\n  targetPodsPerNode: 20\n  maxNodes: 5\n', 'users.yaml'),
        '--cluster',
        file(dump),
      ],
      says: 'nodes refused: nodes.pools[0]: no node is in agent pool "users" (label kubernetes.azure.com/agentpool); name a pool this cluster has (user)',
    },
    {
      name: 'a descheduler pod selector that matches no pod',
      args: () => ['plan', '--policy', POLICY, '--cluster', file(dump), '--scalers', 'descheduler'],
      says: 'descheduler refused: descheduler.podSelector: no pod matches "clomo/descheduling=enabled"; label the pods that may be moved',
    },
    {
      name: 'a --queue no worker reads',
      args: () => ['plan', '--policy', POLICY, '--cluster', file(dump), '--queue', 'clomo-jbos=3'],
      says: '--queue clomo-jbos: no worker of the policy reads this queue (its workers read: clomo-jobs, clomo-jobs-priority); correct the name or drop the flag',
    },
    {
      name: '--scalers naming a section the policy lacks',
      args: () => [
        'plan',
        '--policy',
        file('nodes:\n  pools: [user]\n  targetPodsPerNode: 20\n  maxNodes: 5\n', 'nodes-only.yaml'),
        '--cluster',
        file(dump),
        '--scalers',
        'nodes,workers',
      ],
      says: '--scalers workers: the policy has no workers section; name only nodes',
    },
    {
      name: 'a missing cluster file',
      args: () => ['plan', '--policy', POLICY, '--cluster', join(dir, 'nope.json')],
      says: 'nope.json: cannot read the cluster dump: no such file',
    },
    {
      name: 'a dump that is not JSON',
      args: () => ['plan', '--policy', POLICY, '--cluster', file('{"kind": "List", items')],
      says: 'the cluster dump is not valid JSON',
    },
    {
      name: 'a dump that is not a List',
      args: () => ['plan', '--policy', POLICY, '--cluster', file({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })],
      says: 'expected a Kubernetes List',
    },
    {
      name: 'a policy error',
      args: () => [
        'plan',
        '--policy',
        file('nodes:\n  pools: [user]\n  targetPodsPerNode: 20\n  maxNodes: 5\n  minNodes: 9\n', 'bad.yaml'),
        '--cluster',
        file(dump),
      ],
      says: 'bad.yaml: nodes',
    },
    {
      name: 'a malformed --queue',
      args: () => ['plan', '--policy', POLICY, '--cluster', file(dump), '--queue', 'clomo-jobs=many'],
      says: '--queue "clomo-jobs=many": expected NAME=COUNT',
    },
    {
      name: 'a --now without a zone',
      args: () => ['plan', '--policy', POLICY, '--cluster', file(dump), '--now', '2026-11-30T07:35:00'],
      says: 'expected an ISO 8601 time with a zone',
    },
    {
      name: 'a broken memory file',
      args: () => [
        'plan',
        '--policy',
        POLICY,
        '--cluster',
        file(dump),
        '--memory',
        file({ nodes: { drains: { n1: { since: 'yesterday' } } } }),
      ],
      says: 'nodes.drains.n1.since: expected an ISO 8601 time',
    },
    { name: 'an unknown flag', args: () => ['plan', '--policy', POLICY, '--cluster', file(dump), '--dry'], says: "Unknown option '--dry'" },
    { name: 'no --cluster', args: () => ['plan', '--policy', POLICY], says: '--cluster DUMP.json is required' },
  ];
  it.each(bad)('exits 2 on $name, naming the problem, with nothing on stdout', async ({ args, says }) => {
    const result = await run(args());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(says);
  });

  it('accepts a whole previous JSON output as --memory', async () => {
    const first = await run([
      'plan',
      '--policy',
      POLICY,
      '--cluster',
      file(dump),
      '--now',
      '2026-11-30T03:00:00+09:00',
      '--scalers',
      'nodes',
    ]);
    const second = await run([
      'plan',
      '--policy',
      POLICY,
      '--cluster',
      file(dump),
      '--now',
      '2026-11-30T03:01:00+09:00',
      '--memory',
      file(first.stdout),
      '--scalers',
      'nodes',
    ]);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as Decision).memory.nodes.recommendations).toHaveLength(2);
  });

  it('validates a policy file', async () => {
    const ok = await run(['validate', '--policy', POLICY]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain('valid (Asia/Tokyo; nodes: pools user, 2..12 nodes, 2 window(s); workers: bg;');
  });
});

function stripDrainAnnotation(o: object): object {
  const meta = (o as { metadata?: { annotations?: Record<string, string> } }).metadata;
  if (meta?.annotations) delete meta.annotations[DRAINING_SINCE];
  return o;
}
