// What an eviction rule answers, and what it may consult.

import type { ControllerNames, PdbView, PodView } from '../views';

export type BlockRule =
  | 'do-not-disrupt'
  | 'safe-to-evict-false'
  | 'no-controller'
  | 'controller-not-found'
  | 'job-pod'
  | 'kube-system-pod'
  | 'local-storage'
  | 'not-replicated';

export type PodVerdict =
  /** Not a workload pod: never evicted, never blocks a drain (DaemonSet, mirror, finished). */
  | { kind: 'ignore'; why: 'daemonset' | 'mirror' | 'finished' }
  /** Already terminating: nothing to do but wait out its grace period; it still runs. */
  | { kind: 'terminating' }
  /** Never evicted, but its node may drain around it: the node is stopped only once it has finished. */
  | { kind: 'wait'; why: 'on-completion' }
  | { kind: 'blocked'; rule: BlockRule; detail: string }
  | { kind: 'evictable' };

export interface EvictionContext {
  protectLocalStorage: boolean;
  /** Controller kinds allowed; undefined = any controller other than a Job. The descheduler narrows it. */
  controllerKinds?: ReadonlySet<string>;
  /** The controllers that exist; undefined when they were not read, and then nobody checks. */
  controllers?: ControllerNames | undefined;
  /** The PodDisruptionBudgets: a kube-system pod is movable only under one. Undefined = none known. */
  pdbs?: readonly PdbView[];
  /** The time of the tick (epoch ms), for the kube-system pod's age. Undefined: no age is ever enough. */
  now?: number;
  /** A kube-system pod without a PDB older than this may go; undefined: never. */
  systemPodTimeoutMs?: number;
}

/** A decisive verdict, or undefined: no opinion, the next rule decides. */
export type EvictionRule = (pod: PodView, ctx: EvictionContext) => PodVerdict | undefined;
