// GET|POST /api/overrides, DELETE /api/overrides/{id}: a person pins, pauses or bounds a scaler for a
// while (maintenance, a trip, an incident). Stored in memory with optimistic concurrency, so a tick
// running at the same moment neither loses the override nor overwrites it.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Memory } from '../core/memory';
import { validateOverrideRequest } from '../core/override-request';
import { invalidateDashboard } from './dashboard-http';
import { badRequest, json, readJsonBody, requesterOf } from './http-helpers';
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
    await updateMemory(runtime, (m) => {
      m.overrides = [...active(m), override];
    });
    context.log(`override ${override.id} set by ${override.createdBy ?? 'unknown'}: ${override.mode} ${override.scaler} until ${override.expiresAt}: ${override.reason}`, { override });
    return json(201, { override });
  }
  if (request.method === 'DELETE') {
    const id = request.params.id;
    if (!id) return badRequest(['id: DELETE /api/overrides/{id}']);
    let found = false;
    await updateMemory(runtime, (m) => {
      found = m.overrides.some((o) => o.id === id);
      m.overrides = m.overrides.filter((o) => o.id !== id);
    });
    if (!found) return json(404, { error: `no override ${id}` });
    context.log(`override ${id} removed by ${requesterOf(request) ?? 'unknown'}`);
    return json(200, { removed: id });
  }
  return json(405, { error: `method ${request.method} not allowed` });
}

