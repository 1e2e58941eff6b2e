// GET|POST /api/overrides, DELETE /api/overrides/{id}: a person pins, pauses or bounds a scaler for a
// while (maintenance, a trip, an incident). Stored in memory with optimistic concurrency, so a tick
// running at the same moment neither loses the override nor overwrites it. Who set an override is
// kept on it; who removed it (or that it expired) goes to the status history, shown on the page.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Memory, Override } from '../core/memory';
import { validateOverrideRequest } from '../core/override-request';
import type { EndedOverride } from '../runner/history-records';
import { OVERRIDES_HISTORY_KEY, recordEndedOverrides } from '../runner/status-history';
import { invalidateDashboard } from './dashboard-http';
import { badRequest, json, readJsonBody } from './http-helpers';
import { requesterOf } from './requester';
import { getRuntime, type Runtime } from './runtime';

async function updateMemory(runtime: Runtime, change: (m: Memory) => void): Promise<Memory> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { memory, version } = await runtime.memory.load();
    // A copy: a store may hand out the object it keeps, and a refused save must leave it untouched.
    const next = structuredClone(memory);
    change(next);
    if (await runtime.memory.save(next, version)) {
      invalidateDashboard();
      return next;
    }
  }
  throw new Error('the state ConfigMap kept changing; try again');
}

export async function overridesHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const runtime = await getRuntime();
  const now = runtime.deps.clock();
  const active = (m: Memory) => m.overrides.filter((o) => Date.parse(o.expiresAt) > now);
  if (request.method === 'GET') {
    const { memory } = await runtime.memory.load();
    return json(200, { overrides: active(memory) });
  }
  if (request.method === 'POST') {
    const body = await readJsonBody(request);
    if (!body.ok) return badRequest(body.errors);
    const checked = validateOverrideRequest(body.body, { policy: runtime.policy, now, id: runtime.newId(), createdBy: requesterOf(request) });
    if (!checked.ok) return badRequest(checked.errors);
    const override = checked.override;
    let expired: Override[] = [];
    await updateMemory(runtime, (m) => {
      // Dropped here before a tick saw them run out: recorded as expired all the same.
      expired = m.overrides.filter((o) => Date.parse(o.expiresAt) <= now);
      m.overrides = [...active(m), override];
    });
    context.log(`override ${override.id} set by ${override.createdBy ?? 'unknown'}: ${override.mode} ${override.scaler} until ${override.expiresAt}: ${override.reason}`, { override });
    await recordEnded(runtime, context, expired.map((o) => ({ override: o, endedAt: o.expiresAt, ended: 'expired' })));
    return json(201, { override });
  }
  if (request.method === 'DELETE') {
    const id = request.params.id;
    if (!id) return badRequest(['id: DELETE /api/overrides/{id}']);
    let found: Override | undefined;
    await updateMemory(runtime, (m) => {
      found = m.overrides.find((o) => o.id === id);
      m.overrides = m.overrides.filter((o) => o.id !== id);
    });
    if (!found) return json(404, { error: `no override ${id}` });
    const by = requesterOf(request);
    context.log(`override ${id} removed by ${by ?? 'unknown'}`);
    // Removing one that had already run out is its expiry, not a person's decision.
    const ended: EndedOverride =
      Date.parse(found.expiresAt) <= now
        ? { override: found, endedAt: found.expiresAt, ended: 'expired' }
        : { override: found, endedAt: new Date(now).toISOString(), ended: 'removed', ...(by ? { endedBy: by } : {}) };
    await recordEnded(runtime, context, [ended]);
    return json(200, { removed: id });
  }
  return json(405, { error: `method ${request.method} not allowed` });
}


/** A report, not state: the override's change is saved already, so a status store that fails is logged, not returned. */
async function recordEnded(runtime: Runtime, context: InvocationContext, ended: readonly EndedOverride[]): Promise<void> {
  if (ended.length === 0 || !runtime.deps.status) return;
  const last = { lastChange: ended[ended.length - 1]!.endedAt, ended: ended.map((e) => ({ id: e.override.id, ended: e.ended, ...(e.endedBy ? { endedBy: e.endedBy } : {}) })) };
  await runtime.deps.status.write(OVERRIDES_HISTORY_KEY, last, (previous) => recordEndedOverrides(previous, ended)).catch((err: unknown) => {
    context.warn(`override history not written: ${String(err)}`);
  });
  invalidateDashboard();
}
