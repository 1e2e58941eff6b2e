import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision';
import { STAYS_TAINT } from '../../core/annotations';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import type { NodeView, PdbView, PodView } from '../../core/views';
import {
  GIB,
  MINUTE,
  NOW,
  at,
  buildMemory,
  buildNode,
  buildPdb,
  buildPod,
  buildPolicy,
  buildSnapshot,
  cordoned,
  daemon,
  drainCandidate,
  inPool,
  labelled,
  maxPods,
  onNode,
  ownedBy,
  pending,
  podsOf,
  repelling,
  requests,
  selectingNodes,
  startedAt,
  stays,
  staysTainted,
  tainted,
  tolerating,
} from '../builders/views';

const OPT_IN = { 'clomo/descheduling': 'enabled' };

function deschedule(
  nodes: NodeView[],
  pods: PodView[],
  opts: { pdbs?: PdbView[]; memory?: Memory; count?: boolean; staysRoom?: boolean } = {},
): Decision {
  return plan({
    snapshot: buildSnapshot({ nodes, pods, pdbs: opts.pdbs ?? [] }),
    policy: buildPolicy((p) => {
      if (opts.count) p.descheduler.balanceBy = 'count';
      if (opts.staysRoom !== undefined) p.descheduler.staysRoom = opts.staysRoom;
    }),
    memory: opts.memory ?? buildMemory(),
    now: NOW,
    scalers: ['descheduler'],
  });
}

const mdm = (node: string, count: number, gib = 1, ...more: Parameters<typeof podsOf>[3][]) =>
  podsOf('mdm', node, count, labelled(OPT_IN), requests(250, gib * GIB), ...more);
const evicted = (d: Decision) => d.actions.map((a) => (a.type === 'evict' ? `${a.pod}@${a.node}` : a.type));

