import { describe, expect, it } from 'vitest';
import { DESCHEDULER_EVICT, SAFE_TO_EVICT } from '../../../core/annotations';
import { localStorage } from '../../../core/evictability/local-storage';
import { annotated, buildPod, withLocalStorage } from '../../builders/views';

const PROTECT = { protectLocalStorage: true };
const DONT = { protectLocalStorage: false };
const BLOCKED = { kind: 'blocked', rule: 'local-storage', detail: 'uses local storage (emptyDir/hostPath)' };

describe('rule: local storage blocks when the policy protects it', () => {
  it.each([
    { name: 'emptyDir, protected', pod: buildPod('web-1', withLocalStorage), ctx: PROTECT, verdict: BLOCKED },
    { name: 'emptyDir, not protected', pod: buildPod('web-2', withLocalStorage), ctx: DONT, verdict: undefined },
    { name: 'emptyDir, safe-to-evict=true', pod: buildPod('web-3', withLocalStorage, annotated({ [SAFE_TO_EVICT]: 'true' })), ctx: PROTECT, verdict: undefined },
    { name: "emptyDir, the descheduler's evict annotation", pod: buildPod('web-4', withLocalStorage, annotated({ [DESCHEDULER_EVICT]: '' })), ctx: PROTECT, verdict: undefined },
    { name: 'no local storage', pod: buildPod('web-5'), ctx: PROTECT, verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, ctx, verdict }) => {
    expect(localStorage(pod, ctx)).toEqual(verdict);
  });
});
