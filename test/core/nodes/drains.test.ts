// The node planner, drains tick after tick: evictions within PDBs and budgets, stops, abandoned and resumed drains.

import { describe, expect, it } from 'vitest';
import { DRAINING_SINCE, SAFE_TO_EVICT } from '../../../core/annotations';
import {
  MINUTE,
  NOW,
  at,
  buildMemory,
  buildNode,
  buildPdb,
  buildPod,
  buildPolicy,
  cordoned,
  annotated,
  deletingAt,
  daemon,
  deallocated,
  grace,
  labelled,
  notReady,
  nodeAnnotated,
  onNode,
  ownedBy,
  podsOf,
  terminating,
} from '../../builders/views';
import { actions, lowForTenMinutes, planNodes, skipsOf } from './fixtures';

describe('node planner: draining, tick after tick', () => {
  const draining = (name: string, since = NOW - 5 * MINUTE, ...more: Parameters<typeof buildNode>[1][]) =>
    buildNode(name, cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(since) }), ...more);
  const drainMemory = (name: string, since = NOW - 5 * MINUTE, extra: object = {}) =>
    buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.drains[name] = { since: at(since), reason: 'night', ...extra };
    });
  const others = () => [buildNode('n1'), buildNode('n2')];
  /**
   * n3 drains for real; memory says n4 (uncordoned, no annotation, three MDM pods landed on it) is on
   * its way down, its times in minutes ago; one disruption allowed across both.
   */
  const besideUncordonedStop = (n4: ReturnType<typeof buildNode>, ago: { since: number; stopAsked: number; firstAsked: number }) => {
    const memory = drainMemory('n3');
    memory.nodes.drains['n4'] = {
      since: at(NOW - ago.since * MINUTE),
      reason: 'night',
      stopRequestedAt: at(NOW - ago.stopAsked * MINUTE),
      stopFirstRequestedAt: at(NOW - ago.firstAsked * MINUTE),
    };
    const pods = [...podsOf('mdm', 'n4', 3, labelled({ app: 'mdm' })), ...podsOf('mdm', 'n3', 1, labelled({ app: 'mdm' }))];
    return planNodes([...others(), draining('n3'), n4], pods, { memory, pdbs: [buildPdb('mdm', 'app=mdm', 1)] });
  };

  it('evicts what the PodDisruptionBudget allows and leaves the rest for the next tick', () => {
    const pods = podsOf('mdm', 'n3', 3, labelled({ app: 'mdm' }));
    const d = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3'), pdbs: [buildPdb('mdm', 'app=mdm', 1)] });
    expect(actions(d)).toEqual(['evict clomo/mdm-n3-0']);
    const refused = skipsOf(d, 'pdb-blocks');
    expect(refused).toHaveLength(2);
    expect(refused[0]?.reason).toContain('PodDisruptionBudget clomo/mdm allows no disruption now');
    // The budget allowed one, which this tick spent: the reason says so rather than "disruptionsAllowed 1".
    expect(refused[0]?.reason).toContain('its 1 allowed disruption is spent on this run');
    const none = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3'), pdbs: [buildPdb('mdm', 'app=mdm', 0)] });
    expect(skipsOf(none, 'pdb-blocks')[0]?.reason).toContain('allows no disruption now (disruptionsAllowed 0)');
  });

  it('forgets the drain of a node given back whose memory was lost, and spends the PodDisruptionBudget on the drains that are still ours', () => {
    // n4 was given back (uncordoned, annotation removed) after its VM would not stop, and the save of
    // that was lost: memory still says it is on its way down. Pods have landed on it since.
    const d = besideUncordonedStop(buildNode('n4'), { since: 140, stopAsked: 125, firstAsked: 145 });
    expect(actions(d).filter((a) => a.startsWith('evict'))).toEqual(['evict clomo/mdm-n3-0']);
    expect(d.memory.nodes.drains['n4']).toBeUndefined();
    expect(d.notes.join('\n')).toContain('node n4 is Ready and uncordoned although its stop was asked');
  });

  it('evicts nothing from a node on its way down that is not cordoned, and leaves the PodDisruptionBudget to the drains that are', () => {
    // n4: stop asked, NotReady (its VM mid-deallocation or failed), uncordoned without our annotation.
    // Nothing re-cordons a node on the way down, so evictions there would be refused as stale.
    const d = besideUncordonedStop(buildNode('n4', notReady), { since: 30, stopAsked: 5, firstAsked: 5 });
    expect(actions(d).filter((a) => a.startsWith('evict'))).toEqual(['evict clomo/mdm-n3-0']);
    const skipped = skipsOf(d, 'not-cordoned');
    expect(skipped.map((s) => s.target)).toEqual(['node/n4']);
    expect(skipped[0]?.reason).toContain(`deallocation asked ${at(NOW - 5 * MINUTE)} but the node is not cordoned`);
    expect(d.memory.nodes.drains['n4']?.stopRequestedAt).toBe(at(NOW - 5 * MINUTE));
  });

  it('ends the drain of such a node once its stop has been asked for three stop timeouts, freeing its slot without an uncordon', () => {
    const d = besideUncordonedStop(buildNode('n4', notReady), { since: 60, stopAsked: 5, firstAsked: 35 });
    expect(d.memory.nodes.drains['n4']).toBeUndefined();
    expect(d.memory.nodes.failedStops?.['n4']?.reason).toContain(`deallocation asked since ${at(NOW - 35 * MINUTE)}`);
    expect(actions(d).filter((a) => a.includes('n4'))).toEqual([]);
    expect(skipsOf(d, 'not-cordoned')).toEqual([]);
    expect(d.notes.join('\n')).toContain('node n4: its VM will not deallocate');
    expect(actions(d).filter((a) => a.startsWith('evict'))).toEqual(['evict clomo/mdm-n3-0']);
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
    const waiting = planNodes([...others(), draining('n3')], pods, {
      memory: drainMemory('n3', NOW - 5 * MINUTE, { stopRequestedAt: at(NOW - 2 * MINUTE) }),
    });
    expect(actions(waiting)).toEqual([]);
    expect(skipsOf(waiting, 'stop-in-progress')).toHaveLength(1);
    const retry = planNodes([...others(), draining('n3')], pods, {
      memory: drainMemory('n3', NOW - 30 * MINUTE, { stopRequestedAt: at(NOW - 11 * MINUTE) }),
    });
    expect(actions(retry)).toEqual(['stop-node n3']);
    expect(retry.actions[0]?.rule).toBe('stop-retry');
  });

  it('gives back a node whose VM will not deallocate after three stop timeouts, and drains others first', () => {
    const pods = [buildPod('ds-n3', daemon, onNode('n3'))];
    const first = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3') });
    expect(actions(first)).toEqual(['stop-node n3']);
    expect(first.memory.nodes.drains.n3).toMatchObject({ stopRequestedAt: at(NOW), stopFirstRequestedAt: at(NOW) });
    // Retried after each stop timeout; the first request is kept.
    const later = planNodes([...others(), draining('n3')], pods, {
      memory: drainMemory('n3', NOW - 40 * MINUTE, { stopRequestedAt: at(NOW - 11 * MINUTE), stopFirstRequestedAt: at(NOW - 21 * MINUTE) }),
    });
    expect(later.actions.map((a) => a.rule)).toEqual(['stop-retry']);
    expect(later.memory.nodes.drains.n3?.stopFirstRequestedAt).toBe(at(NOW - 21 * MINUTE));
    // A refused stop forgets stopRequestedAt (runner/run-tick.ts), not the first request: given back at 30m.
    const given = planNodes([...others(), draining('n3')], pods, {
      memory: drainMemory('n3', NOW - 40 * MINUTE, { stopFirstRequestedAt: at(NOW - 30 * MINUTE) }),
    });
    expect(actions(given)).toEqual(['uncordon n3']);
    expect(given.actions[0]).toMatchObject({ rule: 'stop-given-up' });
    expect(given.actions[0]?.reason).toContain(`deallocation asked since ${at(NOW - 30 * MINUTE)}`);
    expect(given.actions[0]?.reason).toContain('has not taken effect after 30m');
    expect(given.memory.nodes.drains).toEqual({});
    expect(given.memory.nodes.failedStops?.n3?.at).toBe(at(NOW));
    // Its uncordon did not land (an operation still in progress): the drain, resumed from the node's
    // annotation, gives it back again rather than asking for another stop.
    const again = planNodes([...others(), draining('n3')], pods, { memory: given.memory, now: NOW + MINUTE });
    expect(actions(again)).toEqual(['uncordon n3']);
    expect(again.memory.nodes.failedStops?.n3?.at).toBe(at(NOW));
  });

  it('passes over a node given back recently when choosing the next to drain', () => {
    const memory = buildMemory((m) => {
      lowForTenMinutes(m);
      m.nodes.failedStops = { n3: { at: at(NOW - 20 * MINUTE), reason: 'deallocation has not taken effect after 30m' } };
    });
    // n3 is the emptiest, so it would go first.
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3')];
    const pods = [...podsOf('mdm', 'n1', 2), ...podsOf('mdm', 'n2', 3)];
    const policy = buildPolicy((p) => {
      p.nodes.minNodes = 1;
      p.nodes.maxConcurrentDrains = 1;
    });
    const d = planNodes(nodes, pods, { memory, policy });
    expect(actions(d).filter((a) => a.startsWith('cordon'))).toEqual(['cordon n1']);
    expect(skipsOf(d, 'stop-failed-recently')[0]?.reason).toContain(`given back ${at(NOW - 20 * MINUTE)}`);
    // Two hours on, it is a candidate like any other.
    const d2 = planNodes(nodes, pods, { memory, policy, now: NOW + 2 * 60 * MINUTE });
    expect(actions(d2).filter((a) => a.startsWith('cordon'))).toEqual(['cordon n3']);
  });

  it('forgets a drain once the node shows as deallocated', () => {
    const d = planNodes([...others(), buildNode('n3', deallocated)], [], {
      memory: drainMemory('n3', NOW - 30 * MINUTE, { stopRequestedAt: at(NOW - 3 * MINUTE) }),
    });
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
    const d = planNodes([...others(), node], podsOf('web', 'n3', 1), {
      memory: drainMemory('n3'),
      policy: buildPolicy((p) => (p.nodes.minNodes = 3)),
    });
    expect(d.memory.nodes.drains).toEqual({});
    expect(d.notes[0]).toContain('uncordoned outside graceful-scaler');
    expect(actions(d)).toEqual([]);
  });

  it('never evicts an on-completion pod and stops the node only once it finished', () => {
    const report = buildPod('report-1', onNode('n3'), ownedBy('Job', 'nightly-report'), annotated({ [SAFE_TO_EVICT]: 'on-completion' }));
    const pods = [report, buildPod('ds-n3', daemon, onNode('n3'))];
    const d = planNodes([...others(), draining('n3')], pods, { memory: drainMemory('n3') });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'waiting-for-completion')[0]?.reason).toContain('clomo/report-1');
    const done = planNodes([...others(), draining('n3')], [{ ...report, phase: 'Succeeded' as const }, pods[1]!], {
      memory: drainMemory('n3'),
    });
    expect(actions(done)).toEqual(['stop-node n3']);
  });

  it('gives up the drain slot when the last pods are stuck terminating past their grace period, naming them', () => {
    const stuck = buildPod('web-1', onNode('n3'), deletingAt(NOW - 3 * MINUTE));
    const nodes = [...others(), buildNode('n4'), draining('n3')];
    const pods = [stuck, ...podsOf('panel', 'n4', 1), ...podsOf('mdm', 'n1', 3), ...podsOf('mdm', 'n2', 3)];
    const d = planNodes(nodes, pods, { memory: drainMemory('n3') });
    const [skip] = skipsOf(d, 'stuck-terminating');
    expect(skip?.target).toBe('node/n3');
    expect(skip?.reason).toContain('clomo/web-1 (deletionTimestamp 2026-11-29T17:57:00.000Z)');
    expect(skip?.reason).toContain('stays cordoned');
    // The slot went to another node (maxConcurrentDrains 1), and n3 stays cordoned: no uncordon, no stop.
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    expect(d.memory.nodes.drains.n3).toBeDefined();
  });

  it('gives up the drain slot while the node waits only for long work (a 20-hour grace), and stops it once empty', () => {
    // An evicted busy worker finishing its job: deletionTimestamp hours ahead.
    const finishing = buildPod('bg-1', onNode('n3'), grace(20 * 3600), deletingAt(NOW + 5 * 3600_000));
    const nodes = [...others(), buildNode('n4'), draining('n3')];
    const pods = [finishing, ...podsOf('panel', 'n4', 1), ...podsOf('mdm', 'n1', 3), ...podsOf('mdm', 'n2', 3)];
    const d = planNodes(nodes, pods, { memory: drainMemory('n3') });
    const [wait] = skipsOf(d, 'waiting-for-termination');
    expect(wait?.reason).toContain('its drain slot is free for another node meanwhile');
    // maxConcurrentDrains 1: the slot went to n4; n3 stays cordoned, neither given back nor stopped.
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    expect(skipsOf(d, 'drain-limit')).toEqual([]);
    expect(d.memory.nodes.drains.n3).toBeDefined();
    const gone = planNodes(nodes, pods.slice(1), { memory: drainMemory('n3') });
    expect(actions(gone)).toContain('stop-node n3');
  });

  it('keeps the slot while a terminating pod is within its grace period and the margin', () => {
    const leaving = buildPod('web-1', onNode('n3'), deletingAt(NOW - MINUTE));
    const nodes = [...others(), buildNode('n4'), draining('n3')];
    const pods = [leaving, ...podsOf('panel', 'n4', 1), ...podsOf('mdm', 'n1', 3), ...podsOf('mdm', 'n2', 3)];
    const d = planNodes(nodes, pods, { memory: drainMemory('n3') });
    expect(skipsOf(d, 'stuck-terminating')).toEqual([]);
    expect(skipsOf(d, 'waiting-for-termination')).toHaveLength(1);
    expect(skipsOf(d, 'drain-limit')).toHaveLength(1);
    expect(actions(d)).toEqual([]);
  });

  it('judges a terminating pod without a deletionTimestamp by its grace period: 30 s keeps the slot', () => {
    const leaving = buildPod('web-1', onNode('n3'), terminating);
    const nodes = [...others(), buildNode('n4'), draining('n3')];
    const pods = [leaving, ...podsOf('panel', 'n4', 1), ...podsOf('mdm', 'n1', 3), ...podsOf('mdm', 'n2', 3)];
    const d = planNodes(nodes, pods, { memory: drainMemory('n3') });
    expect(skipsOf(d, 'waiting-for-termination')[0]?.reason).not.toContain('its drain slot is free');
    expect(skipsOf(d, 'drain-limit')).toHaveLength(1);
    const long = planNodes(nodes, [buildPod('bg-1', onNode('n3'), terminating, grace(20 * 3600)), ...pods.slice(1)], {
      memory: drainMemory('n3'),
    });
    expect(skipsOf(long, 'waiting-for-termination')[0]?.reason).toContain('its drain slot is free');
    expect(skipsOf(long, 'drain-limit')).toEqual([]);
  });
});
