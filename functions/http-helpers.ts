// Small shared pieces of the HTTP functions: JSON answers, bounded bodies, who is asking.

import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { ensureError } from '../core/errors';
import { describeValue } from '../core/override-request';

/** Override requests are a few hundred bytes; anything much larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 16 * 1024;

export const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  jsonBody: body,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
});

/** Problems listed in one answer at most: a body of thousands of unknown keys gets a short answer. */
export const MAX_PROBLEMS = 20;

export const badRequest = (errors: readonly string[]): HttpResponseInit =>
  json(400, {
    error: 'bad request',
    problems: errors.length > MAX_PROBLEMS ? [...errors.slice(0, MAX_PROBLEMS), `… and ${errors.length - MAX_PROBLEMS} more`] : errors,
  });

/** Reads a JSON body within the size limit; a string array of problems when it cannot. */
export async function readJsonBody(request: HttpRequest): Promise<{ ok: true; body: unknown } | { ok: false; errors: string[] }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    return { ok: false, errors: [`content-type: expected application/json, got ${describeValue(type || 'none')}`] };
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return { ok: false, errors: [`body: at most ${MAX_BODY_BYTES} bytes, got ${declared}`] };
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, errors: [`body: at most ${MAX_BODY_BYTES} bytes`] };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, errors: [`body: not valid JSON (${ensureError(err).message})`] };
  }
}
