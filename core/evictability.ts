// "May this pod be moved?" as an ordered list of tiny rules; the first decisive answer wins
// (cluster-autoscaler's drainability rules). Invariant 3 lives here: a pod is evicted only when a
// controller recreates it, it is not a Job's pod, and nobody marked it as not to be disrupted.

import { DESCHEDULER_EVICT, DO_NOT_DISRUPT, SAFE_TO_EVICT } from './annotations';
import type { PodView } from './views';

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

type Rule = (pod: PodView, ctx: EvictionContext) => PodVerdict | undefined;

const mirror: Rule = (pod) => (pod.mirror ? { kind: 'ignore', why: 'mirror' } : undefined);

const daemonSet: Rule = (pod) => (pod.daemonSet ? { kind: 'ignore', why: 'daemonset' } : undefined);

const finished: Rule = (pod) =>
  pod.phase === 'Succeeded' || pod.phase === 'Failed' ? { kind: 'ignore', why: 'finished' } : undefined;

const terminating: Rule = (pod) => (pod.terminating ? { kind: 'terminating' } : undefined);

const doNotDisrupt: Rule = (pod) =>
  pod.annotations[DO_NOT_DISRUPT] === 'true'
    ? { kind: 'blocked', rule: 'do-not-disrupt', detail: `annotated ${DO_NOT_DISRUPT}=true` }
    : undefined;

const safeToEvictFalse: Rule = (pod) =>
  pod.annotations[SAFE_TO_EVICT] === 'false'
    ? { kind: 'blocked', rule: 'safe-to-evict-false', detail: `annotated ${SAFE_TO_EVICT}=false` }
    : undefined;

const noController: Rule = (pod) =>
  pod.controller === undefined
    ? { kind: 'blocked', rule: 'no-controller', detail: 'has no controller to recreate it' }
    : undefined;

// A Job's pod restarts from scratch when evicted: the seed's 20-hour batch lost its day that way.
const jobPod: Rule = (pod) =>
  pod.controller?.kind === 'Job'
    ? { kind: 'blocked', rule: 'job-pod', detail: `belongs to Job ${pod.controller.name} and would restart from scratch` }
    : undefined;

const controllerKind: Rule = (pod, ctx) =>
  ctx.controllerKinds && pod.controller && !ctx.controllerKinds.has(pod.controller.kind)
    ? {
        kind: 'blocked',
        rule: 'not-replicated',
        detail: `owned by ${pod.controller.kind} ${pod.controller.name}, not by ${[...ctx.controllerKinds].join(' or ')}`,
      }
    : undefined;

// Explicit consent (safe-to-evict=true, or the descheduler's evict annotation) outweighs local data.
const localStorage: Rule = (pod, ctx) =>
  ctx.protectLocalStorage &&
  pod.localStorage &&
  pod.annotations[SAFE_TO_EVICT] !== 'true' &&
  pod.annotations[DESCHEDULER_EVICT] === undefined
    ? { kind: 'blocked', rule: 'local-storage', detail: 'uses local storage (emptyDir/hostPath)' }
    : undefined;

/** In order: the first rule with an answer decides. */
export const EVICTION_RULES: readonly Rule[] = [
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

export function podVerdict(pod: PodView, ctx: EvictionContext): PodVerdict {
  for (const rule of EVICTION_RULES) {
    const verdict = rule(pod, ctx);
    if (verdict) return verdict;
  }
  return { kind: 'evictable' };
}

/** Pods that count towards the node scaler's pods-per-node metric. */
export function isWorkloadPod(pod: PodView): boolean {
  return !pod.daemonSet && !pod.mirror && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}
