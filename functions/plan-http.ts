// POST /api/plan/{scaler}: the decision now, nothing done (a dry run).
// POST /api/run/{scaler}: run a tick now, as the timer would (Lease taken, actions carried out for the
// scalers in act mode, recorded only for those in observe mode).

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { describeRefusal } from '../core/decision';
import { SCALER_NAMES } from '../core/scalers';
import { runTick, type TickTarget } from '../runner/run-tick';
import { json } from './http-helpers';
import { invocationLogger } from './invocation-log';
import { getRuntime } from './runtime';

const TARGETS: readonly TickTarget[] = [...SCALER_NAMES, 'all'];

async function tick(request: HttpRequest, context: InvocationContext, dryRun: boolean): Promise<HttpResponseInit> {
  const scaler = request.params.scaler as TickTarget;
  if (!TARGETS.includes(scaler))
    return json(400, {
      error: 'bad request',
      problems: [`scaler: expected one of ${TARGETS.join(', ')}, got ${JSON.stringify(request.params.scaler)}`],
    });
  const runtime = await getRuntime();
  const result = await runTick({ ...runtime.deps, log: invocationLogger(context) }, runtime.policy, scaler, { dryRun });
  if (result.status === 'not-leader') return json(409, { error: 'another tick holds the graceful-scaler lease; try again in a minute' });
  if (result.status === 'off')
    return json(409, {
      error: `${scaler} is off: set modes.${scaler} in the policy (or its GRACEFUL_SCALER_MODE_* app setting) to observe or act`,
    });
  const modes = runtime.policy.modes;
  const body =
    result.status === 'planned'
      ? { ...result.decision, modes }
      : {
          decision: result.decision,
          modes,
          outcomes: result.outcomes.map((o) => ({ type: o.action.type, rule: o.action.rule, outcome: o.outcome, detail: o.detail })),
          memorySaved: result.memorySaved,
        };
  // Nonsense in the input: the scaler concerned planned nothing and did nothing; say what to fix.
  if (result.decision.refused.length > 0)
    return json(422, { error: 'refused', problems: result.decision.refused.map(describeRefusal), ...body });
  return json(200, body);
}

export const planHttp = (request: HttpRequest, context: InvocationContext) => tick(request, context, true);
export const runHttp = (request: HttpRequest, context: InvocationContext) => tick(request, context, false);
