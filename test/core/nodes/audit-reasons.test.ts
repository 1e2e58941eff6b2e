// A node kept because of a pod names the audit check that explains the pod and its fix.

import { describe, expect, it } from 'vitest';
import { buildMemory, buildNode, buildPod, noController, onNode, ownedBy } from '../../builders/views';
import { lowForTenMinutes, planNodes, quietNight } from './fixtures';

describe('refusals name the audit check', () => {
  it.each([
    {
      name: 'a bare pod',
      pod: buildPod('report-7f', onNode('n9'), noController),
      says: 'clomo/report-7f has no controller to recreate it (no-controller, NotReplicated) (audit check 1)',
    },
    { name: "a Job's pod", pod: buildPod('batch-1', onNode('n9'), ownedBy('Job', 'daily-batch')), says: '(audit check 12)' },
  ])('$name', ({ pod, says }) => {
    const { nodes, pods } = quietNight();
    const d = planNodes([...nodes, buildNode('n9')], [...pods, pod], { memory: buildMemory(lowForTenMinutes) });
    expect(d.skipped.find((s) => s.target === 'node/n9')?.reason).toContain(says);
  });
});
