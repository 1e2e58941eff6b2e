// Overrides are a person's word (maintenance, a trip, an incident). They live in memory, each with an
// expiry, and are applied as the last word on a scaler's bounds.

import type { Override, ScalerName } from './memory';

export interface OverrideSplit {
  active: Override[];
  expired: Override[];
}

export function splitOverrides(overrides: readonly Override[], now: number): OverrideSplit {
  const active: Override[] = [];
  const expired: Override[] = [];
  for (const o of overrides) (Date.parse(o.expiresAt) > now ? active : expired).push(o);
  return { active, expired };
}

/** The active overrides that apply to one scaler (and, for workers, one entry). */
export function overridesFor(active: readonly Override[], scaler: ScalerName, worker?: string): Override[] {
  return active.filter((o) => o.scaler === 'all' || (o.scaler === scaler && (o.worker === undefined || o.worker === worker)));
}

export function describeOverride(o: Override): string {
  const what = o.mode === 'pause' ? 'pause' : o.mode === 'pin' ? `pin at ${o.count}` : `bounds ${o.min ?? '-'}..${o.max ?? '-'}`;
  const by = o.createdBy ? ` by ${o.createdBy}` : '';
  return `override ${o.id} (${what}${by}, until ${o.expiresAt}: "${o.reason}")`;
}
