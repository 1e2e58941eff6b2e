// GET /api/status: each scaler's mode (first: in observe mode nothing below is being done), what each
// scaler would do now and why (a dry run of all three), refusals, active overrides, and what is
// remembered (drains in progress, nodes starting), and what the VMs cost (as the status page's tile).

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { vmsByPool } from '../core/cost';
import { modeBanners } from '../page/banners';
import { dashboardCost } from '../page/cost';
import { runTick } from '../runner/run-tick';
import { mergeHistories } from '../runner/status-history';
import { json } from './http-helpers';
import { invocationLogger } from './invocation-log';
import { getRuntime } from './runtime';
import { readStoredStatus } from './stored-status';

export async function statusHttp(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const runtime = await getRuntime();
  const deps = { ...runtime.deps, log: invocationLogger(context) };
  const [result, stored] = await Promise.all([runTick(deps, runtime.policy, 'all', { dryRun: true }), readStoredStatus(deps)]);
  if (result.status !== 'planned') return json(500, { error: 'unexpected tick result' });
  const { decision } = result;
  // The status page's cost figures, from the same history (page/cost.ts).
  const cost = dashboardCost({
    policy: runtime.policy,
    vmsNow: vmsByPool(result.snapshot.nodes),
    samples: mergeHistories(Object.values(stored).map((s) => s.history)).nodes,
    now: decision.now,
  });
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
    cost,
  });
}
