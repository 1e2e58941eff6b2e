// What a tick leaves behind for people: its last run (as before, one record per scaler) and a bounded
// history — the figures an operator charts and the actions with their reasons — so that the status
// page opened at 3 a.m. shows the last hours, not only this minute. Pure: the stores only keep JSON.

import { actionTarget, type Decision } from '../core/decision';
import type { EndedOverride, NodeSample, ScalerHistory, TimelineEntry, WorkerSample } from './history-records';
import { appendSample, fillVms, samplesFrom } from './history-vms';
import type { ActionOutcome } from './run-tick';

export type { EndedOverride, NodeSample, ScalerHistory, TimelineEntry, WorkerSample } from './history-records';

/** About 12 hours of one-minute node ticks, 6 hours of 30-second worker ticks per worker. */
export const HISTORY_SAMPLES = 720;
/** Actions kept for the timeline, per scaler key. */
export const HISTORY_ACTIONS = 300;
/** Ended overrides kept, per key: weeks of them at the pace people set overrides. */
export const HISTORY_OVERRIDES = 100;
/** The status key under which the overrides endpoint records removals (the scalers' keys record expiries). */
export const OVERRIDES_HISTORY_KEY = 'overrides';
/**
 * A ConfigMap holds at most 1 MiB in all: each scaler's history (up to four keys with `all`) stays
 * under this, the oldest entries going first, whatever the length of the reasons.
 */
export const HISTORY_MAX_BYTES = 160 * 1024;

export function emptyHistory(): ScalerHistory {
  return { nodes: [], workers: [], actions: [] };
}

/** The previous history (whatever was stored, possibly from an older version) with this tick appended. */
export function appendHistory(previous: unknown, decision: Decision, outcomes: readonly ActionOutcome[]): ScalerHistory {
  const base = asHistory(previous);
  const at = decision.now;
  const nodes = decision.summary.nodes;
  const nodeSamples = nodes
    ? appendSample(
        base.nodes,
        {
          at,
          running: nodes.running,
          starting: nodes.starting,
          draining: nodes.draining,
          stopped: nodes.stopped,
          desired: nodes.desired,
          minNodes: nodes.minNodes,
        },
        nodes.vms,
      )
    : base.nodes;
  const workerSamples = [...base.workers];
  for (const w of decision.summary.workers)
    workerSamples.push({ at, name: w.name, replicas: w.current, desired: w.desired, queueDepth: w.messages });
  const actions = [...base.actions];
  for (const o of outcomes) {
    actions.push({
      at,
      scaler: o.action.scaler,
      type: o.action.type,
      target: actionTarget(o.action),
      rule: o.action.rule,
      outcome: o.outcome,
      reason: o.action.reason,
      ...(o.detail ? { detail: o.detail } : {}),
    });
  }
  const workerNames = new Set(workerSamples.map((s) => s.name)).size || 1;
  const expired = (decision.expiredOverrides ?? []).map((override): EndedOverride => ({ override, endedAt: at, ended: 'expired' }));
  return withinBytes({
    nodes: samplesFrom(nodeSamples, nodeSamples.length - HISTORY_SAMPLES),
    workers: workerSamples.slice(-HISTORY_SAMPLES * workerNames),
    actions: actions.slice(-HISTORY_ACTIONS),
    overrides: [...(base.overrides ?? []), ...expired].slice(-HISTORY_OVERRIDES),
  });
}

/** The previous history with overrides that ended outside a tick (removed by a person) appended. */
export function recordEndedOverrides(previous: unknown, ended: readonly EndedOverride[]): ScalerHistory {
  const base = asHistory(previous);
  return withinBytes({ ...base, overrides: [...(base.overrides ?? []), ...ended].slice(-HISTORY_OVERRIDES) });
}

/** Drops the oldest tenth of each list until the history's JSON fits HISTORY_MAX_BYTES. */
function withinBytes(history: ScalerHistory): ScalerHistory {
  let h = history;
  while (Buffer.byteLength(JSON.stringify(h)) > HISTORY_MAX_BYTES) {
    const tenth = (list: readonly unknown[]) => Math.ceil(list.length / 10);
    const drop = <T>(list: T[]) => list.slice(tenth(list));
    h = {
      nodes: samplesFrom(h.nodes, tenth(h.nodes)),
      workers: drop(h.workers),
      actions: drop(h.actions),
      overrides: drop(h.overrides ?? []),
    };
  }
  return h;
}

/** Histories of several scalers merged for display: samples oldest first, actions newest first. */
export function mergeHistories(histories: readonly unknown[]): {
  nodes: NodeSample[];
  workers: WorkerSample[];
  timeline: TimelineEntry[];
  endedOverrides: EndedOverride[];
} {
  const all = histories.map(asHistory);
  const byTime = <T extends { at: string }>(a: T, b: T) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  return {
    nodes: all.flatMap((h) => fillVms(h.nodes)).sort(byTime),
    workers: all.flatMap((h) => h.workers).sort(byTime),
    timeline: all
      .flatMap((h) => h.actions)
      .sort(byTime)
      .reverse(),
    endedOverrides: endedOnce(all.flatMap((h) => h.overrides ?? [])),
  };
}

/** Newest first, each override once: two ticks running at the same moment may both see it expire. */
function endedOnce(ended: readonly EndedOverride[]): EndedOverride[] {
  const first = new Map<string, EndedOverride>();
  for (const e of [...ended].sort((a, b) => (a.endedAt < b.endedAt ? -1 : a.endedAt > b.endedAt ? 1 : 0))) {
    if (!first.has(e.override.id)) first.set(e.override.id, e);
  }
  return [...first.values()].reverse();
}

/** Tolerates a missing or foreign value (a hand-edited ConfigMap): what cannot be read starts afresh. */
function asHistory(value: unknown): ScalerHistory {
  if (typeof value !== 'object' || value === null) return emptyHistory();
  const v = value as Partial<Record<keyof ScalerHistory, unknown>>;
  return {
    nodes: Array.isArray(v.nodes) ? (v.nodes as NodeSample[]) : [],
    workers: Array.isArray(v.workers) ? (v.workers as WorkerSample[]) : [],
    actions: Array.isArray(v.actions) ? (v.actions as TimelineEntry[]) : [],
    overrides: Array.isArray(v.overrides) ? (v.overrides as EndedOverride[]).filter(isEnded) : [],
  };
}

/** A hand-edited entry without the parts the page shows is left out rather than breaking the page. */
function isEnded(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Partial<EndedOverride>;
  return typeof x.endedAt === 'string' && typeof x.override === 'object' && x.override !== null && typeof x.override.id === 'string';
}
