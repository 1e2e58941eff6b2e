// What is left on a draining node, pod by pod: what may be evicted, what is leaving, what we wait
// for, and whether the drain is stuck on pods that outlived their grace period. Asked once per
// draining node per tick (the drain slots are counted before the drains progress).

import { podKey, SLOW_EXIT_MS } from '../cluster';
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

/**
 * A drain left waiting only for pods that end this far ahead or later (a busy BG worker finishing
 * its job within a 20-hour grace period, an on-completion pod) gives up its drain slot: the slot
 * paces evictions, and this node has none left to make, so it would hold the slot for hours while
 * other nodes that could empty in minutes wait behind it. The node stays cordoned and is stopped
 * once empty, like any other drain.
 */
export const LONG_WAIT_MS = SLOW_EXIT_MS;

export interface DrainSurvey {
  /** Pods we may evict now (PDBs and budgets are asked when evicting). */
  toEvict: PodView[];
  terminating: PodView[];
  /** Pods never evicted that the node waits for (safe-to-evict: on-completion). */
  waiting: PodView[];
  blocked: number;
  /** Every pod left is terminating and past its deadline plus the margin: the drain is stuck on these. */
  stuck: PodView[] | undefined;
  /**
   * Nothing left to evict and every pod left ends {@link LONG_WAIT_MS} or more ahead (or is stuck):
   * the drain needs no slot (see LONG_WAIT_MS).
   */
  onlyLongWaits: boolean;
}

export function surveyDrain(tick: NodeTick, node: string): DrainSurvey {
  const known = tick.surveys.get(node);
  if (known) return known;
  const { index, now } = tick.input;
  const survey: DrainSurvey = { toEvict: [], terminating: [], waiting: [], blocked: 0, stuck: undefined, onlyLongWaits: false };
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
  // Without a deletionTimestamp (a snapshot that lacks it), the grace period says how long it may take.
  const endsLate = (p: PodView) =>
    p.deletingAt !== undefined ? p.deletingAt >= now + LONG_WAIT_MS : p.graceSeconds * 1000 >= LONG_WAIT_MS;
  survey.onlyLongWaits =
    survey.stuck !== undefined ||
    (survey.toEvict.length === 0 &&
      survey.blocked === 0 &&
      survey.terminating.length + survey.waiting.length > 0 &&
      survey.terminating.every(endsLate));
  tick.surveys.set(node, survey);
  return survey;
}

/** Draining nodes that hold a drain slot: those not waiting only for long work (see LONG_WAIT_MS). */
export function drainsHoldingSlots(tick: NodeTick): number {
  let holding = 0;
  for (const t of tick.inState('draining')) if (!surveyDrain(tick, t.node.name).onlyLongWaits) holding++;
  return holding;
}

/** `clomo/web-1 (deletionTimestamp 2026-…)`, for the refusal that names the stuck pods. */
export function describeStuck(pods: readonly PodView[]): string {
  return pods.map((p) => `${podKey(p)} (deletionTimestamp ${new Date(p.deletingAt!).toISOString()})`).join(', ');
}
