// GET /api/status: each scaler's mode (first: in observe mode nothing below is being done), what each
// scaler would do now and why (a dry run of all three), refusals, active overrides, and what is
// remembered (drains in progress, nodes starting).

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { modeBanners } from '../page/banners';
import { runTick } from '../runner/run-tick';
import { json } from './http-helpers';
import { invocationLogger } from './invocation-log';
import { getRuntime } from './runtime';

export async function statusHttp(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const runtime = await getRuntime();
  const result = await runTick({ ...runtime.deps, log: invocationLogger(context) }, runtime.policy, 'all', { dryRun: true });
  if (result.status !== 'planned') return json(500, { error: 'unexpected tick result' });
  const { decision } = result;
  return json(200, {
    modes: runtime.policy.modes,
    banners: modeBanners(runtime.policy).map((b) => b.text),
    now: decision.now,
    summary: decision.summary,
    wouldDo: decision.actions,
    skipped: decision.skipped,
    refused: decision.refused,
    notes: decision.notes,
    overrides: decision.memory.overrides,
    drains: decision.memory.nodes.drains,
    starting: decision.memory.nodes.starting,
  });
}
