// A pod already on its way out is waited for, never evicted twice: its grace period is honoured.

import type { EvictionRule } from './types';

export const terminating: EvictionRule = (pod) => (pod.terminating ? { kind: 'terminating' } : undefined);
