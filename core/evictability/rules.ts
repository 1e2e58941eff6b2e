// The rules in order: the first with an answer decides. Pods that are not workload (mirror, DaemonSet,
// finished) are set aside first, then those already leaving; only then is a person's "do not move"
// asked, then whether anything would recreate the pod.

import { controllerKind } from './controller-kind';
import { daemonSet } from './daemonset';
import { doNotDisrupt } from './do-not-disrupt';
import { finished } from './finished';
import { jobPod } from './job-pod';
import { localStorage } from './local-storage';
import { mirror } from './mirror';
import { noController } from './no-controller';
import { safeToEvictFalse } from './safe-to-evict';
import { terminating } from './terminating';
import type { EvictionRule } from './types';

export const EVICTION_RULES: readonly EvictionRule[] = [
  mirror,
  daemonSet,
  finished,
  terminating,
  doNotDisrupt,
  safeToEvictFalse,
  noController,
  jobPod,
  controllerKind,
  localStorage,
];
