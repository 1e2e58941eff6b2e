// What each scaler's mode means for a tick: `off` scalers are not read or planned, `observe` scalers
// are planned and recorded but their actions are not carried out, `act` scalers act. Kept apart from
// run-tick.ts so the tick's steps stay read → plan → act → remember.

import type { Action } from '../core/decision';
import type { Memory } from '../core/memory';
import { observedMemory, type Modes, type ScalerMode } from '../core/modes';
import type { ScalerName } from '../core/scalers';
import type { ActionOutcome } from './run-tick';

export interface TickModes {
  /** Scalers planned this tick (not off). */
  planned: ScalerName[];
  /** Of those, the ones whose actions are only recorded. */
  observing: ScalerName[];
  off: ScalerName[];
}

export function tickModes(modes: Modes, scalers: readonly ScalerName[]): TickModes {
  const of = (mode: ScalerMode) => scalers.filter((s) => modes[s] === mode);
  return { planned: scalers.filter((s) => modes[s] !== 'off'), observing: of('observe'), off: of('off') };
}

export const OBSERVED_DETAIL = 'observe mode: recorded, not carried out';

/** The outcome an observing scaler's action gets instead of being carried out. */
export function observedOutcome(action: Action): ActionOutcome {
  return { action, outcome: 'observed', detail: OBSERVED_DETAIL };
}

/** The memory to save: an observing scaler keeps only what it saw (core/modes.ts says why). */
export function memoryToSave(before: Memory, planned: Memory, modes: TickModes): Memory {
  return modes.observing.length === 0 ? planned : observedMemory(before, planned, modes.observing);
}
