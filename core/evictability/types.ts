// What an eviction rule answers, and what it may consult.

import type { PodView } from '../views';

export type BlockRule =
  | 'do-not-disrupt'
  | 'safe-to-evict-false'
  | 'no-controller'
  | 'job-pod'
  | 'local-storage'
  | 'not-replicated';

export type PodVerdict =
  /** Not a workload pod: never evicted, never blocks a drain (DaemonSet, mirror, finished). */
  | { kind: 'ignore'; why: 'daemonset' | 'mirror' | 'finished' }
  /** Already terminating: nothing to do but wait out its grace period; it still runs. */
  | { kind: 'terminating' }
  | { kind: 'blocked'; rule: BlockRule; detail: string }
  | { kind: 'evictable' };

export interface EvictionContext {
  protectLocalStorage: boolean;
  /** Controller kinds allowed; undefined = any controller other than a Job. The descheduler narrows it. */
  controllerKinds?: ReadonlySet<string>;
}

/** A decisive verdict, or undefined: no opinion, the next rule decides. */
export type EvictionRule = (pod: PodView, ctx: EvictionContext) => PodVerdict | undefined;
