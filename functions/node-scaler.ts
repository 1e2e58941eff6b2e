// Node scaler: every minute by default; scale-up reacts within a tick.

import { app, type InvocationContext, type Timer } from '@azure/functions';
import { scheduleFor } from './schedules';
import { timerTick } from './timer-tick';

export async function nodeScalerTick(timer: Timer, context: InvocationContext): Promise<void> {
  await timerTick('nodes', timer, context);
}

// Never runOnStartup: it would also fire on every scale-out and restart.
app.timer('nodeScaler', { schedule: scheduleFor('nodes'), runOnStartup: false, useMonitor: true, handler: nodeScalerTick });
