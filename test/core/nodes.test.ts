import { describe, expect, it } from 'vitest';
import { DRAINING_SINCE, SAFE_TO_EVICT, SCALE_DOWN_DISABLED, DO_NOT_DISRUPT } from '../../core/annotations';
import type { Action, Decision } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import type { Policy } from '../../core/policy';
import type { NodeView, PodView } from '../../core/views';
import {
  MINUTE,
  NOW,
  annotated,
  at,
  buildMemory,
  buildNode,
  buildPdb,
  buildPod,
  buildPolicy,
  buildSnapshot,
  cordoned,
  createdAt,
  daemon,
  deallocated,
  grace,
  inPool,
  labelled,
  noController,
  nodeAnnotated,
  nodeLabelled,
  notReady,
  onNode,
  ownedBy,
  podsOf,
  terminating,
  unschedulable,
} from '../builders/views';

/** Monday 07:35 in Tokyo: inside the Mon-Fri 07:30-21:00 window (minimum 5). */
const MORNING = Date.parse('2026-11-30T07:35:00+09:00');

function planNodes(nodes: NodeView[], pods: PodView[], opts: { memory?: Memory; now?: number; policy?: Policy; pdbs?: ReturnType<typeof buildPdb>[] } = {}): Decision {
  return plan({
    snapshot: buildSnapshot({ nodes, pods, pdbs: opts.pdbs ?? [] }),
    policy: opts.policy ?? buildPolicy(),
    memory: opts.memory ?? buildMemory(),
    now: opts.now ?? NOW,
    scalers: ['nodes'],
  });
}

const brief = (a: Action): string => {
  switch (a.type) {
    case 'evict':
      return `evict ${a.namespace}/${a.pod}`;
    case 'add-nodes':
      return `add-nodes ${a.pool} ${a.count}`;
    case 'scale':
      return `scale ${a.deployment} ${a.replicas}`;
    case 'set-deletion-cost':
      return `cost ${a.pod} ${a.cost}`;
    default:
      return `${a.type} ${a.node}`;
  }
};
const actions = (d: Decision) => d.actions.map(brief);
const skipsOf = (d: Decision, rule: string) => d.skipped.filter((s) => s.rule === rule);

/** Four nodes with a DaemonSet pod each and 5, 5, 2 and 1 workload pods: 13 pods, so 2 nodes suffice at night. */
function quietNight() {
  const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n));
  const pods = [
    ...nodes.map((n) => buildPod(`kube-proxy-${n.name}`, daemon, onNode(n.name))),
    ...podsOf('mdm', 'n1', 5),
    ...podsOf('mdm', 'n2', 5),
    ...podsOf('mdm', 'n3', 2),
    ...podsOf('panel', 'n4', 1),
  ];
  return { nodes, pods };
}

/** Memory whose recommendations have been 2 for the whole 10-minute delay. */
const lowForTenMinutes = (m: Memory) => {
  m.nodes.recommendations = [
    { at: at(NOW - 11 * MINUTE), value: 2 },
    { at: at(NOW - 5 * MINUTE), value: 2 },
  ];
};

describe('node planner: how many nodes', () => {
  it('counts workload pods per running node against the target, the minimum and the fit', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods);
    expect(d.summary.nodes).toMatchObject({ desired: 2, running: 4, workloadPods: 13, minNodes: 2, maxNodes: 12 });
    expect(d.summary.nodes?.why).toContain('minimum 2');
    expect(d.summary.nodes?.why).toContain('13 workload pods / 20 per node = 1');
  });

  it('raises the minimum inside a schedule window', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods, { now: MORNING });
    expect(d.summary.nodes?.desired).toBe(5);
    expect(d.summary.nodes?.why).toContain('window Mon-Fri 07:30-21:00 raises the minimum to 5');
  });

  it('treats a holiday like Sunday: the weekday window does not apply', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods, { now: Date.parse('2027-01-11T07:35:00+09:00') });
    expect(d.summary.nodes?.minNodes).toBe(2);
  });

  it('needs enough nodes to fit the pods at capacity (30 pods minus DaemonSets)', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const pods = [
      ...nodes.map((n) => buildPod(`ds-${n.name}`, daemon, onNode(n.name))),
      ...podsOf('mdm', 'n1', 29),
      ...podsOf('bg', 'n2', 29),
    ];
    const d = planNodes(nodes, pods, { policy: buildPolicy((p) => (p.nodes.targetPodsPerNode = 40)) });
    // 58 pods at 29 per node = 2; target 40 per node = 2; min 2
    expect(d.summary.nodes?.desired).toBe(2);
    expect(d.summary.nodes?.why).toContain('58 pods at 29 per node = 2');
  });

  it('caps the desired count at the maximum and says so', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const pods = Array.from({ length: 400 }, (_, i) => buildPod(`web-${i}`, ownedBy('ReplicaSet', 'web'), unschedulable));
    const d = planNodes(nodes, pods);
    expect(d.summary.nodes?.desired).toBe(12);
    expect(d.summary.nodes?.why).toContain('capped at the maximum 12');
  });

  it('does not count pods or nodes of pools it does not manage', () => {
    const nodes = [buildNode('sys1', inPool('system')), buildNode('n1'), buildNode('n2')];
    const pods = [...podsOf('coredns', 'sys1', 25), ...podsOf('mdm', 'n1', 3)];
    const d = planNodes(nodes, pods);
    expect(d.summary.nodes).toMatchObject({ workloadPods: 3, running: 2 });
    expect(d.actions.some((a) => 'node' in a && a.node === 'sys1')).toBe(false);
  });
});

