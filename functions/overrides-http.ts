// GET|POST /api/overrides, DELETE /api/overrides/{id}: a person pins, pauses or bounds a scaler for a
// while (maintenance, a trip, an incident). Stored in memory with optimistic concurrency, so a tick
// running at the same moment neither loses the override nor overwrites it. A write that keeps losing
// the race (ticks saving memory again and again), or a store that cannot be reached, is answered 503
// with Retry-After: the request was not applied and can be sent again; never a 500.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ensureError } from '../core/errors';
import type { Memory } from '../core/memory';
import { describeValue, overrideRoom, validateOverrideRequest } from '../core/override-request';
import { backoffDelay, DEFAULT_RETRY } from '../runner/retry';
import { invalidateDashboard } from './dashboard-http';
import { badRequest, json, readJsonBody, requesterOf } from './http-helpers';
import { getRuntime, type Runtime } from './runtime';

/** Conflicting saves tried, with jittered backoff between them: about 2 s in all at most. */
export const OVERRIDE_WRITE_ATTEMPTS = 6;
/** What the 503 asks the client to wait: a tick saves memory within a few seconds. */
export const RETRY_AFTER_SECONDS = 2;

class Contended extends Error {}

/** What a change answers instead of saving: the request is refused, memory is left as it was. */
type Refusal = HttpResponseInit;

async function updateMemory(runtime: Runtime, change: (m: Memory) => Refusal | void): Promise<Refusal | undefined> {
  const sleep = runtime.deps.timing?.sleep ?? DEFAULT_RETRY.sleep;
  const random = runtime.deps.timing?.random ?? Math.random;
  for (let attempt = 1; attempt <= OVERRIDE_WRITE_ATTEMPTS; attempt++) {
    const { memory, version } = await runtime.memory.load();
    // A copy: a store may hand out the object it keeps, and a refused save must leave it untouched.
    const next = structuredClone(memory);
    // Checked against what is stored now, on every attempt: a concurrent write may have filled it.
    const refusal = change(next);
    if (refusal) return refusal;
    if (await runtime.memory.save(next, version)) {
      invalidateDashboard();
      return undefined;
    }
    // Jittered: the writers that collided do not collide again on the next try.
    if (attempt < OVERRIDE_WRITE_ATTEMPTS) await sleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 800, random }));
  }
  throw new Contended(`the state ConfigMap changed under each of ${OVERRIDE_WRITE_ATTEMPTS} attempts`);
}

/**
 * Runs a memory update; what kept it from being stored is a 503 the client may retry, and what the
 * change refused is answered as it says. Undefined when saved.
 */
async function written(runtime: Runtime, change: (m: Memory) => Refusal | void): Promise<HttpResponseInit | undefined> {
  try {
    return await updateMemory(runtime, change);
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
      // The ConfigMap holding them has a size limit: refuse rather than fail every tick's save later.
      const full = overrideRoom(active(m), override);
      if (full) return json(409, { error: 'no room for another override', problems: [full] });
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
    const refused = await written(runtime, (m) => {
      // Nothing to remove is nothing to save.
      if (!m.overrides.some((o) => o.id === id)) return json(404, { error: `no override ${describeValue(id)}` });
      m.overrides = m.overrides.filter((o) => o.id !== id);
    });
    if (refused) return refused;
    context.log(`override ${id} removed by ${requesterOf(request) ?? 'unknown'}`);
    return json(200, { removed: id });
  }
  return json(405, { error: `method ${request.method} not allowed` });
}

