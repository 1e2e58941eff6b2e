// Karpenter's annotation: a person asked that this pod not be disrupted.

import { DO_NOT_DISRUPT } from '../annotations';
import type { EvictionRule } from './types';

export const doNotDisrupt: EvictionRule = (pod) =>
  pod.annotations[DO_NOT_DISRUPT] === 'true'
    ? { kind: 'blocked', rule: 'do-not-disrupt', detail: `annotated ${DO_NOT_DISRUPT}=true` }
    : undefined;