describe('descheduler planner', () => {
  it('moves opted-in pods from the most loaded node until the spread cannot narrow', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => buildNode(n));
    const d = deschedule(nodes, [...mdm('n1', 6), ...mdm('n2', 2), ...mdm('n3', 1)]);
    // loads 6/2/1 GiB → 5/2/2 → 4/3/2 → 3/3/3
    expect(evicted(d)).toHaveLength(3);
    expect(evicted(d).every((e) => e.endsWith('@n1'))).toBe(true);
    expect(d.summary.descheduler).toMatchObject({ measure: 'memory requests', spreadBefore: 5 * GIB, spreadAfter: 0, evictions: 3 });
    expect(d.actions[0]?.reason).toContain('n1 holds 6.00 GiB of opted-in memory requests, n3 1.00 GiB');
    expect(d.memory.descheduler.recentEvictions).toEqual([{ namespace: 'clomo', workload: 'ReplicaSet/mdm-rs', at: at(NOW) }]);
  });

  it('says when one move alone leaves max−min as it was, and what the whole run achieves', () => {
    // Two nodes share the maximum: the first move from one of them changes nothing on its own.
    const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n));
    const d = deschedule(nodes, [...mdm('n1', 4), ...mdm('n2', 4), ...mdm('n3', 0), ...mdm('n4', 0)]);
    expect(evicted(d)).toHaveLength(4);
    expect(d.actions[0]?.reason).toContain('a step towards an even spread over 4 nodes (max−min stays 4.00 GiB after this move alone)');
    expect(d.actions[0]?.reason).not.toContain('from 4.00 GiB to 4.00 GiB');
    for (const a of d.actions) expect(a.reason).toMatch(/this run's 4 evictions take it from 4\.00 GiB to 0\.00 GiB$/);
  });

  it('balances by pod count when asked', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const d = deschedule(nodes, [...mdm('n1', 4, 1), ...mdm('n2', 1, 3)], { count: true });
    expect(evicted(d)).toHaveLength(1);
    expect(d.summary.descheduler?.measure).toBe('pod count');
  });

  it('never touches pods without the opt-in label', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const d = deschedule(nodes, [...mdm('n1', 1), ...podsOf('panel', 'n1', 8, requests(250, GIB))]);
    expect(d.actions).toEqual([]);
    expect(d.skipped.map((s) => s.rule)).toEqual(['descheduler-balanced']);
  });

  const refusals: { name: string; pods: PodView[] }[] = [
    { name: "a Job's pod", pods: podsOf('job', 'n1', 4, labelled(OPT_IN), ownedBy('Job', 'j'), requests(1, GIB)) },
    {
      name: 'a Deployment-less pod (no controller kind allowed)',
      pods: podsOf('x', 'n1', 4, labelled(OPT_IN), ownedBy('CustomThing', 'c'), requests(1, GIB)),
    },
    {
      name: 'a pod younger than minPodAge',
      pods: podsOf('young', 'n1', 4, labelled(OPT_IN), requests(1, GIB), startedAt(NOW - 5 * MINUTE)),
    },
    {
      name: 'a pod that is not running yet',
      pods: podsOf('p', 'n1', 4, labelled(OPT_IN), requests(1, GIB), (p) => void (p.phase = 'Pending')),
    },
  ];
  it.each(refusals)('never evicts $name', ({ pods }) => {
    const d = deschedule(
      ['n1', 'n2'].map((n) => buildNode(n)),
      pods,
    );
    expect(d.actions).toEqual([]);
  });

  it('only moves a pod to a node it fits on (node selector, taints, room)', () => {
    const nodes = [buildNode('n1'), buildNode('n2', tainted('dedicated', 'gpu')), buildNode('n3', maxPods(1)), buildNode('n4')];
    const pods = [...mdm('n1', 4, 1, selectingNodes({ 'kubernetes.io/hostname-x': 'none' })), ...mdm('n4', 4)];
    // The selector matches no node at all: nothing may move.
    expect(deschedule(nodes, pods).actions).toEqual([]);
    const tolerant = [...mdm('n1', 4, 1, tolerating('dedicated')), buildPod('filler', onNode('n3'))];
    const d = deschedule(nodes, tolerant);
    // n2 is tainted but tolerated; n3 is full (1 pod max); n4 is empty
    expect(d.actions.length).toBeGreaterThan(0);
    expect(d.actions.every((a) => a.reason.includes('fits on n2') || a.reason.includes('fits on n4'))).toBe(true);
  });

  it('moves no pod where a required pod anti-affinity would keep it off', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => buildNode(n));
    // One api replica per node (by hostname), each as large as an mdm pod; n2 is the least loaded but runs a replica.
    const api = (node: string, repels: boolean) =>
      buildPod(
        `api-${node}`,
        onNode(node),
        labelled({ ...OPT_IN, app: 'api' }),
        requests(250, GIB),
        ...(repels ? [repelling({ app: 'api' })] : []),
      );
    const where = (d: Decision, pod: string) =>
      d.actions.filter((a) => a.type === 'evict' && a.pod === pod).map((a) => /fits on (n\d)/.exec(a.reason)?.[1]);
    // Loads 6 / 1 / 3 GiB: without the term, n1's api replica goes to n2 first (it is n1's first pod).
    const free = deschedule(nodes, [api('n1', false), ...mdm('n1', 5), api('n2', false), ...mdm('n3', 3)]);
    expect(where(free, 'api-n1')).toEqual(['n2']);
    // With it, on either side, n1's replica never goes to n2: mdm pods move there instead.
    for (const [mine, theirs] of [
      [true, true],
      [true, false],
      [false, true],
    ] as const) {
      const d = deschedule(nodes, [api('n1', mine), ...mdm('n1', 5), api('n2', theirs), ...mdm('n3', 3)]);
      expect(where(d, 'api-n1')).not.toContain('n2');
      expect(evicted(d).length).toBeGreaterThan(0);
    }
  });

  it('spends each PodDisruptionBudget only as far as it allows', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => buildNode(n));
    const d = deschedule(nodes, [...mdm('n1', 6), ...mdm('n2', 0), ...mdm('n3', 0)], { pdbs: [buildPdb('mdm', 'app=mdm', 1)] });
    expect(evicted(d)).toHaveLength(1);
    expect(d.skipped.find((s) => s.rule === 'pdb-blocks')?.reason).toContain('allows no disruption now');
  });

  it('stops at maxEvictionsPerRun', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n));
    const d = deschedule(nodes, mdm('n1', 24));
    expect(evicted(d)).toHaveLength(5);
    expect(d.skipped.find((s) => s.rule === 'budget-exhausted')?.reason).toContain('budget of 5 evictions per run used');
  });

  it('leaves a workload alone for the cooldown after evicting one of its pods', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const memory = buildMemory((m) =>
      m.descheduler.recentEvictions.push({ namespace: 'clomo', workload: 'ReplicaSet/mdm-rs', at: at(NOW - 10 * MINUTE) }),
    );
    const d = deschedule(nodes, mdm('n1', 6), { memory });
    expect(d.actions).toEqual([]);
    expect(d.skipped.find((s) => s.rule === 'workload-cooldown')?.reason).toContain('6 pods left alone');
    const later = buildMemory((m) =>
      m.descheduler.recentEvictions.push({ namespace: 'clomo', workload: 'ReplicaSet/mdm-rs', at: at(NOW - 40 * MINUTE) }),
    );
    const d2 = deschedule(nodes, mdm('n1', 6), { memory: later });
    expect(evicted(d2).length).toBeGreaterThan(0);
    expect(d2.memory.descheduler.recentEvictions).toEqual([{ namespace: 'clomo', workload: 'ReplicaSet/mdm-rs', at: at(NOW) }]);
  });

  it('balances when the node scaler wants every node that runs', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => buildNode(n));
    const memory = buildMemory((m) => (m.nodes.recommendations = [{ at: at(NOW - MINUTE), value: 3 }]));
    const d = deschedule(nodes, [...mdm('n1', 6), ...mdm('n2', 2), ...mdm('n3', 1)], { memory });
    expect(evicted(d)).toHaveLength(3);
  });

  const unsettled: { name: string; extra: PodView[]; memory?: Memory; says: string }[] = [
    { name: 'pods are pending', extra: [buildPod('web-p', pending)], says: '1 pod pending' },
    {
      name: 'a node is starting',
      extra: [],
      memory: buildMemory((m) => (m.nodes.starting.n9 = { since: at(NOW), uncordonWhenReady: true })),
      says: '1 node starting',
    },
    {
      name: 'a node is draining',
      extra: [],
      memory: buildMemory((m) => (m.nodes.drains.n9 = { since: at(NOW), reason: 'night' })),
      says: '1 node draining',
    },
    {
      name: 'nodes are about to be drained (more run than the node scaler wants)',
      extra: [],
      memory: buildMemory((m) => (m.nodes.recommendations = [{ at: at(NOW - MINUTE), value: 1 }])),
      says: '2 nodes run where the node scaler wants 1: the extra ones are about to be drained',
    },
  ];
  it.each(unsettled)('does nothing while $name', ({ extra, memory, says }) => {
    const d = deschedule(
      ['n1', 'n2'].map((n) => buildNode(n)),
      [...mdm('n1', 6), ...extra],
      memory ? { memory } : {},
    );
    expect(d.actions).toEqual([]);
    expect(d.skipped[0]?.rule).toBe('descheduler-unsettled');
    expect(d.skipped[0]?.reason).toContain(says);
  });

  it('only balances over ready, schedulable nodes matching the node selector', () => {
    const nodes = [buildNode('n1'), buildNode('n2', cordoned), buildNode('sys', inPool('system'))];
    const d = deschedule(nodes, [...mdm('n1', 6), buildPod('ds', daemon, onNode('n1'))]);
    expect(d.actions).toEqual([]);
    expect(d.skipped[0]?.rule).toBe('no-eligible-nodes');
  });

  describe('room on the nodes that stay', () => {
    // s1 stays (label and PreferNoSchedule taint) and takes 8 pods: its 6 MDM pods leave 2 slots.
    const staysNode = () => buildNode('s1', stays, staysTainted, maxPods(8));
    const workers = (node: string, count: number) => podsOf('bg', node, count, tolerating(STAYS_TAINT), requests(200, GIB / 2));
    const roomMoves = (d: Decision) =>
      d.actions.filter((a) => a.rule === 'deschedule-stays-room').map((a) => (a.type === 'evict' ? `${a.pod}@${a.node}` : a.type));

    it('moves opted-in pods that do not tolerate the stays taint off, as far as the workers that tolerate it need the room', () => {
      const nodes = [staysNode(), buildNode('n2'), buildNode('n3')];
      // 5 workers run elsewhere, s1 has 2 free slots: 3 MDM pods make room for the rest.
      const d = deschedule(nodes, [...mdm('s1', 6), ...mdm('n2', 5), ...mdm('n3', 4), ...workers('n2', 3), ...workers('n3', 2)]);
      expect(roomMoves(d)).toEqual(['mdm-s1-0@s1', 'mdm-s1-1@s1', 'mdm-s1-2@s1']);
      expect(d.actions.map((a) => a.reason.match(/fits on (n\d)/)?.[1])).toEqual(['n3', 'n2', 'n3']);
      expect(d.actions[0]?.reason).toContain(
        `s1 is a node that stays (taint ${STAYS_TAINT}:PreferNoSchedule), which this pod does not tolerate; 5 pods that tolerate it run on other nodes, and the nodes that stay have 2 free pod slots`,
      );
      // Loads end 3/6/6 GiB; the balancing moves nothing back onto s1, whose taint the MDM pods do not tolerate.
      expect(d.actions).toHaveLength(3);
      // Each move frees a slot, which bounds the rule: it starts no workload cooldown.
      expect(d.memory.descheduler.recentEvictions).toEqual([]);
    });

    it('leaves alone a workload the balancing has cooled', () => {
      const nodes = [staysNode(), buildNode('n2'), buildNode('n3')];
      const memory = buildMemory(
        (m) => (m.descheduler.recentEvictions = [{ namespace: 'clomo', workload: 'ReplicaSet/mdm-rs', at: at(NOW - 10 * MINUTE) }]),
      );
      const d = deschedule(nodes, [...mdm('s1', 6), ...mdm('n2', 5), ...mdm('n3', 4), ...workers('n2', 3), ...workers('n3', 2)], {
        memory,
      });
      expect(d.actions).toEqual([]);
      expect(d.skipped.find((s) => s.rule === 'workload-cooldown')).toBeDefined();
    });

    it('moves nothing while the workers that tolerate the taint fit in the room the nodes that stay have', () => {
      const nodes = [staysNode(), buildNode('n2'), buildNode('n3')];
      const d = deschedule(nodes, [...mdm('s1', 6), ...mdm('n2', 6), ...mdm('n3', 6), ...workers('n2', 2)]);
      expect(d.actions).toEqual([]);
    });

    it('does not count pods that tolerate every taint as wanting the room', () => {
      const nodes = [staysNode(), buildNode('n2'), buildNode('n3')];
      const everything = podsOf('agent', 'n2', 5, (p) => void (p.tolerations = [{ operator: 'Exists' }]));
      const d = deschedule(nodes, [...mdm('s1', 6), ...mdm('n2', 6), ...mdm('n3', 6), ...everything]);
      expect(d.actions).toEqual([]);
    });

    it('moves nothing when staysRoom is off', () => {
      const nodes = [staysNode(), buildNode('n2'), buildNode('n3')];
      const d = deschedule(nodes, [...mdm('s1', 6), ...mdm('n2', 6), ...mdm('n3', 6), ...workers('n2', 5)], { staysRoom: false });
      expect(d.actions).toEqual([]);
    });

    it('spends the PodDisruptionBudget only as far as it allows, and says so when it allows none', () => {
      const nodes = [staysNode(), buildNode('n2'), buildNode('n3')];
      const pods = [...mdm('s1', 6), ...mdm('n2', 6), ...mdm('n3', 6), ...workers('n2', 5)];
      expect(roomMoves(deschedule(nodes, pods, { pdbs: [buildPdb('mdm', 'app=mdm', 1)] }))).toHaveLength(1);
      const none = deschedule(nodes, pods, { pdbs: [buildPdb('mdm', 'app=mdm', 0)] });
      expect(none.actions).toEqual([]);
      expect(none.skipped.find((s) => s.rule === 'pdb-blocks')?.target).toBe('pod/clomo/mdm-s1-0');
    });

    it('says why nothing moved when no other node takes the pods', () => {
      const nodes = [staysNode(), buildNode('n2', maxPods(11))];
      const d = deschedule(nodes, [...mdm('s1', 6), ...mdm('n2', 6), ...workers('n2', 5)]);
      expect(d.actions).toEqual([]);
      expect(d.skipped.find((s) => s.rule === 'no-fitting-node')?.reason).toContain(
        'the nodes that stay hold 6 opted-in pods that do not tolerate their taint and 5 pods that tolerate it run on other nodes',
      );
    });
  });

  it('never balances a pod onto a node whose PreferNoSchedule taint it does not tolerate', () => {
    // s1 and c2 are the least loaded, but the scheduler would put the evicted pod on n4 instead.
    const nodes = [buildNode('s1', stays, staysTainted), buildNode('c2', drainCandidate), buildNode('n3'), buildNode('n4')];
    const d = deschedule(nodes, [...mdm('n3', 6), ...mdm('n4', 2)]);
    expect(d.actions.length).toBeGreaterThan(0);
    expect(d.actions.every((a) => a.reason.includes('fits on n4'))).toBe(true);
    // A pod that tolerates the taints may go there.
    const tolerant = deschedule(nodes, [...mdm('n3', 6, 1, tolerating(STAYS_TAINT)), ...mdm('n4', 6)]);
    expect(tolerant.actions.some((a) => a.reason.includes('fits on s1'))).toBe(true);
  });
});
