// The rules in order: the first with an answer decides. Pods that are not workload (mirror, DaemonSet,
// finished) are set aside first, then those already leaving; then whether the pod's controller still
// exists (before the DaemonSet rule, as in cluster-autoscaler: an orphaned DaemonSet pod is recreated
// by nobody); only then is a person's "do not move" asked, then "let me finish", then whether anything
// would recreate the pod, then what cluster-autoscaler protects beyond that (kube-system, local data).

import { controllerKind } from './controller-kind';
import { controllerNotFound } from './controller-not-found';
import { daemonSet } from './daemonset';
import { doNotDisrupt } from './do-not-disrupt';
import { finished } from './finished';
import { jobPod } from './job-pod';
import { kubeSystemPod } from './kube-system';
import { localStorage } from './local-storage';
import { mirror } from './mirror';
import { noController } from './no-controller';
import { onCompletion } from './on-completion';
import { safeToEvictFalse } from './safe-to-evict';
import { terminating } from './terminating';
import type { EvictionRule } from './types';

export const EVICTION_RULES: readonly EvictionRule[] = [
  mirror,
  controllerNotFound,
  daemonSet,
  finished,
  terminating,
  doNotDisrupt,
  safeToEvictFalse,
  onCompletion,
  noController,
  jobPod,
  controllerKind,
  kubeSystemPod,
  localStorage,
];