describe('node planner: down slow', () => {
  it('waits out the scale-down delay before draining anything', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods);
    expect(actions(d)).toEqual([]);
    const [wait] = skipsOf(d, 'not-needed-long-enough');
    expect(wait?.reason).toContain('4 nodes');
    expect(wait?.reason).toContain('10m scale-down delay');
    expect(d.memory.nodes.recommendations).toEqual([{ at: at(NOW), value: 2 }]);
  });

  it('does not go below the highest need seen during the delay', () => {
    const { nodes, pods } = quietNight();
    const memory = buildMemory((m) => {
      m.nodes.recommendations = [
        { at: at(NOW - 11 * MINUTE), value: 2 },
        { at: at(NOW - 3 * MINUTE), value: 4 },
      ];
    });
    const d = planNodes(nodes, pods, { memory });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'not-needed-long-enough')[0]?.reason).toContain('but 4 were needed within it');
  });

  it('cordons the node with the fewest workload pods and evicts them in the same tick', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    const cordon = d.actions[0]!;
    expect(cordon.rule).toBe('scale-down-cordon');
    expect(cordon.reason).toContain('4 nodes > 2 needed for 10m');
    expect(cordon.reason).toContain('1 workload pod here, the fewest among candidates');
    expect(d.memory.nodes.drains.n4?.since).toBe(at(NOW));
  });

  it('drains no more nodes at once than maxConcurrentDrains', () => {
    const { nodes, pods } = quietNight();
    const memory = buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains.n3 = { since: at(NOW - 20 * MINUTE), reason: 'earlier' };
    });
    const withN3Cordoned = nodes.map((n) => (n.name === 'n3' ? buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 20 * MINUTE) })) : n));
    const d = planNodes(withN3Cordoned, pods, { memory });
    expect(actions(d)).toEqual(['evict clomo/mdm-n3-0', 'evict clomo/mdm-n3-1']);
    expect(skipsOf(d, 'drain-limit')[0]?.reason).toContain('1 drain already in progress (maxConcurrentDrains 1)');
  });

  const refusals: { name: string; node: (n: string) => NodeView; pod?: (n: string) => PodView; rule: string; says: string }[] = [
    { name: 'a node labelled clomo/BatchDeployable', node: (n) => buildNode(n, nodeLabelled({ 'clomo/BatchDeployable': 'true' })), rule: 'protected-label', says: 'labelled clomo/BatchDeployable' },
    { name: 'a node annotated scale-down-disabled', node: (n) => buildNode(n, nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true' })), rule: 'scale-down-disabled', says: SCALE_DOWN_DISABLED },
    { name: 'a node annotated do-not-disrupt', node: (n) => buildNode(n, nodeAnnotated({ [DO_NOT_DISRUPT]: 'true' })), rule: 'do-not-disrupt', says: DO_NOT_DISRUPT },
    { name: "a node running a Job's pod", node: (n) => buildNode(n), pod: (n) => buildPod('batch-1', onNode(n), ownedBy('Job', 'daily-batch')), rule: 'blocked-by-pod', says: 'belongs to Job daily-batch' },
    { name: 'a node running a pod with no controller', node: (n) => buildNode(n), pod: (n) => buildPod('debug', onNode(n), noController), rule: 'blocked-by-pod', says: 'has no controller' },
    { name: 'a node running a pod marked safe-to-evict=false', node: (n) => buildNode(n), pod: (n) => buildPod('web-x', onNode(n), annotated({ [SAFE_TO_EVICT]: 'false' })), rule: 'blocked-by-pod', says: 'safe-to-evict=false' },
    { name: 'a node running a pod marked do-not-disrupt', node: (n) => buildNode(n), pod: (n) => buildPod('web-y', onNode(n), annotated({ [DO_NOT_DISRUPT]: 'true' })), rule: 'blocked-by-pod', says: 'do-not-disrupt=true' },
  ];
  it.each(refusals)('never picks $name, and says why', ({ node, pod, rule, says }) => {
    const { nodes, pods } = quietNight();
    const special = node('n9');
    const d = planNodes([...nodes, special], [...pods, ...(pod ? [pod('n9')] : [])], { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d).filter((a) => a.endsWith('n9'))).toEqual([]);
    const skip = d.skipped.find((s) => s.target === 'node/n9');
    expect(skip?.rule).toBe(rule);
    expect(skip?.reason).toContain(says);
    expect(actions(d)[0]).toBe('cordon n4'); // the next best candidate goes instead
  });
});

