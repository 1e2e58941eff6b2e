// Which nodes are never cordoned for scale-down, drained or stopped (invariant 2), and the rule and
// words each refusal carries. The first that applies is named.

import { describe, expect, it } from 'vitest';
import { DO_NOT_DISRUPT, IGNORE_NODE, SCALE_DOWN_DISABLED } from '../../core/annotations';
import { nodeProtection } from '../../core/protection';
import { buildNode, nodeAnnotated, nodeLabelled } from '../builders/views';

const LABELS = ['clomo/BatchDeployable', 'tier=batch'];

describe('node protection', () => {
  it.each([
    { name: 'an ordinary node', node: buildNode('n'), protection: undefined },
    {
      name: 'ignored by annotation',
      node: buildNode('n', nodeAnnotated({ [IGNORE_NODE]: 'true' })),
      protection: { rule: 'ignored', detail: `${IGNORE_NODE}=true: graceful-scaler leaves this node alone` },
    },
    {
      name: 'ignored by label',
      node: buildNode('n', nodeLabelled({ [IGNORE_NODE]: 'true' })),
      protection: { rule: 'ignored', detail: `${IGNORE_NODE}=true: graceful-scaler leaves this node alone` },
    },
    { name: 'ignore=false is no protection', node: buildNode('n', nodeAnnotated({ [IGNORE_NODE]: 'false' })), protection: undefined },
    {
      name: 'a protected label present (any value)',
      node: buildNode('n', nodeLabelled({ 'clomo/BatchDeployable': '' })),
      protection: { rule: 'protected-label', detail: 'labelled clomo/BatchDeployable' },
    },
    {
      name: 'a protected key=value label',
      node: buildNode('n', nodeLabelled({ tier: 'batch' })),
      protection: { rule: 'protected-label', detail: 'labelled tier=batch' },
    },
    { name: 'the key with another value', node: buildNode('n', nodeLabelled({ tier: 'web' })), protection: undefined },
    {
      name: 'a protected label as an annotation only',
      node: buildNode('n', nodeAnnotated({ 'clomo/BatchDeployable': 'true' })),
      protection: undefined,
    },
    {
      name: 'scale-down-disabled by annotation',
      node: buildNode('n', nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true' })),
      protection: { rule: 'scale-down-disabled', detail: `${SCALE_DOWN_DISABLED}=true` },
    },
    {
      name: 'scale-down-disabled by label',
      node: buildNode('n', nodeLabelled({ [SCALE_DOWN_DISABLED]: 'true' })),
      protection: { rule: 'scale-down-disabled', detail: `${SCALE_DOWN_DISABLED}=true` },
    },
    {
      name: 'do-not-disrupt by annotation',
      node: buildNode('n', nodeAnnotated({ [DO_NOT_DISRUPT]: 'true' })),
      protection: { rule: 'do-not-disrupt', detail: `${DO_NOT_DISRUPT}=true` },
    },
    {
      name: 'do-not-disrupt by label',
      node: buildNode('n', nodeLabelled({ [DO_NOT_DISRUPT]: 'true' })),
      protection: { rule: 'do-not-disrupt', detail: `${DO_NOT_DISRUPT}=true` },
    },
    {
      name: 'ignored comes before a protected label',
      node: buildNode('n', nodeAnnotated({ [IGNORE_NODE]: 'true' }), nodeLabelled({ 'clomo/BatchDeployable': 'true' })),
      protection: { rule: 'ignored', detail: `${IGNORE_NODE}=true: graceful-scaler leaves this node alone` },
    },
    {
      name: 'a protected label comes before scale-down-disabled',
      node: buildNode('n', nodeLabelled({ 'clomo/BatchDeployable': 'true' }), nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true' })),
      protection: { rule: 'protected-label', detail: 'labelled clomo/BatchDeployable' },
    },
    {
      name: 'scale-down-disabled comes before do-not-disrupt',
      node: buildNode('n', nodeAnnotated({ [SCALE_DOWN_DISABLED]: 'true', [DO_NOT_DISRUPT]: 'true' })),
      protection: { rule: 'scale-down-disabled', detail: `${SCALE_DOWN_DISABLED}=true` },
    },
  ])('$name → $protection.rule', ({ node, protection }) => {
    expect(nodeProtection(node, LABELS)).toEqual(protection);
  });

  it('protects nothing by label when the policy lists no labels', () => {
    expect(nodeProtection(buildNode('n', nodeLabelled({ 'clomo/BatchDeployable': 'true' })), [])).toBeUndefined();
  });
});
