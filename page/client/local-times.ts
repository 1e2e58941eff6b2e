// Times inside the scalers' reasons ("until 2026-11-23T04:40:00.000Z") shown in the policy's zone like
// every other time on the page; the exact instant stays in the element's datetime and its title.

import { el, type Child } from './dom';
import { dayLabel, hhmm, ms } from './time';

// As the core writes instants (toISOString), or with an offset.
const ISO = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)/g;

/** The text with each ISO instant as a <time> in the policy's zone. */
export function withLocalTimes(text: string): Child[] {
  const out: Child[] = [];
  let at = 0;
  for (const m of text.matchAll(ISO)) {
    const t = ms(m[0]);
    if (!isFinite(t)) continue;
    out.push(text.slice(at, m.index));
    out.push(el('time', { datetime: m[0], title: m[0], 'data-testid': 'local-time', text: dayLabel(t) + ' ' + hhmm(t) }));
    at = m.index + m[0].length;
  }
  out.push(text.slice(at));
  return out;
}