describe('node planner: draining, tick after tick', () => {
  const draining = (name: string, since = NOW - 5 * MINUTE, ...more: Parameters<typeof buildNode>[1][]) =>
    buildNode(name, cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(since) }), ...more);
  const drainMemory = (name: string, since = NOW - 5 * MINUTE, extra: object = {}) =>
    buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains[name] = { since: at(since), reason: 'night', ...extra };
    });
  const others = () => [buildNode('n1'), buildNode('n2')];

  it('evicts what the PodDisruptionBudget allows and leaves the rest for the next tick', () => {
    const pods = podsOf('mdm', 'n3', 3, labelled({ app: 'mdm' }));
    const d = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3'), pdbs: [buildPdb('mdm', 'app=mdm', 1)] });
    expect(actions(d)).toEqual(['evict clomo/mdm-n3-0']);
    const refused = skipsOf(d, 'pdb-blocks');
    expect(refused).toHaveLength(2);
    expect(refused[0]?.reason).toContain('PodDisruptionBudget clomo/mdm allows no disruption now');
  });

  it('keeps to maxEvictionsPerRun across all drains', () => {
    const pods = podsOf('web', 'n3', 8);
    const d = planNodes([...others(), draining('n3')], pods, {
      memory: drainMemory('n3'),
      policy: buildPolicy((p) => (p.nodes.maxEvictionsPerRun = 3)),
    });
    expect(actions(d).filter((a) => a.startsWith('evict'))).toHaveLength(3);
    expect(skipsOf(d, 'budget-exhausted')[0]?.reason).toContain('5 evictions here: budget of 3 evictions per run used');
  });

  it('waits as long as a 20-hour grace period takes, without forcing anything', () => {
    const pods = [buildPod('bg-1', onNode('n3'), grace(72000), terminating), buildPod('ds-n3', daemon, onNode('n3'))];
    const d = planNodes([...others(), draining('n3', NOW - 19 * 60 * MINUTE)], pods, { memory: drainMemory('n3', NOW - 19 * 60 * MINUTE) });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'waiting-for-termination')[0]?.reason).toContain('1 pod still terminating (longest grace 20h)');
  });

  it('stops the VM once only DaemonSet and mirror pods remain', () => {
    const pods = [buildPod('ds-n3', daemon, onNode('n3'))];
    const d = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3') });
    expect(actions(d)).toEqual(['stop-node n3']);
    expect(d.actions[0]?.reason).toContain('only DaemonSet/mirror pods remain');
    expect(d.memory.nodes.drains.n3?.stopRequestedAt).toBe(at(NOW));
  });

  it('does not stop a node in the tick that cordoned it: the next snapshot must confirm it is empty', () => {
    const nodes = [...others(), buildNode('n3')];
    const pods = [buildPod('ds-n3', daemon, onNode('n3')), ...podsOf('mdm', 'n1', 3)];
    const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes), policy: buildPolicy((p) => (p.nodes.minNodes = 1)) });
    expect(actions(d)).toContain('cordon n3');
    expect(actions(d)).not.toContain('stop-node n3');
  });

  it('waits for a requested stop, and requests it again after the stop timeout', () => {
    const pods = [buildPod('ds-n3', daemon, onNode('n3'))];
    const waiting = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3', NOW - 5 * MINUTE, { stopRequestedAt: at(NOW - 2 * MINUTE) }) });
    expect(actions(waiting)).toEqual([]);
    expect(skipsOf(waiting, 'stop-in-progress')).toHaveLength(1);
    const retry = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3', NOW - 30 * MINUTE, { stopRequestedAt: at(NOW - 11 * MINUTE) }) });
    expect(actions(retry)).toEqual(['stop-node n3']);
    expect(retry.actions[0]?.rule).toBe('stop-retry');
  });

  it('forgets a drain once the node shows as deallocated', () => {
    const d = planNodes([...others(), buildNode('n3', deallocated)], [], { memory: drainMemory('n3', NOW - 30 * MINUTE, { stopRequestedAt: at(NOW - 3 * MINUTE) }) });
    expect(d.memory.nodes.drains).toEqual({});
    expect(d.notes).toContain('node n3 is stopped; its drain is complete');
  });

  it('abandons a drain when a pod it may not evict is found there', () => {
    const pods = [buildPod('batch', onNode('n3'), ownedBy('Job', 'nightly'))];
    const d = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3') });
    // The freed drain slot goes to the next candidate in the same tick.
    expect(actions(d)).toEqual(['uncordon n3', 'cordon n2']);
    expect(d.actions[0]?.rule).toBe('drain-blocked-uncordon');
    expect(d.actions[0]?.reason).toContain('belongs to Job nightly');
    expect(Object.keys(d.memory.nodes.drains)).toEqual(['n2']);
  });

  it('resumes a drain from the node annotation when memory was lost', () => {
    const pods = podsOf('web', 'n3', 1);
    const d = planNodes([...others(), draining('n3')], pods, { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['evict clomo/web-n3-0']);
    expect(d.memory.nodes.drains.n3?.reason).toBe('resumed from the node annotation');
  });

  it('re-issues a cordon that never landed (no annotation on the node)', () => {
    const pods = podsOf('web', 'n3', 1);
    const d = planNodes([...others(), buildNode('n3')], pods, { memory: drainMemory('n3') });
    expect(actions(d)).toEqual(['cordon n3', 'evict clomo/web-n3-0']);
    expect(d.actions[0]?.rule).toBe('drain-cordon');
  });

  it('respects a person who uncordoned a draining node', () => {
    const node = buildNode('n3', nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) }));
    const d = planNodes([...others(), node], podsOf('web', 'n3', 1), { memory: drainMemory('n3'), policy: buildPolicy((p) => (p.nodes.minNodes = 3)) });
    expect(d.memory.nodes.drains).toEqual({});
    expect(d.notes[0]).toContain('uncordoned outside graceful-scaler');
    expect(actions(d)).toEqual([]);
  });
});

