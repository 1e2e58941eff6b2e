// Where a node stands: the pure classifier the node planner and the status page share. Each case
// checks the state, what is remembered afterwards, and the rule and words of what it implies.

import { describe, expect, it } from 'vitest';
import { DRAIN_REASON, DRAINING_SINCE, IGNORE_NODE } from '../../../core/annotations';
import type { DrainMemory, StartMemory } from '../../../core/memory';
import { classifyNode, observedState, type NodeRecall, type StateEffect } from '../../../core/nodes/state';
import type { NodeView } from '../../../core/views';
import {
  MINUTE,
  NOW,
  at,
  buildNode,
  buildPolicy,
  cordoned,
  createdAt,
  deallocated,
  nodeAnnotated,
  nodeLabelled,
  notReady,
} from '../../builders/views';

const RULES = buildPolicy().nodes!;
const drain: DrainMemory = { since: at(NOW - 5 * MINUTE), reason: 'night' };
const stopRequested: DrainMemory = { ...drain, stopRequestedAt: at(NOW - MINUTE) };
const start: StartMemory = { since: at(NOW - 2 * MINUTE), uncordonWhenReady: true };
const oldStart: StartMemory = { since: at(NOW - 15 * MINUTE), uncordonWhenReady: true };
const annotatedDrain = nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE), [DRAIN_REASON]: 'from the node' });
const none: NodeRecall = { drain: undefined, start: undefined };

interface Case {
  name: string;
  node: NodeView;
  recall?: NodeRecall;
  state: string;
  drain?: DrainMemory;
  start?: StartMemory;
  effects?: Partial<StateEffect>[];
}

