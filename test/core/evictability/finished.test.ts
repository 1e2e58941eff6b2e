import { describe, expect, it } from 'vitest';
import { finished } from '../../../core/evictability/finished';
import { buildPod, pending, phase } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: finished pods are set aside', () => {
  it.each([
    { name: 'a Succeeded pod', pod: buildPod('job-1', phase('Succeeded')), verdict: { kind: 'ignore', why: 'finished' } },
    { name: 'a Failed pod', pod: buildPod('job-2', phase('Failed')), verdict: { kind: 'ignore', why: 'finished' } },
    { name: 'a Running pod', pod: buildPod('web-1'), verdict: undefined },
    { name: 'a Pending pod', pod: buildPod('web-2', pending), verdict: undefined },
    { name: 'a pod in phase Unknown', pod: buildPod('web-3', phase('Unknown')), verdict: undefined },
  ])('$name → $verdict', ({ pod, verdict }) => {
    expect(finished(pod, CTX)).toEqual(verdict);
  });
});
