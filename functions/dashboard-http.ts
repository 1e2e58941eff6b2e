// GET /api/dashboard: the status page (one self-contained HTML document).
// GET /api/dashboard/data: what it shows — a dry run of every scaler on the live cluster, the nodes by
// state, the workers and their queues, active overrides, and the stored history of figures and actions.
// Both behind the function key like the rest of the API; the page passes its `code` on to its calls.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { runTick } from '../runner/run-tick';
import { buildDashboard } from '../page/data';
import { DASHBOARD_PAGE_CSP, dashboardPage } from '../page/html';
import { json } from './http-helpers';
import { invocationLogger } from './invocation-log';
import { getRuntime, type Runtime } from './runtime';
import { readStoredStatus } from './stored-status';

/** The page's own script (by hash) and style, calls back to this origin only, never framed. */
const PAGE_POLICY = `${DASHBOARD_PAGE_CSP}; frame-ancestors 'none'`;

export async function dashboardPageHttp(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return {
    status: 200,
    body: dashboardPage(),
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': PAGE_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  };
}

/** The document being built or last built, shared by the requests within `dashboardCacheMs`. */
let cached: { runtime: Runtime; at: number; data: Promise<HttpResponseInit> } | undefined;

/** Forgets the cached document: an override just changed, and the page that set it refreshes at once. */
export function invalidateDashboard(): void {
  cached = undefined;
}

export async function dashboardDataHttp(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const runtime = await getRuntime();
  const maxAge = runtime.dashboardCacheMs ?? 0;
  const now = Date.now();
  if (cached?.runtime === runtime && now - cached.at < maxAge) return cached.data;
  const data = buildData(runtime, context);
  cached = { runtime, at: now, data };
  // A failed build is not served to the next caller.
  data.catch(() => {
    if (cached?.data === data) cached = undefined;
  });
  return data;
}

async function buildData(runtime: Runtime, context: InvocationContext): Promise<HttpResponseInit> {
  const deps = { ...runtime.deps, log: invocationLogger(context) };
  const [result, stored] = await Promise.all([runTick(deps, runtime.policy, 'all', { dryRun: true }), readStoredStatus(deps)]);
  if (result.status !== 'planned') return json(500, { error: 'unexpected tick result' });
  return json(
    200,
    buildDashboard({ decision: result.decision, snapshot: result.snapshot, policy: runtime.policy, stored, source: runtime.source }),
  );
}
