// The node planner, down slow: the stabilisation window, the drain limit and the choice of candidates.

import { describe, expect, it } from 'vitest';
import { BUSY, DRAINING_SINCE, SAFE_TO_EVICT, SCALE_DOWN_DISABLED, DO_NOT_DISRUPT } from '../../../core/annotations';
import { controllerKey, type NodeView, type PodView } from '../../../core/views';
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
  daemon,
  inNamespace,
  labelled,
  podCreatedAt,
  cordoned,
  deallocated,
  grace,
  maxPods,
  noController,
  nodeAnnotated,
  nodeLabelled,
  onNode,
  ownedBy,
  podsOf,
  repelling,
  requiringNodes,
  startedAt,
  tainted,
} from '../../builders/views';
import { actions, lowForTenMinutes, planNodes, quietNight, skipsOf } from './fixtures';

describe('node planner: down slow', () => {
  it('lets nodes with no workload pod go beside the drains, as many as a run may stop: nothing to evict holds no slot', () => {
    // After a spike: ten nodes up, six of them empty (DaemonSets only), two needed; one drain slot.
    // An eleventh, empty too, may not be scaled down: it is neither drained nor asked for.
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => buildNode(`n${i}`)),
      buildNode('nx', nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true' })),
    ];
    const pods = [
      ...nodes.map((n) => buildPod(`kube-proxy-${n.name}`, daemon, onNode(n.name))),
      ...podsOf('mdm', 'n0', 6),
      ...podsOf('mdm', 'n1', 6),
      ...podsOf('mdm', 'n2', 2),
      ...podsOf('mdm', 'n3', 3),
    ];
    const policy = buildPolicy((p) => {
      p.nodes.maxConcurrentDrains = 1;
      p.nodes.maxStopsPerRun = 6;
    });
    const memory = buildMemory(lowForTenMinutes);
    const d = planNodes(nodes, pods, { memory, policy });
    const first = d.actions.filter((a) => a.rule === 'scale-down-cordon').map((a) => (a.type === 'cordon' ? a.node : ''));
    // The six empty ones, and one more in the one slot: n2, the fewest pods.
    expect(first.sort()).toEqual(['n2', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
    expect(skipsOf(d, 'blocked-by-pod')).toEqual([]);
    // With the slot taken, the next tick still lets an empty node go, and no other.
    const taken = nodes.map((n) =>
      n.name === 'n3' ? buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - MINUTE) })) : n,
    );
    const busy = buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains['n3'] = { since: at(NOW - MINUTE), reason: 'test' };
    });
    const next = planNodes(taken, pods, { memory: busy, policy });
    const more = next.actions.filter((a) => a.rule === 'scale-down-cordon').map((a) => (a.type === 'cordon' ? a.node : ''));
    expect(more.sort()).toEqual(['n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
    // As many at once as a run may stop (maxStopsPerRun): with 2, two empty nodes beside the one
    // slot, which goes to the next empty one (soonest empty first).
    const fewer = planNodes(nodes, pods, { memory, policy: buildPolicy((p) => (p.nodes.maxConcurrentDrains = 1)) });
    const two = fewer.actions.filter((a) => a.rule === 'scale-down-cordon').map((a) => (a.type === 'cordon' ? a.node : ''));
    expect(two.sort()).toEqual(['n7', 'n8', 'n9']);
  });

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

  it('drains no node that is up to make room for a start that is overdue, which may never come', () => {
    const { pods } = quietNight();
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n5', deallocated)];
    const onTwo = pods.filter((p) => p.node === 'n1' || p.node === 'n2');
    const started = (ago: number) =>
      buildMemory((m) => {
        lowForTenMinutes(m);
        m.nodes.starting.n5 = { since: at(NOW - ago), uncordonWhenReady: true };
      });
    // Started 5 minutes ago and still not Ready: 2 up, 2 needed, nothing to drain.
    expect(actions(planNodes(nodes, onTwo, { memory: started(5 * MINUTE) }))).toEqual([]);
    const stalled = started(MINUTE);
    stalled.nodes.starting.n5!.stalled = at(NOW);
    expect(actions(planNodes(nodes, onTwo, { memory: stalled }))).toEqual([]);
  });

  it('cordons the node with the fewest workload pods and evicts them in the same tick', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    const cordon = d.actions[0]!;
    expect(cordon.rule).toBe('scale-down-cordon');
    expect(cordon.reason).toContain('4 nodes > 2 needed for 10m');
    expect(cordon.reason).toContain('1 workload pod here, the soonest empty among candidates');
    expect(d.memory.nodes.drains.n4?.since).toBe(at(NOW));
  });

  it('drains first the node that will empty soonest: a busy long-grace worker keeps its node for hours, more quick pods do not', () => {
    const { nodes, pods } = quietNight();
    // n4's one pod is a busy BG worker with a 20-hour grace period; n3's two MDM pods leave in seconds.
    const busy = buildPod('bg-n4', onNode('n4'), grace(20 * 3600), annotated({ [BUSY]: 'true' }));
    const withBusy = [...pods.filter((p) => p.node !== 'n4' || p.daemonSet), busy];
    const d = planNodes(nodes, withBusy, { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d).slice(0, 1)).toEqual(['cordon n3']);
    // The same worker idle (busy=false) stops at once: n4, with one pod, goes first again.
    const idle = { ...busy, annotations: { [BUSY]: 'false' } };
    const again = planNodes(nodes, [...withBusy.filter((p) => p !== busy), idle], { memory: buildMemory(lowForTenMinutes) });
    expect(actions(again).slice(0, 1)).toEqual(['cordon n4']);
  });

  it('names the slow pods in the reason when every candidate has some', () => {
    const { nodes, pods } = quietNight();
    const slow = (name: string, node: string) => buildPod(name, onNode(node), grace(20 * 3600));
    const d = planNodes(nodes, [...pods, slow('bg-a', 'n3'), slow('bg-b', 'n4'), slow('bg-c', 'n1'), slow('bg-d', 'n2')], {
      memory: buildMemory(lowForTenMinutes),
    });
    const cordon = d.actions.find((a) => a.type === 'cordon');
    expect(cordon?.node).toBe('n4');
    expect(cordon?.reason).toContain('2 workload pods here, 1 of them slow to leave (grace 10m or more, not idle)');
  });

  it('drains no more nodes at once than maxConcurrentDrains', () => {
    const { nodes, pods } = quietNight();
    const memory = buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains.n3 = { since: at(NOW - 20 * MINUTE), reason: 'earlier' };
    });
    const withN3Cordoned = nodes.map((n) =>
      n.name === 'n3' ? buildNode('n3', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 20 * MINUTE) })) : n,
    );
    const d = planNodes(withN3Cordoned, pods, { memory });
    expect(actions(d)).toEqual(['evict clomo/mdm-n3-0', 'evict clomo/mdm-n3-1']);
    expect(skipsOf(d, 'drain-limit')[0]?.reason).toContain('1 drain already in progress (maxConcurrentDrains 1)');
  });

  const refusals: { name: string; node: (n: string) => NodeView; pod?: (n: string) => PodView; rule: string; says: string }[] = [
    {
      name: 'a node labelled clomo/BatchDeployable',
      node: (n) => buildNode(n, nodeLabelled({ 'clomo/BatchDeployable': 'true' })),
      rule: 'protected-label',
      says: 'labelled clomo/BatchDeployable',
    },
    {
      name: 'a node annotated scale-down-disabled',
      node: (n) => buildNode(n, nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true' })),
      rule: 'scale-down-disabled',
      says: SCALE_DOWN_DISABLED,
    },
    {
      name: 'a node annotated do-not-disrupt',
      node: (n) => buildNode(n, nodeAnnotated({ [DO_NOT_DISRUPT]: 'true' })),
      rule: 'do-not-disrupt',
      says: DO_NOT_DISRUPT,
    },
    {
      name: "a node running a Job's pod",
      node: (n) => buildNode(n),
      pod: (n) => buildPod('batch-1', onNode(n), ownedBy('Job', 'daily-batch')),
      rule: 'blocked-by-pod',
      says: 'belongs to Job daily-batch',
    },
    {
      name: 'a node running a pod with no controller',
      node: (n) => buildNode(n),
      pod: (n) => buildPod('debug', onNode(n), noController),
      rule: 'blocked-by-pod',
      says: 'has no controller',
    },
    {
      name: 'a node running a pod marked safe-to-evict=false',
      node: (n) => buildNode(n),
      pod: (n) => buildPod('web-x', onNode(n), annotated({ [SAFE_TO_EVICT]: 'false' })),
      rule: 'blocked-by-pod',
      says: 'safe-to-evict=false',
    },
    {
      name: 'a node running a pod marked do-not-disrupt',
      node: (n) => buildNode(n),
      pod: (n) => buildPod('web-y', onNode(n), annotated({ [DO_NOT_DISRUPT]: 'true' })),
      rule: 'blocked-by-pod',
      says: 'do-not-disrupt=true',
    },
    {
      name: 'a node running a young kube-system pod no PDB covers',
      node: (n) => buildNode(n),
      pod: (n) => buildPod('coredns-1', onNode(n), inNamespace('kube-system'), podCreatedAt(NOW - 10 * MINUTE)),
      rule: 'blocked-by-pod',
      says: 'kube-system-pod, UnmovableKubeSystemPod',
    },
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

  it('never picks a node whose pod sits behind a PodDisruptionBudget at zero (NotEnoughPdb), and tries the next', () => {
    const { nodes, pods } = quietNight();
    const guarded = buildPod('guarded-0', onNode('n9'), labelled({ app: 'guarded' }));
    const d = planNodes([...nodes, buildNode('n9')], [...pods, guarded], {
      memory: buildMemory(lowForTenMinutes),
      pdbs: [buildPdb('guarded', 'app=guarded', 0)],
    });
    const [refused] = skipsOf(d, 'not-enough-pdb');
    expect(refused?.target).toBe('node/n9');
    expect(refused?.reason).toContain('pod clomo/guarded-0: PodDisruptionBudget clomo/guarded allows no disruption now');
    expect(refused?.reason).toContain('NotEnoughPdb');
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
  });

  it('drains no node whose pods would find no room on the nodes that stay (NoPlaceToMovePods), and keeps the room one drain takes from the next', () => {
    const { pods } = quietNight();
    // n2 and n3 take none of these pods (a taint they do not tolerate); n1 takes 8 pods, 6 there.
    const dedicated = tainted('dedicated', 'batch', 'NoSchedule');
    const nodes = [buildNode('n1', maxPods(8)), buildNode('n2', dedicated), buildNode('n3', dedicated), buildNode('n4')];
    const policy = buildPolicy((p) => {
      p.nodes!.maxConcurrentDrains = 2;
    });
    const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes), policy });
    // 4 up, 2 needed, 2 drains allowed: n4's one pod fits on n1, so n4 drains; n3's two pods then find room for one
    // only (n1 holds n4's pod now, n4 is leaving), so n3 stays though the arithmetic would drain it.
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    const [refused] = skipsOf(d, 'no-room-elsewhere');
    expect(refused?.target).toBe('node/n3');
    expect(refused?.reason).toContain(
      'its pods would not all find room on the 3 other schedulable nodes (1 of 2 placed; no room for clomo/mdm-n3-',
    );
    expect(refused?.reason).toContain('NoPlaceToMovePods');

    // With no room on n1 either (3 nodes needed now), n4's pod has nowhere to go; n3 drains instead,
    // its pods going to n4, which stays.
    const full = [buildNode('n1', maxPods(6)), ...nodes.slice(1)];
    const instead = planNodes(full, pods, { memory: buildMemory(lowForTenMinutes), policy });
    expect(skipsOf(instead, 'no-room-elsewhere').map((s) => s.target)).toEqual(['node/n4']);
    expect(actions(instead)[0]).toBe('cordon n3');
  });

  it("places a drain's pods only on nodes their required node affinity allows", () => {
    // n1 and n2 in zone 1; n3 and n4 in zone 2, n3 cordoned by someone: n4's panel pod must stay in zone 2.
    const zone = (z: string) => nodeLabelled({ 'topology.kubernetes.io/zone': z });
    const nodes = [
      buildNode('n1', zone('1')),
      buildNode('n2', zone('1')),
      buildNode('n3', zone('2'), cordoned),
      buildNode('n4', zone('2')),
    ];
    const { pods } = quietNight();
    const panelRequiring = (...terms: Record<string, string>[]) =>
      pods.map((p) => (p.name.startsWith('panel') ? buildPod(p.name, onNode('n4'), requiringNodes(...terms)) : p));
    const d = planNodes(nodes, panelRequiring({ 'topology.kubernetes.io/zone': '2' }), { memory: buildMemory(lowForTenMinutes) });
    expect(skipsOf(d, 'no-room-elsewhere').map((s) => s.target)).toEqual(['node/n4']);
    expect(actions(d)).not.toContain('cordon n4');
    // Allowed in zone 1 as well (a second term), it finds room there and n4 drains.
    const either = panelRequiring({ 'topology.kubernetes.io/zone': '2' }, { 'topology.kubernetes.io/zone': '1' });
    const drained = planNodes(nodes, either, { memory: buildMemory(lowForTenMinutes) });
    expect(skipsOf(drained, 'no-room-elsewhere')).toEqual([]);
    expect(actions(drained)[0]).toBe('cordon n4');
  });

  it('places no pod where a required pod anti-affinity keeps it off: its own, or that of the pods already there', () => {
    // One panel replica per node (anti-affinity by hostname); n4 carries only a panel pod.
    const plan = (panelsOn: string[], moverRepels: boolean, othersRepel: boolean) => {
      const { nodes, pods } = quietNight();
      const panel = { app: 'panel' };
      const others = panelsOn.map((n) => buildPod(`panel-${n}-x`, onNode(n), labelled(panel), ...(othersRepel ? [repelling(panel)] : [])));
      const mover = buildPod('panel-n4-0', onNode('n4'), labelled(panel), ...(moverRepels ? [repelling(panel)] : []));
      const rest = pods.filter((p) => !p.name.startsWith('panel'));
      return planNodes(nodes, [...rest, mover, ...others], { memory: buildMemory(lowForTenMinutes) });
    };
    // A panel on n1, n2 and n3: n4's has no node to go to, whichever side carries the term.
    for (const [moverRepels, othersRepel] of [
      [true, true],
      [true, false],
      [false, true],
    ] as const) {
      const d = plan(['n1', 'n2', 'n3'], moverRepels, othersRepel);
      expect(skipsOf(d, 'no-room-elsewhere').map((s) => s.target)).toContain('node/n4');
      expect(actions(d)).not.toContain('cordon n4');
    }
    // n3 free of panels: n4's goes there and n4 drains.
    expect(actions(plan(['n1', 'n2'], true, true))[0]).toBe('cordon n4');
    // Without any term the panels may share nodes.
    expect(actions(plan(['n1', 'n2', 'n3'], false, false))[0]).toBe('cordon n4');
  });

  it('keeps one replica per zone when the term names the zone, and counts the pods an earlier candidate placed', () => {
    const zone = (z: string) => nodeLabelled({ 'topology.kubernetes.io/zone': z });
    const nodes = [buildNode('n1', zone('1')), buildNode('n2', zone('1')), buildNode('n3', zone('2')), buildNode('n4', zone('3'))];
    const oneZone = repelling({ app: 'panel' }, 'topology.kubernetes.io/zone');
    const panel = (name: string, node: string, ...muts: Parameters<typeof buildPod>[1][]) =>
      buildPod(name, onNode(node), labelled({ app: 'panel' }), ...muts);
    const policy = buildPolicy((p) => (p.nodes!.maxConcurrentDrains = 3));
    // panel-a with the term itself, or only panel-b (placed first) carrying it.
    for (const aRepels of [true, false]) {
      const pods = [
        ...podsOf('mdm', 'n1', 6),
        ...podsOf('mdm', 'n2', 6),
        panel('panel-a', 'n3', ...(aRepels ? [oneZone] : [])),
        panel('panel-b', 'n4', oneZone),
      ];
      const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes), policy });
      // n4 goes first (one pod, newest): panel-b moves to zone 1. panel-a then has no zone left (zone 1 takes
      // panel-b, zone 3 is leaving), so n3 stays and n2 drains instead.
      expect(actions(d).filter((a) => a.startsWith('cordon'))).toEqual(['cordon n4', 'cordon n2']);
      const [refused] = skipsOf(d, 'no-room-elsewhere');
      expect(refused?.target).toBe('node/n3');
      expect(refused?.reason).toContain('no room for clomo/panel-a');
    }
  });

  it('drains no further than leaves cpu and memory 94% full (hysteresis), and says so', () => {
    // 4 nodes with 3.85 cpu each for workloads after kube-proxy; 12 pods of `cpu` each and the panel's 0.1.
    const plan = (cpu: number) => {
      const { nodes, pods } = quietNight();
      const sized = pods.map((p) => (p.name.startsWith('mdm') ? { ...p, requests: { ...p.requests, cpuMilli: cpu } } : p));
      return planNodes(nodes, sized, { memory: buildMemory(lowForTenMinutes) });
    };
    // 12 x 0.9 + 0.1 = 10.9 cpu: 3 nodes would be 94% full (the count alone drains one), 4 are 71%.
    const held = plan(900);
    expect(actions(held)).toEqual([]);
    const [packing] = skipsOf(held, 'scale-down-packing');
    expect(packing?.reason).toContain('4 nodes, desired 3 nodes');
    expect(packing?.reason).toContain(
      "a scale-down leaves cpu and memory requests at most 94% of the nodes' room (the scheduler cannot fill the last pieces): 10.9 cpu at 3.62 per node = 4",
    );
    // 12 x 0.8 + 0.1 = 9.7 cpu: 3 nodes would be 84% full, so one node drains.
    expect(actions(plan(800))[0]).toBe('cordon n4');
  });

  it('picks a node whose PodDisruptionBudget allows one disruption, however many pods it covers there', () => {
    const { nodes, pods } = quietNight();
    const pdbs = [buildPdb('panel', 'app=panel', 1)];
    const labelledPods = pods.map((p) => (p.name.startsWith('panel') ? { ...p, labels: { app: 'panel' } } : p));
    const d = planNodes(nodes, labelledPods, { memory: buildMemory(lowForTenMinutes), pdbs });
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
  });

  it('never picks a node holding a pod whose ReplicaSet no longer exists (ControllerNotFound)', () => {
    const { nodes, pods } = quietNight();
    const controllers = {
      kinds: new Set(['ReplicaSet', 'DaemonSet']),
      names: new Set([controllerKey('ReplicaSet', 'clomo', 'mdm-rs'), controllerKey('DaemonSet', 'kube-system', 'kube-proxy')]),
    };
    const d = planNodes(nodes, pods, { memory: buildMemory(lowForTenMinutes), controllers });
    const skip = d.skipped.find((s) => s.target === 'node/n4');
    expect(skip?.rule).toBe('blocked-by-pod');
    expect(skip?.reason).toContain('owned by ReplicaSet panel-rs, which no longer exists');
    expect(skip?.reason).toContain('controller-not-found, ControllerNotFound');
    expect(actions(d)[0]).toBe('cordon n3');
  });

  it('ranks a node that must wait for an on-completion pod after every other candidate', () => {
    const { nodes, pods } = quietNight();
    const report = buildPod('report-1', onNode('n9'), ownedBy('Job', 'nightly-report'), annotated({ [SAFE_TO_EVICT]: 'on-completion' }));
    const d = planNodes([...nodes, buildNode('n9')], [...pods, report], { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
  });

  it('among nodes waiting for on-completion pods, drains first the one whose pods have run longest', () => {
    const protectedNodes = ['n1', 'n2', 'n3'].map((n) => buildNode(n, nodeLabelled({ 'clomo/BatchDeployable': 'true' })));
    const job = (name: string, node: string, hoursAgo: number) =>
      buildPod(
        name,
        onNode(node),
        ownedBy('Job', name),
        annotated({ [SAFE_TO_EVICT]: 'on-completion' }),
        startedAt(NOW - hoursAgo * 60 * MINUTE),
      );
    const nodes = [...protectedNodes, buildNode('n8'), buildNode('n9')];
    // n9 would go first by name (the newest VM); its report began an hour ago, n8's nineteen hours ago.
    const d = planNodes(nodes, [job('report-young', 'n9', 1), job('report-old', 'n8', 19)], { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['cordon n8']);
    // The other way round, n9 goes first.
    const swapped = planNodes(nodes, [job('report-old', 'n9', 19), job('report-young', 'n8', 1)], {
      memory: buildMemory(lowForTenMinutes),
    });
    expect(actions(swapped)).toEqual(['cordon n9']);
  });

  it('drains around an on-completion pod when its node is the only candidate, and never evicts it', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => buildNode(n, nodeLabelled({ 'clomo/BatchDeployable': 'true' })));
    const report = buildPod('report-1', onNode('n9'), ownedBy('Job', 'nightly-report'), annotated({ [SAFE_TO_EVICT]: 'on-completion' }));
    const d = planNodes([...nodes, buildNode('n9')], [report, buildPod('web-1', onNode('n9'))], { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['cordon n9', 'evict clomo/web-1']);
    expect(d.actions[0]?.reason).toContain(
      'stopped only once clomo/report-1 (cluster-autoscaler.kubernetes.io/safe-to-evict=on-completion) finished',
    );
  });
});
