// What is left on a draining node, pod by pod: what may be evicted, what is leaving, what we wait
// for, and whether the drain is stuck on pods that outlived their grace period. Asked once per
// draining node per tick (the drain slots are counted before the drains progress).

import { podKey } from '../cluster';
import { podVerdict } from '../evictability';
import type { PodView } from '../views';
import type { NodeTick } from './tick';

/**
 * How long past its deletionTimestamp a terminating pod is waited for before its drain gives up its
 * slot. The deletionTimestamp already is the end of the grace period (the API server adds the grace
 * to the time of the delete call), when the kubelet sends SIGKILL; after it only a finalizer, a
 * kubelet that stopped reporting or a volume that will not detach keeps the pod. cluster-autoscaler
 * waits 30 s beyond deletionTimestamp + grace; we tick once a minute, so two ticks: a pod seen
 * stuck twice in a row is stuck, not slow.
 */
export const STUCK_TERMINATING_MARGIN_MS = 2 * 60_000;

export interface DrainSurvey {
  /** Pods we may evict now (PDBs and budgets are asked when evicting). */
  toEvict: PodView[];
  terminating: PodView[];
  /** Pods never evicted that the node waits for (safe-to-evict: on-completion). */
  waiting: PodView[];
  blocked: number;
  /** Every pod left is terminating and past its deadline plus the margin: the drain is stuck on these. */
  stuck: PodView[] | undefined;
}

export function surveyDrain(tick: NodeTick, node: string): DrainSurvey {
  const known = tick.surveys.get(node);
  if (known) return known;
  const { index, now } = tick.input;
  const survey: DrainSurvey = { toEvict: [], terminating: [], waiting: [], blocked: 0, stuck: undefined };
  for (const pod of index.podsOn(node)) {
    const v = podVerdict(pod, index.evictionContext);
    if (v.kind === 'terminating') survey.terminating.push(pod);
    else if (v.kind === 'evictable') survey.toEvict.push(pod);
    else if (v.kind === 'wait') survey.waiting.push(pod);
    else if (v.kind === 'blocked') survey.blocked++;
  }
  const onlyLeaving = survey.toEvict.length === 0 && survey.waiting.length === 0 && survey.blocked === 0;
  if (
    onlyLeaving &&
    survey.terminating.length > 0 &&
    survey.terminating.every((p) => p.deletingAt !== undefined && now > p.deletingAt + STUCK_TERMINATING_MARGIN_MS)
  ) {
    survey.stuck = survey.terminating;
  }
  tick.surveys.set(node, survey);
  return survey;
}

/** `clomo/web-1 (deletionTimestamp 2026-…)`, for the refusal that names the stuck pods. */
export function describeStuck(pods: readonly PodView[]): string {
  return pods.map((p) => `${podKey(p)} (deletionTimestamp ${new Date(p.deletingAt!).toISOString()})`).join(', ');
}
