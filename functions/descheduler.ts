// Descheduler: every 10 minutes by default; balancing is never urgent.

import { app, type InvocationContext, type Timer } from '@azure/functions';
import { scheduleFor } from './schedules';
import { timerTick } from './timer-tick';

export async function deschedulerTick(timer: Timer, context: InvocationContext): Promise<void> {
  await timerTick('descheduler', timer, context);
}

// Never runOnStartup: it would also fire on every scale-out and restart.
app.timer('descheduler', { schedule: scheduleFor('descheduler'), runOnStartup: false, useMonitor: true, handler: deschedulerTick });
