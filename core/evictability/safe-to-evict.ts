// The cluster-autoscaler's annotation: safe-to-evict=false keeps the pod, and so its node.

import { SAFE_TO_EVICT } from '../annotations';
import type { EvictionRule } from './types';

export const safeToEvictFalse: EvictionRule = (pod) =>
  pod.annotations[SAFE_TO_EVICT] === 'false'
    ? { kind: 'blocked', rule: 'safe-to-evict-false', detail: `annotated ${SAFE_TO_EVICT}=false` }
    : undefined;
