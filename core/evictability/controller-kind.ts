// Where the caller narrows the controllers it may move (the descheduler: ReplicaSets and
// StatefulSets), any other owner keeps its pod.

import type { EvictionRule } from './types';

export const controllerKind: EvictionRule = (pod, ctx) =>
  ctx.controllerKinds && pod.controller && !ctx.controllerKinds.has(pod.controller.kind)
    ? {
        kind: 'blocked',
        rule: 'not-replicated',
        detail: `owned by ${pod.controller.kind} ${pod.controller.name}, not by ${[...ctx.controllerKinds].join(' or ')}`,
      }
    : undefined;