describe('node planner: up fast', () => {
  const stopped = (n: string) => buildNode(n, deallocated);

  it('starts stopped VMs in the morning, remembering them so they are not started twice', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), stopped('n4'), stopped('n5')];
    const d = planNodes(nodes, podsOf('mdm', 'n1', 4), { now: MORNING });
    expect(actions(d)).toEqual(['start-node n3', 'start-node n4', 'start-node n5']);
    expect(d.actions[0]?.reason).toContain('5 wanted, 2 running or on the way');
    expect(d.memory.nodes.starting.n3).toEqual({ since: at(MORNING), uncordonWhenReady: true });
    const again = planNodes(nodes, podsOf('mdm', 'n1', 4), { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(again)).toEqual([]);
  });

  it('grows the pool when no stopped VM is left, and waits for the new nodes', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3')];
    const d = planNodes(nodes, [], { now: MORNING });
    expect(actions(d)).toEqual(['start-node n3', 'add-nodes user 2']);
    expect(d.memory.nodes.provisioning).toEqual([{ pool: 'user', count: 2, since: at(MORNING), nodesBefore: 3 }]);
    const again = planNodes(nodes, [], { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(again)).toEqual([]);
    expect(skipsOf(again, 'provision-in-progress')[0]?.reason).toContain('2 new nodes of 2');
  });

  it('cancels a drain before starting any VM', () => {
    const nodes = [buildNode('n1'), buildNode('n2', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) })), stopped('n3')];
    const memory = buildMemory((m) => (m.nodes.drains.n2 = { since: at(NOW - 5 * MINUTE), reason: 'night' }));
    const d = planNodes(nodes, podsOf('mdm', 'n2', 10), { now: MORNING, memory });
    expect(actions(d).slice(0, 2)).toEqual(['uncordon n2', 'start-node n3']);
    expect(d.actions[0]?.rule).toBe('scale-up-cancel-drain');
    expect(d.memory.nodes.drains).toEqual({});
  });

  it('uncordons a started node once it is Ready', () => {
    const memory = buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - 2 * MINUTE), uncordonWhenReady: true }));
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned), buildNode('n4'), buildNode('n5')];
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(actions(d)).toEqual(['uncordon n3']);
    expect(d.actions[0]?.rule).toBe('started-node-ready');
    expect(Object.keys(d.memory.nodes.starting)).toEqual(['n3']); // until the uncordon shows
    const landed = planNodes(nodes.map((n) => (n.name === 'n3' ? buildNode('n3') : n)), [], { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(landed)).toEqual([]);
    expect(landed.memory.nodes.starting).toEqual({});
  });

  it('starts a VM again when the first start timed out', () => {
    const memory = buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - 15 * MINUTE), uncordonWhenReady: true }));
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5')];
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(skipsOf(d, 'start-timed-out')).toHaveLength(1);
    expect(actions(d)).toEqual(['start-node n3']);
  });

  it('adds nodes for a burst of Unschedulable pods beyond what the pod count suggests', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), stopped('n4')];
    const pods = [...podsOf('mdm', 'n1', 10), ...podsOf('mdm', 'n2', 10), ...Array.from({ length: 5 }, (_, i) => buildPod(`big-${i}`, unschedulable))];
    const d = planNodes(nodes, pods);
    // 25 pods / 20 = 2, fit 1, but 5 Unschedulable pods need one node beyond the 2 running
    expect(d.summary.nodes?.desired).toBe(3);
    expect(actions(d)).toEqual(['start-node n3']);
    expect(d.summary.nodes?.why).toContain('5 pods Unschedulable need 1 node beyond the 2 schedulable');
  });

  it('counts a new node still joining the cluster as on its way', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3'), buildNode('n4'), buildNode('n5', notReady, createdAt(MORNING - 2 * MINUTE))];
    const d = planNodes(nodes, [], { now: MORNING });
    expect(actions(d)).toEqual([]);
  });

  it('does not count a node cordoned by someone else as capacity', () => {
    const nodes = [buildNode('n1'), buildNode('n2', cordoned), stopped('n3')];
    const d = planNodes(nodes, []);
    expect(skipsOf(d, 'cordoned-by-someone-else').map((s) => s.target)).toEqual(['node/n2']);
    expect(actions(d)).toEqual(['start-node n3']);
  });
});

