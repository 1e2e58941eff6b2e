// A person's request for an override (over HTTP), checked in full before anything is stored: every
// problem is reported at once, and nothing is half-applied.

import { formatDuration, parseDuration } from './duration';
import type { Override, ScalerName } from './memory';
import type { Policy } from './policy';
import { isScalerName, SCALER_NAMES } from './scalers';

/** Long enough for a holiday week, short enough that a forgotten pin does not become the policy. */
export const MAX_OVERRIDE_MS = 7 * 24 * 3600 * 1000;
const MAX_COUNT = 10_000;
const KEYS = new Set(['scaler', 'worker', 'mode', 'count', 'min', 'max', 'reason', 'for', 'expiresAt']);

export interface OverrideRequestContext {
  policy: Policy;
  now: number;
  id: string;
  createdBy: string | undefined;
}

export function validateOverrideRequest(body: unknown, ctx: OverrideRequestContext): { ok: true; override: Override } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: ['body: expected a JSON object like {"scaler":"nodes","mode":"pin","count":6,"reason":"…","for":"2h"}'] };
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!KEYS.has(key)) errors.push(`${key}: unknown field; expected one of ${[...KEYS].join(', ')}`);

  const scaler = b.scaler;
  if (!isScalerName(scaler) && scaler !== 'all') {
    errors.push(`scaler: expected ${SCALER_NAMES.map((n) => `"${n}"`).join(', ')} or "all", got ${JSON.stringify(scaler)}`);
  } else if (scaler !== 'all' && !configured(ctx.policy, scaler)) {
    errors.push(`scaler: the policy has no ${scaler} section, so there is nothing to override`);
  }
  const worker = b.worker;
  if (worker !== undefined) {
    if (scaler !== 'workers') errors.push('worker: only with scaler "workers"');
    else if (typeof worker !== 'string' || !ctx.policy.workers.some((w) => w.name === worker)) {
      errors.push(`worker: expected one of the policy's workers (${ctx.policy.workers.map((w) => w.name).join(', ') || 'none'}), got ${JSON.stringify(worker)}`);
    }
  }
  const mode = b.mode;
  if (mode !== 'pause' && mode !== 'pin' && mode !== 'bounds') errors.push(`mode: expected "pause", "pin" or "bounds", got ${JSON.stringify(mode)}`);
  const count = wholeNumber(b.count, 'count', errors);
  const min = wholeNumber(b.min, 'min', errors);
  const max = wholeNumber(b.max, 'max', errors);
  if (mode === 'pin') {
    if (count === undefined && b.count === undefined) errors.push('count: a pin needs a count');
    if (b.min !== undefined || b.max !== undefined) errors.push('min/max: only with mode "bounds"');
  } else if (mode === 'bounds') {
    if (b.min === undefined && b.max === undefined) errors.push('min/max: bounds need min, max or both');
    if (min !== undefined && max !== undefined && min > max) errors.push(`min: ${min} is above max ${max}`);
    if (b.count !== undefined) errors.push('count: only with mode "pin"');
  } else if (mode === 'pause' && (b.count !== undefined || b.min !== undefined || b.max !== undefined)) {
    errors.push('count/min/max: a pause takes none of them');
  }
  if ((mode === 'pin' || mode === 'bounds') && (scaler === 'descheduler' || scaler === 'all')) {
    errors.push(`mode: the ${scaler === 'all' ? 'scalers together' : 'descheduler'} can only be paused; pin or bound "nodes" or "workers"`);
  }

  const reason = b.reason;
  if (typeof reason !== 'string' || reason.trim().length < 3) errors.push('reason: required, a few words on why (shown in every decision while the override holds)');
  else if (reason.length > 500) errors.push(`reason: at most 500 characters, got ${reason.length}`);

  let expiresAt: number | undefined;
  if (b.for !== undefined && b.expiresAt !== undefined) errors.push('for/expiresAt: give one, not both');
  else if (b.for !== undefined) {
    const ms = typeof b.for === 'string' ? parseDuration(b.for) : undefined;
    if (ms === undefined || ms <= 0) errors.push(`for: expected a duration like 30m, 2h or 3d, got ${JSON.stringify(b.for)}`);
    else expiresAt = ctx.now + ms;
  } else if (b.expiresAt !== undefined) {
    const at = typeof b.expiresAt === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(b.expiresAt) ? Date.parse(b.expiresAt) : NaN;
    if (!Number.isFinite(at)) errors.push(`expiresAt: expected an ISO 8601 time with a zone, got ${JSON.stringify(b.expiresAt)}`);
    else expiresAt = at;
  } else {
    errors.push('for: required (or expiresAt): every override ends, e.g. "for": "2h"');
  }
  if (expiresAt !== undefined) {
    if (expiresAt <= ctx.now) errors.push('expiresAt: must be in the future');
    else if (expiresAt - ctx.now > MAX_OVERRIDE_MS) errors.push(`for/expiresAt: at most ${formatDuration(MAX_OVERRIDE_MS)} ahead; change the policy for anything longer`);
  }

  if (errors.length > 0) return { ok: false, errors };
  const override: Override = {
    id: ctx.id,
    scaler: scaler as ScalerName | 'all',
    mode: mode as Override['mode'],
    reason: (reason as string).trim(),
    createdAt: new Date(ctx.now).toISOString(),
    expiresAt: new Date(expiresAt!).toISOString(),
  };
  if (typeof worker === 'string') override.worker = worker;
  if (ctx.createdBy) override.createdBy = ctx.createdBy;
  if (count !== undefined) override.count = count;
  if (min !== undefined) override.min = min;
  if (max !== undefined) override.max = max;
  return { ok: true, override };
}

function configured(policy: Policy, scaler: ScalerName): boolean {
  if (scaler === 'nodes') return policy.nodes !== undefined;
  if (scaler === 'workers') return policy.workers.length > 0;
  return policy.descheduler !== undefined;
}

function wholeNumber(v: unknown, name: string, errors: string[]): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_COUNT) {
    errors.push(`${name}: expected a whole number from 0 to ${MAX_COUNT}, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return v;
}
