// GET|POST /api/overrides, DELETE /api/overrides/{id}: a person pins, pauses or bounds a scaler for a
// while (maintenance, a trip, an incident). Stored in memory with optimistic concurrency, so a tick
// running at the same moment neither loses the override nor overwrites it. A write that keeps losing
// the race (ticks saving memory again and again), or a store that cannot be reached, is answered 503
// with Retry-After: the request was not applied and can be sent again; never a 500.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ensureError } from '../core/errors';
import type { Memory } from '../core/memory';
import { validateOverrideRequest } from '../core/override-request';
import { backoffDelay, DEFAULT_RETRY } from '../runner/retry';
import { invalidateDashboard } from './dashboard-http';
import { badRequest, json, readJsonBody, requesterOf } from './http-helpers';
import { getRuntime, type Runtime } from './runtime';

/** Conflicting saves tried, with jittered backoff between them: about 2 s in all at most. */
export const OVERRIDE_WRITE_ATTEMPTS = 6;
/** What the 503 asks the client to wait: a tick saves memory within a few seconds. */
export const RETRY_AFTER_SECONDS = 2;

class Contended extends Error {}

async function updateMemory(runtime: Runtime, change: (m: Memory) => void): Promise<Memory> {
  const sleep = runtime.deps.timing?.sleep ?? DEFAULT_RETRY.sleep;
  const random = runtime.deps.timing?.random ?? Math.random;
  for (let attempt = 1; attempt <= OVERRIDE_WRITE_ATTEMPTS; attempt++) {
    const { memory, version } = await runtime.memory.load();
    // A copy: a store may hand out the object it keeps, and a refused save must leave it untouched.
    const next = structuredClone(memory);
    change(next);
    if (await runtime.memory.save(next, version)) {
      invalidateDashboard();
      return next;
    }
    // Jittered: the writers that collided do not collide again on the next try.
    if (attempt < OVERRIDE_WRITE_ATTEMPTS) await sleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 800, random }));
  }
  throw new Contended(`the state ConfigMap changed under each of ${OVERRIDE_WRITE_ATTEMPTS} attempts`);
}

/** Runs a memory update; what kept it from being stored is a 503 the client may retry. */
async function written(runtime: Runtime, change: (m: Memory) => void): Promise<HttpResponseInit | undefined> {
  try {
    await updateMemory(runtime, change);
    return undefined;
  } catch (err) {
    const why = err instanceof Contended ? err.message : `the state ConfigMap could not be read or written (${ensureError(err).message})`;
    return unavailable(`not saved: ${why}; nothing was changed`);
  }
}

function unavailable(why: string): HttpResponseInit {
  const answer = json(503, { error: `${why}; try again in ${RETRY_AFTER_SECONDS} s` });
  return { ...answer, headers: { ...(answer.headers as Record<string, string>), 'retry-after': String(RETRY_AFTER_SECONDS) } };
}

export async function overridesHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const runtime = await getRuntime();
  const now = runtime.deps.clock();
  const active = (m: Memory) => m.overrides.filter((o) => Date.parse(o.expiresAt) > now);
  if (request.method === 'GET') {
    try {
      const { memory } = await runtime.memory.load();
      return json(200, { overrides: active(memory) });
    } catch (err) {
      return unavailable(`the state ConfigMap could not be read (${ensureError(err).message})`);
    }
  }
  if (request.method === 'POST') {
    const body = await readJsonBody(request);
    if (!body.ok) return badRequest(body.errors);
    const checked = validateOverrideRequest(body.body, { policy: runtime.policy, now, id: runtime.newId(), createdBy: requesterOf(request) });
    if (!checked.ok) return badRequest(checked.errors);
    const override = checked.override;
    const refused = await written(runtime, (m) => {
      // Without its own id: a save whose answer was lost may have stored it already.
      m.overrides = [...active(m).filter((o) => o.id !== override.id), override];
    });
    if (refused) return refused;
    context.log(`override ${override.id} set by ${override.createdBy ?? 'unknown'}: ${override.mode} ${override.scaler} until ${override.expiresAt}: ${override.reason}`, { override });
    return json(201, { override });
  }
  if (request.method === 'DELETE') {
    const id = request.params.id;
    if (!id) return badRequest(['id: DELETE /api/overrides/{id}']);
    let found = false;
    const refused = await written(runtime, (m) => {
      found = m.overrides.some((o) => o.id === id);
      m.overrides = m.overrides.filter((o) => o.id !== id);
    });
    if (refused) return refused;
    if (!found) return json(404, { error: `no override ${id}` });
    context.log(`override ${id} removed by ${requesterOf(request) ?? 'unknown'}`);
    return json(200, { removed: id });
  }
  return json(405, { error: `method ${request.method} not allowed` });
}

