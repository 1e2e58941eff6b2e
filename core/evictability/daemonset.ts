// A DaemonSet's pod runs on every node anyway: it neither counts as workload nor blocks a drain.

import type { EvictionRule } from './types';

export const daemonSet: EvictionRule = (pod) => (pod.daemonSet ? { kind: 'ignore', why: 'daemonset' } : undefined);
