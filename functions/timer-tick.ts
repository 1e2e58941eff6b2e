// The shared body of the three timer functions: one tick of one scaler, logged, failures rethrown so
// only that invocation fails (the next timer run starts afresh).

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
    context.error(`${scaler} tick failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    throw err;
  }
}
