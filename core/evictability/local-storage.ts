// When the policy protects local storage, a pod with emptyDir/hostPath data stays. Explicit consent
// (safe-to-evict=true, or the descheduler's evict annotation) outweighs local data.

import { DESCHEDULER_EVICT, SAFE_TO_EVICT } from '../annotations';
import type { EvictionRule } from './types';

export const localStorage: EvictionRule = (pod, ctx) =>
  ctx.protectLocalStorage &&
  pod.localStorage &&
  pod.annotations[SAFE_TO_EVICT] !== 'true' &&
  pod.annotations[DESCHEDULER_EVICT] === undefined
    ? { kind: 'blocked', rule: 'local-storage', detail: 'uses local storage (emptyDir/hostPath)' }
    : undefined;
