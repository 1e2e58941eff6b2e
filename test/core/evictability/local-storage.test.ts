import { describe, expect, it } from 'vitest';
import { DESCHEDULER_EVICT, SAFE_TO_EVICT, SAFE_TO_EVICT_LOCAL_VOLUMES } from '../../../core/annotations';
import { localStorage } from '../../../core/evictability/local-storage';
import { annotated, buildPod, localVolumes, withLocalStorage } from '../../builders/views';

const PROTECT = { protectLocalStorage: true };
const DONT = { protectLocalStorage: false };
const BLOCKED = { kind: 'blocked', rule: 'local-storage', detail: 'uses local storage (emptyDir/hostPath)' };

describe('rule: local storage blocks when the policy protects it', () => {
  it.each([
    { name: 'emptyDir, protected', pod: buildPod('web-1', withLocalStorage), ctx: PROTECT, verdict: BLOCKED },
    { name: 'emptyDir, not protected', pod: buildPod('web-2', withLocalStorage), ctx: DONT, verdict: undefined },
    {
      name: 'emptyDir, safe-to-evict=true',
      pod: buildPod('web-3', withLocalStorage, annotated({ [SAFE_TO_EVICT]: 'true' })),
      ctx: PROTECT,
      verdict: undefined,
    },
    {
      name: "emptyDir, the descheduler's evict annotation",
      pod: buildPod('web-4', withLocalStorage, annotated({ [DESCHEDULER_EVICT]: '' })),
      ctx: PROTECT,
      verdict: undefined,
    },
    { name: 'no local storage', pod: buildPod('web-5'), ctx: PROTECT, verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, ctx, verdict }) => {
    expect(localStorage(pod, ctx)).toEqual(verdict);
  });
});

// Cases from cluster-autoscaler's own table: kubernetes/autoscaler, branch cluster-autoscaler-release-1.37,
// commit a16f0ae8b5578f09604371c75e0cad29ed794e59,
// cluster-autoscaler/simulator/drainability/rules/localstorage/rule_test.go: every local volume must
// be named, comma-separated, exact, untrimmed.
describe('rule: local storage, safe-to-evict-local-volumes (LocalStorageRequested)', () => {
  const listing = (value: string) => annotated({ [SAFE_TO_EVICT_LOCAL_VOLUMES]: value });
  it.each([
    { name: 'pod with EmptyDir', pod: buildPod('a', localVolumes('scratch')), verdict: BLOCKED },
    {
      name: 'pod with EmptyDir and SafeToEvictLocalVolumesKey annotation',
      pod: buildPod('a', localVolumes('scratch'), listing('scratch')),
      verdict: undefined,
    },
    {
      name: 'pod with EmptyDir and empty value for SafeToEvictLocalVolumesKey annotation',
      pod: buildPod('a', localVolumes('scratch'), listing('')),
      verdict: BLOCKED,
    },
    {
      name: 'pod with EmptyDir and non-matching value for SafeToEvictLocalVolumesKey annotation',
      pod: buildPod('a', localVolumes('scratch-1'), listing('scratch-2')),
      verdict: BLOCKED,
    },
    {
      name: 'pod with EmptyDir and SafeToEvictLocalVolumesKey annotation with matching values',
      pod: buildPod('a', localVolumes('scratch-1', 'scratch-2', 'scratch-3'), listing('scratch-1,scratch-2,scratch-3')),
      verdict: undefined,
    },
    {
      name: 'pod with EmptyDir and SafeToEvictLocalVolumesKey annotation with non-matching values',
      pod: buildPod('a', localVolumes('scratch-1', 'scratch-2', 'scratch-3'), listing('scratch-1,scratch-2,scratch-5')),
      verdict: BLOCKED,
    },
    {
      name: 'pod with EmptyDir and SafeToEvictLocalVolumesKey annotation with some matching values',
      pod: buildPod('a', localVolumes('scratch-1', 'scratch-2', 'scratch-3'), listing('scratch-1,scratch-2')),
      verdict: BLOCKED,
    },
    {
      name: 'pod with EmptyDir and SafeToEvictLocalVolumesKey annotation empty values',
      pod: buildPod('a', localVolumes('scratch-1', 'scratch-2', 'scratch-3'), listing(',')),
      verdict: BLOCKED,
    },
    {
      name: 'names are not trimmed (ours, as CA)',
      pod: buildPod('a', localVolumes('scratch-1', 'scratch-2'), listing('scratch-1, scratch-2')),
      verdict: BLOCKED,
    },
    { name: 'extra names are ignored', pod: buildPod('a', localVolumes('scratch'), listing('scratch,cache')), verdict: undefined },
    {
      name: 'volume names unknown (a view built by hand): consent cannot be checked',
      pod: buildPod('a', withLocalStorage, listing('scratch')),
      verdict: BLOCKED,
    },
  ])('$name', ({ pod, verdict }) => {
    expect(localStorage(pod, PROTECT)).toEqual(verdict);
  });
});
