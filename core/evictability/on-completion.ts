// cluster-autoscaler's safe-to-evict: "on-completion": the owner asks to be let finish (a long batch
// run). The pod is never evicted; its node may drain around it and is stopped only once it finished.

import { ON_COMPLETION, SAFE_TO_EVICT } from '../annotations';
import type { EvictionRule } from './types';

export const onCompletion: EvictionRule = (pod) =>
  pod.annotations[SAFE_TO_EVICT] === ON_COMPLETION ? { kind: 'wait', why: 'on-completion' } : undefined;
