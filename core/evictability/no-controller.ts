// A bare pod has nobody to recreate it: evicting it would delete it for good.

import type { EvictionRule } from './types';

export const noController: EvictionRule = (pod) =>
  pod.controller === undefined ? { kind: 'blocked', rule: 'no-controller', detail: 'has no controller to recreate it' } : undefined;
