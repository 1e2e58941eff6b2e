// How far each scaler goes: `off` (not run at all), `observe` (plans and records what it would do,
// does nothing) or `act`. A new deployment observes: a person watches the decisions against the real
// cluster first and switches each scaler to act when they agree with them (docs/deploy.md).

import type { Memory } from './memory';
import { SCALER_NAMES, type ScalerName } from './scalers';

export const SCALER_MODES = ['off', 'observe', 'act'] as const;

export type ScalerMode = (typeof SCALER_MODES)[number];

export type Modes = { readonly [S in ScalerName]: ScalerMode };

/** What a scaler does when neither the policy nor an app setting says: watch, never touch. */
export const DEFAULT_MODE: ScalerMode = 'observe';

export const OBSERVE_ALL: Modes = { nodes: 'observe', workers: 'observe', descheduler: 'observe' };

/** The simulator's and `npm start`'s: they are the demonstration, on a cluster of their own. */
export const ACT_ALL: Modes = { nodes: 'act', workers: 'act', descheduler: 'act' };

export function isScalerMode(value: unknown): value is ScalerMode {
  return (SCALER_MODES as readonly unknown[]).includes(value);
}

/** `modes` with some scalers' modes replaced (app settings over the policy). */
export function withModes(modes: Modes, replace: Partial<Record<ScalerName, ScalerMode>>): Modes {
  const out = { ...modes };
  for (const s of SCALER_NAMES) {
    const m = replace[s];
    if (m !== undefined) out[s] = m;
  }
  return out;
}

/**
 * The memory an observing tick may keep. Only what was *seen* carries forward (the scalers'
 * recommendation histories, so the stabilisation window is already covered when a person switches
 * to act); everything that would claim an action happened (a drain begun, a VM started, a pool grown,
 * a scale, an eviction) stays as it was before the tick. Switching to act then starts from the
 * cluster as it is, with an honest history behind it.
 */
export function observedMemory(before: Memory, planned: Memory, observing: readonly ScalerName[]): Memory {
  const nodes = observing.includes('nodes') ? { ...before.nodes, recommendations: planned.nodes.recommendations } : planned.nodes;
  let workers = planned.workers;
  if (observing.includes('workers')) {
    workers = {};
    for (const [name, w] of Object.entries(planned.workers))
      workers[name] = { ...before.workers[name], recommendations: w.recommendations };
  }
  const descheduler = observing.includes('descheduler') ? before.descheduler : planned.descheduler;
  return { ...planned, nodes, workers, descheduler };
}
