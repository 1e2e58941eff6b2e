// Worker scaler: polls queue depth every 30 s by default, so a burst of jobs gets workers quickly.

import { app, type InvocationContext, type Timer } from '@azure/functions';
import { scheduleFor } from './schedules';
import { timerTick } from './timer-tick';

export async function workerScalerTick(timer: Timer, context: InvocationContext): Promise<void> {
  await timerTick('workers', timer, context);
}

// Never runOnStartup: it would also fire on every scale-out and restart.
app.timer('workerScaler', { schedule: scheduleFor('workers'), runOnStartup: false, useMonitor: true, handler: workerScalerTick });
