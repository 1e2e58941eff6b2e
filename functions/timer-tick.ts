// The three timer functions: one tick of one scaler each, logged, failures rethrown so only that
// invocation fails (the next timer run starts afresh).

import type { InvocationContext, Timer } from '@azure/functions';
import type { ScalerName } from '../core/memory';
import { runTick, type TickResult } from '../runner/run-tick';
import { invocationLogger } from './invocation-log';
import { getRuntime } from './runtime';

export async function timerTick(scaler: ScalerName, timer: Timer, context: InvocationContext): Promise<TickResult> {
  try {
    const runtime = await getRuntime();
    if (timer.isPastDue) context.warn(`${scaler}: timer is past due (the previous tick ran long or the app was idle)`);
    const deps = { ...runtime.deps, log: invocationLogger(context) };
    return await runTick(deps, runtime.policy, scaler, { dryRun: false });
  } catch (err) {
    context.error(`${scaler} tick failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    throw err;
  }
}

/** Node scaler: every minute by default; scale-up reacts within a tick. */
export async function nodeScalerTick(timer: Timer, context: InvocationContext): Promise<void> {
  await timerTick('nodes', timer, context);
}

/** Worker scaler: polls queue depth every 30 s by default, so a burst of jobs gets workers quickly. */
export async function workerScalerTick(timer: Timer, context: InvocationContext): Promise<void> {
  await timerTick('workers', timer, context);
}

/** Descheduler: every 10 minutes by default; spreading is slow work, evictions are rationed. */
export async function deschedulerTick(timer: Timer, context: InvocationContext): Promise<void> {
  await timerTick('descheduler', timer, context);
}
