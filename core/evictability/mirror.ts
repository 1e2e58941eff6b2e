// A mirror pod is the kubelet's copy of a static pod: the API cannot evict it, and it goes with the node.

import type { EvictionRule } from './types';

export const mirror: EvictionRule = (pod) => (pod.mirror ? { kind: 'ignore', why: 'mirror' } : undefined);