describe('node planner: overrides', () => {
  const override = (o: Partial<Memory['overrides'][number]>) =>
    buildMemory((m) => {
      m.overrides.push({ id: 'o1', scaler: 'nodes', mode: 'pause', reason: 'maintenance', createdAt: at(NOW - MINUTE), expiresAt: at(NOW + 60 * MINUTE), ...o });
    });

  it('does nothing while paused, and says what it would have wanted', () => {
    const nodes = [buildNode('n1'), buildNode('n2', deallocated)];
    const d = planNodes(nodes, [], { now: MORNING, memory: override({ mode: 'pause', expiresAt: at(MORNING + MINUTE) }) });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'paused')[0]?.reason).toContain('"maintenance"');
  });

  it('follows a pin above the schedule at night', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', deallocated)];
    const d = planNodes(nodes, [], { memory: override({ mode: 'pin', count: 3 }) });
    expect(d.summary.nodes).toMatchObject({ desired: 3, minNodes: 3, maxNodes: 3 });
    expect(actions(d)).toEqual(['start-node n3']);
  });

  it('says which override holds the count below what the load wants', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3'), buildNode('n4')];
    const pods = [...podsOf('mdm', 'n1', 25), ...podsOf('web', 'n2', 25), ...podsOf('api', 'n3', 25), ...podsOf('bg', 'n4', 5)];
    const d = planNodes(nodes, pods, { memory: override({ mode: 'bounds', max: 3, reason: 'budget freeze' }) });
    expect(d.summary.nodes?.desired).toBe(3);
    expect(d.summary.nodes?.why).toMatch(/capped at the maximum 3 \(override o1 \(bounds -\.\.3, until [^)]*: "budget freeze"\) narrows to \d+\.\.3\)/);
  });

  it('drops an expired override and says so', () => {
    const nodes = [buildNode('n1'), buildNode('n2')];
    const d = planNodes(nodes, [], { memory: override({ mode: 'pin', count: 5, expiresAt: at(NOW - MINUTE) }) });
    expect(d.memory.overrides).toEqual([]);
    expect(d.notes[0]).toContain('override o1 (pin at 5');
    expect(d.notes[0]).toContain('expired');
    expect(d.summary.nodes?.desired).toBe(2);
  });
});
