// A Succeeded or Failed pod holds nothing: there is nothing to move.

import type { EvictionRule } from './types';

export const finished: EvictionRule = (pod) =>
  pod.phase === 'Succeeded' || pod.phase === 'Failed' ? { kind: 'ignore', why: 'finished' } : undefined;
