// A person's request for an override (over HTTP), checked in full before anything is stored: every
// problem is reported at once, and nothing is half-applied.

import { formatDuration, parseDuration } from './duration';
import type { Override, ScalerName } from './memory';
import type { Policy } from './policy';
import { isScalerName, SCALER_NAMES } from './scalers';

/** Long enough for a holiday week, short enough that a forgotten pin does not become the policy. */
export const MAX_OVERRIDE_MS = 7 * 24 * 3600 * 1000;
const MAX_COUNT = 10_000;
/**
 * Overrides live in the memory ConfigMap, which Kubernetes caps at 1 MiB with everything else the
 * scalers remember. A hundred active overrides is far more than people keep (a few at a time), and
 * with the caps on each one the section stays well under a quarter of the ConfigMap.
 */
export const MAX_ACTIVE_OVERRIDES = 100;
export const MAX_REASON_CHARS = 500;
/** An Entra ID user principal name is at most 113 characters; the rest is room for "principal <id>". */
export const MAX_CREATED_BY_CHARS = 256;
/** The serialized overrides section at most: what the count and the caps above allow, with slack. */
export const MAX_OVERRIDES_BYTES = 256 * 1024;
const KEYS = new Set(['scaler', 'worker', 'mode', 'count', 'min', 'max', 'reason', 'for', 'expiresAt']);

export interface OverrideRequestContext {
  policy: Policy;
  now: number;
  id: string;
  createdBy: string | undefined;
}

export function validateOverrideRequest(
  body: unknown,
  ctx: OverrideRequestContext,
): { ok: true; override: Override } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (ctx.createdBy !== undefined) {
    if (ctx.createdBy.length > MAX_CREATED_BY_CHARS) errors.push(`createdBy: the caller's name is over ${MAX_CREATED_BY_CHARS} characters`);
    else unprintable(ctx.createdBy, "createdBy (the caller's name from the request headers)", errors);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      errors: [...errors, 'body: expected a JSON object like {"scaler":"nodes","mode":"pin","count":6,"reason":"…","for":"2h"}'],
    };
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b))
    if (!KEYS.has(key))
      errors.push(`${/^[\w$-]{1,40}$/.test(key) ? key : describeValue(key)}: unknown field; expected one of ${[...KEYS].join(', ')}`);

  const scaler = b.scaler;
  if (!isScalerName(scaler) && scaler !== 'all') {
    errors.push(`scaler: expected ${SCALER_NAMES.map((n) => `"${n}"`).join(', ')} or "all", got ${describeValue(scaler)}`);
  } else if (scaler !== 'all' && !configured(ctx.policy, scaler)) {
    errors.push(`scaler: the policy has no ${scaler} section, so there is nothing to override`);
  }
  const worker = b.worker;
  if (worker !== undefined) {
    if (scaler !== 'workers') errors.push('worker: only with scaler "workers"');
    else if (typeof worker !== 'string' || !ctx.policy.workers.some((w) => w.name === worker)) {
      errors.push(
        `worker: expected one of the policy's workers (${ctx.policy.workers.map((w) => w.name).join(', ') || 'none'}), got ${describeValue(worker)}`,
      );
    }
  }
  const mode = b.mode;
  if (mode !== 'pause' && mode !== 'pin' && mode !== 'bounds')
    errors.push(`mode: expected "pause", "pin" or "bounds", got ${describeValue(mode)}`);
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
  if (typeof reason !== 'string' || reason.trim().length < 3)
    errors.push('reason: required, a few words on why (shown in every decision while the override holds)');
  else if (reason.length > MAX_REASON_CHARS) errors.push(`reason: at most ${MAX_REASON_CHARS} characters, got ${reason.length}`);
  else unprintable(reason, 'reason', errors);

  let expiresAt: number | undefined;
  if (b.for !== undefined && b.expiresAt !== undefined) errors.push('for/expiresAt: give one, not both');
  else if (b.for !== undefined) {
    const ms = typeof b.for === 'string' ? parseDuration(b.for) : undefined;
    if (ms === undefined || ms <= 0) errors.push(`for: expected a duration like 30m, 2h or 3d, got ${describeValue(b.for)}`);
    else expiresAt = ctx.now + ms;
  } else if (b.expiresAt !== undefined) {
    const at = typeof b.expiresAt === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(b.expiresAt) ? Date.parse(b.expiresAt) : NaN;
    if (!Number.isFinite(at)) errors.push(`expiresAt: expected an ISO 8601 time with a zone, got ${describeValue(b.expiresAt)}`);
    else expiresAt = at;
  } else {
    errors.push('for: required (or expiresAt): every override ends, e.g. "for": "2h"');
  }
  if (expiresAt !== undefined) {
    if (expiresAt <= ctx.now) errors.push('expiresAt: must be in the future');
    else if (expiresAt - ctx.now > MAX_OVERRIDE_MS)
      errors.push(`for/expiresAt: at most ${formatDuration(MAX_OVERRIDE_MS)} ahead; change the policy for anything longer`);
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
    errors.push(`${name}: expected a whole number from 0 to ${MAX_COUNT}, got ${describeValue(v)}`);
    return undefined;
  }
  return v;
}

/**
 * A value as an error message shows it, in bounded time and stack: a short string or number as JSON,
 * an array or object only by its size. A request may nest thousands of levels deep within the body
 * limit, and describing it in full would overflow the stack (JSON.stringify recurses).
 */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object' && v !== null) {
    const n = Object.keys(v).length;
    return `an object with ${n} field${n === 1 ? '' : 's'}`;
  }
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * Control characters (C0 with NUL, DEL, C1), bidirectional controls that can reorder what a person
 * reads (U+202A–U+202E, U+2066–U+2069, the marks U+061C, U+200E, U+200F), invisible zero-width and
 * format characters, line and paragraph separators, and lone surrogates: a reason is shown in every
 * decision, log line and Event while the override holds, and must read as what it says.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** The text with every unprintable character (as above) made a space: for names taken from headers, not typed. */
export function printable(text: string): string {
  return text.replace(new RegExp(UNPRINTABLE.source, 'gu'), ' ');
}

function unprintable(text: string, field: string, errors: string[]): void {
  const m = UNPRINTABLE.exec(text);
  if (!m) return;
  const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  errors.push(
    `${field}: contains U+${code} at position ${m.index}; control, bidirectional and invisible format characters are not allowed`,
  );
}

/**
 * Whether one more override fits (the active ones, without one of the same id): a refusal saying the
 * limit and how to make room, else undefined.
 */
export function overrideRoom(active: readonly Override[], override: Override): string | undefined {
  const others = active.filter((o) => o.id !== override.id);
  if (others.length >= MAX_ACTIVE_OVERRIDES) {
    return `overrides: at most ${MAX_ACTIVE_OVERRIDES} active at a time, and ${others.length} are; remove one with DELETE /api/overrides/{id} (GET /api/overrides lists them) or wait until one expires`;
  }
  const bytes = new TextEncoder().encode(JSON.stringify([...others, override])).length;
  if (bytes > MAX_OVERRIDES_BYTES) {
    return `overrides: at most ${MAX_OVERRIDES_BYTES} bytes stored in all, and this one would make ${bytes}; remove some with DELETE /api/overrides/{id} or give shorter reasons`;
  }
  return undefined;
}
