// The scheduler's NodeAffinity filter as the core applies it: nodeSelector, then one of the
// required terms (every requirement of a term; matchFields name only metadata.name).

import { describe, expect, it } from 'vitest';
import { requirementHolds, selectsNode } from '../../core/fit';
import type { NodeRequirement, NodeSelectorTerm } from '../../core/views';
import { buildNode, buildPod, nodeLabelled, selectingNodes } from '../builders/views';

const req = (key: string, operator: NodeRequirement['operator'], ...values: string[]): NodeRequirement => ({ key, operator, values });
const term = (expressions: NodeRequirement[], fields: NodeRequirement[] = []): NodeSelectorTerm => ({
  matchExpressions: expressions,
  matchFields: fields,
});

describe('requirementHolds', () => {
  const labels = { zone: '1', gen: '5', spot: '' };
  it.each<[NodeRequirement, boolean]>([
    [req('zone', 'In', '1', '2'), true],
    [req('zone', 'In', '3'), false],
    [req('missing', 'In', '1'), false],
    [req('zone', 'NotIn', '3'), true],
    [req('zone', 'NotIn', '1'), false],
    [req('missing', 'NotIn', '1'), true],
    [req('spot', 'Exists'), true],
    [req('missing', 'Exists'), false],
    [req('missing', 'DoesNotExist'), true],
    [req('zone', 'DoesNotExist'), false],
    [req('gen', 'Gt', '3'), true],
    [req('gen', 'Gt', '5'), false],
    [req('gen', 'Lt', '6'), true],
    [req('zone', 'Lt', 'x'), false],
    [req('spot', 'Gt', '-1'), false],
    [req('missing', 'Lt', '9'), false],
  ])('%o on zone=1, gen=5, spot="": %s', (r, holds) => {
    expect(requirementHolds(r, labels)).toBe(holds);
  });
});

describe('selectsNode', () => {
  const n1 = buildNode('n1', nodeLabelled({ zone: '1', gen: '5' }));
  const n2 = buildNode('n2', nodeLabelled({ zone: '2', gen: '2' }));
  const requiring = (...terms: NodeSelectorTerm[]) => {
    const pod = buildPod('p');
    return { ...pod, requiredNodeTerms: terms };
  };

  it('takes any node when the pod has no required terms', () => {
    expect([n1, n2].map((n) => selectsNode(buildPod('p'), n))).toEqual([true, true]);
  });

  it('needs every requirement of a term, and any one term', () => {
    const both = requiring(term([req('zone', 'In', '1'), req('gen', 'Gt', '3')]));
    expect([n1, n2].map((n) => selectsNode(both, n))).toEqual([true, false]);
    const either = requiring(term([req('zone', 'In', '9')]), term([req('gen', 'Lt', '3')]));
    expect([n1, n2].map((n) => selectsNode(either, n))).toEqual([false, true]);
  });

  it('matches metadata.name through matchFields', () => {
    const named = requiring(term([], [req('metadata.name', 'In', 'n2')]));
    expect([n1, n2].map((n) => selectsNode(named, n))).toEqual([false, true]);
  });

  it('matches no node with an empty term or an empty list of terms, as kube-scheduler', () => {
    expect(selectsNode(requiring(term([])), n1)).toBe(false);
    expect(selectsNode(requiring(), n1)).toBe(false);
  });

  it('needs the nodeSelector as well as a term', () => {
    const pod = { ...requiring(term([req('zone', 'In', '1', '2')])), nodeSelector: { gen: '2' } };
    expect([n1, n2].map((n) => selectsNode(pod, n))).toEqual([false, true]);
    expect(selectsNode(buildPod('p', selectingNodes({ gen: '2' })), n1)).toBe(false);
  });
});