const cases: Case[] = [
  { name: 'a Ready, schedulable node runs', node: buildNode('n'), state: 'running' },
  {
    name: 'an ignored node is left alone and its drain forgotten',
    node: buildNode('n', nodeLabelled({ [IGNORE_NODE]: 'true' }), cordoned),
    recall: { drain, start: undefined },
    state: 'ignored',
    effects: [
      { kind: 'note', text: `node n is marked ${IGNORE_NODE}=true; its drain is forgotten and its cordon left as it is` },
      { kind: 'skip', rule: 'ignored', reason: `${IGNORE_NODE}=true: graceful-scaler leaves this node alone` },
    ],
  },
  { name: 'a deallocated VM is stopped', node: buildNode('n', deallocated), state: 'stopped' },
  {
    name: 'a deallocated VM completes its drain',
    node: buildNode('n', deallocated),
    recall: { drain: stopRequested, start: undefined },
    state: 'stopped',
    effects: [{ kind: 'note', text: 'node n is stopped; its drain is complete' }],
  },
  {
    name: 'a stopped VM we started is starting',
    node: buildNode('n', deallocated),
    recall: { drain: undefined, start },
    state: 'starting',
    start,
  },
  {
    // Found by the property test of invariant 6: kept, the drain held a slot that no step counted.
    name: 'a VM we started, booting, forgets a drain still remembered from before its stop',
    node: buildNode('n', notReady),
    recall: { drain, start },
    state: 'starting',
    start,
    effects: [{ kind: 'note', text: 'node n is starting; its earlier drain is over' }],
  },
  {
    name: 'a start that timed out is forgotten, so the VM may be started again',
    node: buildNode('n', deallocated),
    recall: { drain: undefined, start: oldStart },
    state: 'stopped',
    effects: [
      { kind: 'skip', rule: 'start-timed-out', reason: `started ${oldStart.since} but not Ready after 10m; it may be started again` },
    ],
  },
  {
    name: 'a started node Ready but still cordoned is uncordoned, its start kept until that shows',
    node: buildNode('n', cordoned),
    recall: { drain: undefined, start },
    state: 'running',
    start,
    effects: [
      {
        kind: 'uncordon',
        rule: 'started-node-ready',
        reason: `started ${start.since}, Ready now; it was cordoned when stopped, so scheduling resumes`,
      },
    ],
  },
  {
    name: 'a started node Ready and schedulable is running, its start forgotten',
    node: buildNode('n'),
    recall: { drain: undefined, start },
    state: 'running',
  },
  {
    name: 'a draining node drains',
    node: buildNode('n', cordoned, annotatedDrain),
    recall: { drain, start: undefined },
    state: 'draining',
    drain,
  },
  {
    name: 'a drained node whose stop was requested is stopping',
    node: buildNode('n', cordoned, annotatedDrain),
    recall: { drain: stopRequested, start: undefined },
    state: 'stopping',
    drain: stopRequested,
  },
  {
    name: 'a drain lost from memory resumes from the node annotation',
    node: buildNode('n', cordoned, annotatedDrain),
    state: 'draining',
    drain: { since: at(NOW - 5 * MINUTE), reason: 'from the node' },
  },
  {
    name: 'a drain whose cordon never landed keeps draining (the cordon is re-issued)',
    node: buildNode('n'),
    recall: { drain, start: undefined },
    state: 'draining',
    drain,
  },
  {
    name: 'a node on its way down found uncordoned without our annotation was given back (the memory of it lost): its drain is over',
    node: buildNode('n'),
    recall: { drain: { ...drain, stopRequestedAt: at(NOW - 25 * MINUTE), stopFirstRequestedAt: at(NOW - 45 * MINUTE) }, start: undefined },
    state: 'running',
    effects: [
      {
        kind: 'note',
        text: `node n is Ready and uncordoned although its stop was asked ${at(NOW - 25 * MINUTE)}: it was given back (its VM would not deallocate); the drain (since ${drain.since}) is over`,
      },
    ],
  },
  {
    name: 'a person who uncordoned a draining node cancels the drain',
    node: buildNode('n', annotatedDrain),
    recall: { drain, start: undefined },
    state: 'running',
    effects: [{ kind: 'note', text: `node n was uncordoned outside graceful-scaler; its drain (since ${drain.since}) is cancelled` }],
  },
  {
    name: 'a node protected after its drain began is given back',
    node: buildNode('n', cordoned, annotatedDrain, nodeLabelled({ 'clomo/BatchDeployable': 'true' })),
    recall: { drain, start: undefined },
    state: 'running',
    effects: [
      {
        kind: 'uncordon',
        rule: 'drain-blocked-uncordon',
        reason: 'drain abandoned: the node is now protected (labelled clomo/BatchDeployable)',
      },
    ],
  },
  {
    name: 'a node cordoned by someone else is not capacity',
    node: buildNode('n', cordoned),
    state: 'unavailable',
    effects: [
      {
        kind: 'skip',
        rule: 'cordoned-by-someone-else',
        reason: 'cordoned, not by graceful-scaler: not counted as capacity, left as it is',
      },
    ],
  },
  {
    name: 'a NotReady node we started is starting',
    node: buildNode('n', notReady),
    recall: { drain: undefined, start },
    state: 'starting',
    start,
  },
  {
    name: 'a NotReady draining node still counts as a drain',
    node: buildNode('n', notReady),
    recall: { drain, start: undefined },
    state: 'draining',
    drain,
  },
  { name: 'a new node still joining is booting', node: buildNode('n', notReady, createdAt(NOW - 2 * MINUTE)), state: 'booting' },
  {
    name: 'a NotReady node that is not shut down is neither capacity nor a VM to start',
    node: buildNode('n', notReady),
    state: 'not-ready',
    effects: [{ kind: 'skip', rule: 'not-ready', reason: 'NotReady without the shutdown taint: neither capacity nor a VM to start' }],
  },
];

describe('where a node stands', () => {
  it.each(cases)('$name', ({ node, recall = none, state, drain: after, start: started, effects = [] }) => {
    const found = classifyNode(node, recall, RULES, NOW);
    expect(found.state).toBe(state);
    expect(found.drain).toEqual(after);
    expect(found.start).toEqual(started);
    expect(found.effects).toHaveLength(effects.length);
    effects.forEach((e, i) => expect(found.effects[i]).toMatchObject(e));
  });

  it.each([
    ['a deallocated VM', buildNode('n', deallocated), 'stopped'],
    ['a Ready, schedulable node', buildNode('n'), 'running'],
    ['a cordoned node', buildNode('n', cordoned), 'unavailable'],
    ['a NotReady node', buildNode('n', notReady), 'unavailable'],
  ])('while paused, names %s from the node alone: %s', (_, node, state) => {
    expect(observedState(node)).toBe(state);
  });
});
