// A Job's pod restarts from scratch when evicted: the seed's 20-hour batch lost its day that way.

import type { EvictionRule } from './types';

export const jobPod: EvictionRule = (pod) =>
  pod.controller?.kind === 'Job'
    ? { kind: 'blocked', rule: 'job-pod', detail: `belongs to Job ${pod.controller.name} and would restart from scratch` }
    : undefined;
