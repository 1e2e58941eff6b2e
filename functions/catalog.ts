// Every function of the app in one list: the Functions host registers it (index.ts), and the
// simulator's local host serves the same handlers on the same routes and schedules (devhost/local-host.ts).

import { app, type HttpHandler, type HttpMethod, type TimerHandler } from '@azure/functions';
import { auditHttp } from './audit-http';
import { dashboardDataHttp, dashboardPageHttp } from './dashboard-http';
import { overridesHttp } from './overrides-http';
import { planHttp, runHttp } from './plan-http';
import { scheduleFor } from './schedules';
import { statusHttp } from './status-http';
import { deschedulerTick, nodeScalerTick, workerScalerTick } from './timer-tick';

export interface HttpFunction {
  name: string;
  methods: HttpMethod[];
  /** Route template below /api, as the host takes it (`{name}`, `{name?}`). */
  route: string;
  handler: HttpHandler;
}

export interface TimerFunction {
  name: string;
  /** Six-field NCRONTAB, UTC. */
  schedule: string;
  handler: TimerHandler;
}

export const HTTP_FUNCTIONS: readonly HttpFunction[] = [
  { name: 'status', methods: ['GET'], route: 'status', handler: statusHttp },
  { name: 'overrides', methods: ['GET', 'POST', 'DELETE'], route: 'overrides/{id?}', handler: overridesHttp },
  { name: 'plan', methods: ['POST'], route: 'plan/{scaler}', handler: planHttp },
  { name: 'run', methods: ['POST'], route: 'run/{scaler}', handler: runHttp },
  { name: 'dashboard', methods: ['GET'], route: 'dashboard', handler: dashboardPageHttp },
  { name: 'dashboardData', methods: ['GET'], route: 'dashboard/data', handler: dashboardDataHttp },
  { name: 'audit', methods: ['GET'], route: 'audit', handler: auditHttp },
];

export function timerFunctions(env: NodeJS.ProcessEnv = process.env): TimerFunction[] {
  return [
    { name: 'nodeScaler', schedule: scheduleFor('nodes', env), handler: nodeScalerTick },
    { name: 'workerScaler', schedule: scheduleFor('workers', env), handler: workerScalerTick },
    { name: 'descheduler', schedule: scheduleFor('descheduler', env), handler: deschedulerTick },
  ];
}

/** Registers every function with the Functions host. */
export function registerFunctions(env: NodeJS.ProcessEnv = process.env): void {
  // Every HTTP route needs the function key: the API changes what runs in the cluster.
  for (const f of HTTP_FUNCTIONS) app.http(f.name, { methods: f.methods, authLevel: 'function', route: f.route, handler: f.handler });
  // Never runOnStartup: it would also fire on every scale-out and restart.
  for (const f of timerFunctions(env))
    app.timer(f.name, { schedule: f.schedule, runOnStartup: false, useMonitor: true, handler: f.handler });
}
