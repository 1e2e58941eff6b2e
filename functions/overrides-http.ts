// GET|POST /api/overrides, DELETE /api/overrides/{id}: a person pins, pauses or bounds a scaler for a
// while (maintenance, a trip, an incident). Stored in memory with optimistic concurrency, so a tick
// running at the same moment neither loses the override nor overwrites it. A write that keeps losing
// the race (ticks saving memory again and again), or a store that cannot be reached, is answered 503
// with Retry-After: the request was not applied and can be sent again; never a 500. Who set an
// override is kept on it; who removed it (or that it expired) goes to the status history, shown on the page.

import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ensureError } from '../core/errors';
import type { Memory, Override } from '../core/memory';
import { describeValue, overrideRoom, validateOverrideRequest } from '../core/override-request';
import type { EndedOverride } from '../runner/history-records';
import { backoffDelay, DEFAULT_RETRY } from '../runner/retry';
import { OVERRIDES_HISTORY_KEY, recordEndedOverrides } from '../runner/status-history';
import { invalidateDashboard } from './dashboard-http';
import { badRequest, json, readJsonBody } from './http-helpers';
import { requesterOf } from './requester';
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
    const checked = validateOverrideRequest(body.body, {
      policy: runtime.policy,
      now,
      id: runtime.newId(),
      createdBy: requesterOf(request),
    });
    if (!checked.ok) return badRequest(checked.errors);
    const override = checked.override;
    let expired: Override[] = [];
    const refused = await written(runtime, (m) => {
      // The ConfigMap holding them has a size limit: refuse rather than fail every tick's save later.
      const full = overrideRoom(active(m), override);
      if (full) return json(409, { error: 'no room for another override', problems: [full] });
      // Dropped here before a tick saw them run out: recorded as expired all the same.
      expired = m.overrides.filter((o) => Date.parse(o.expiresAt) <= now);
      // Without its own id: a save whose answer was lost may have stored it already.
      m.overrides = [...active(m).filter((o) => o.id !== override.id), override];
    });
    if (refused) return refused;
    context.log(
      `override ${override.id} set by ${override.createdBy ?? 'unknown'}: ${override.mode} ${override.scaler} until ${override.expiresAt}: ${override.reason}`,
      { override },
    );
    await recordEnded(
      runtime,
      context,
      expired.map((o) => ({ override: o, endedAt: o.expiresAt, ended: 'expired' })),
    );
    return json(201, { override });
  }
  if (request.method === 'DELETE') {
    const id = request.params.id;
    if (!id) return badRequest(['id: DELETE /api/overrides/{id}']);
    let found: Override | undefined;
    const refused = await written(runtime, (m) => {
      found = m.overrides.find((o) => o.id === id);
      // Nothing to remove is nothing to save.
      if (!found) return json(404, { error: `no override ${describeValue(id)}` });
      m.overrides = m.overrides.filter((o) => o.id !== id);
    });
    if (refused) return refused;
    // Set whenever `written` did not answer (it answers the 404 itself).
    const removed = found as Override;
    const by = requesterOf(request);
    context.log(`override ${id} removed by ${by ?? 'unknown'}`);
    // Removing one that had already run out is its expiry, not a person's decision.
    const ended: EndedOverride =
      Date.parse(removed.expiresAt) <= now
        ? { override: removed, endedAt: removed.expiresAt, ended: 'expired' }
        : { override: removed, endedAt: new Date(now).toISOString(), ended: 'removed', ...(by ? { endedBy: by } : {}) };
    await recordEnded(runtime, context, [ended]);
    return json(200, { removed: id });
  }
  return json(405, { error: `method ${request.method} not allowed` });
}

/** A report, not state: the override's change is saved already, so a status store that fails is logged, not returned. */
async function recordEnded(runtime: Runtime, context: InvocationContext, ended: readonly EndedOverride[]): Promise<void> {
  if (ended.length === 0 || !runtime.deps.status) return;
  const last = {
    lastChange: ended[ended.length - 1]!.endedAt,
    ended: ended.map((e) => ({ id: e.override.id, ended: e.ended, ...(e.endedBy ? { endedBy: e.endedBy } : {}) })),
  };
  await runtime.deps.status
    .write(OVERRIDES_HISTORY_KEY, last, (previous) => recordEndedOverrides(previous, ended))
    .catch((err: unknown) => {
      context.warn(`override history not written: ${String(err)}`);
    });
  invalidateDashboard();
}
