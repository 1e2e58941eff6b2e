// The timeline: what the scalers did lately, newest first, with the outcome and the reason; filtered
// by scaler, action and outcome (at night most rows are worker 1↔2 and deletion costs).

import type { DashboardData, TimelineEntry } from '../model';
import { reasonWithLinks } from './audit';
import { $, el } from './dom';
import { plural } from './format';
import { withLocalTimes } from './local-times';
import { ms, span, when } from './time';

/** The newest 40 until someone asks for all. */
let timelineLimit = 40;

export function showAllTimeline(): void {
  timelineLimit = Infinity;
}

const FILTERS = [
  { id: 'tl-scaler', key: 'scaler' },
  { id: 'tl-type', key: 'type' },
  { id: 'tl-outcome', key: 'outcome' },
] as const;

/** Each filter's options: every value the timeline holds, with how many rows carry it; the choice is kept. */
function drawFilters(entries: readonly TimelineEntry[]): void {
  for (const f of FILTERS) {
    const select = $<HTMLSelectElement>(f.id);
    const chosen = select.value;
    const counts = new Map<string, number>();
    for (const e of entries) counts.set(e[f.key], (counts.get(e[f.key]) ?? 0) + 1);
    if (chosen && !counts.has(chosen)) counts.set(chosen, 0);
    const values = [...counts.keys()].sort();
    select.replaceChildren(
      el('option', { value: '', text: 'all (' + entries.length + ')' }),
      ...values.map((v) => el('option', { value: v, text: v + ' (' + counts.get(v) + ')' })),
    );
    select.value = chosen;
  }
}

function chosen(): (e: TimelineEntry) => boolean {
  const wanted = FILTERS.map((f) => ({ key: f.key, value: $<HTMLSelectElement>(f.id).value }));
  return (e) => wanted.every((w) => !w.value || e[w.key] === w.value);
}

export function drawTimeline(d: DashboardData): void {
  const body = $('timeline');
  const now = ms(d.now);
  drawFilters(d.timeline);
  const matching = d.timeline.filter(chosen());
  const filtered = matching.length < d.timeline.length;
  const shown = matching.slice(0, timelineLimit);
  if (!shown.length)
    body.replaceChildren(
      el('tr', null, el('td', { colspan: 6, class: 'empty', text: filtered ? 'No action matches the filter.' : 'No actions yet.' })),
    );
  else
    body.replaceChildren(
      ...shown.map((e) => {
        const t = ms(e.at);
        return el('tr', { 'data-testid': 'timeline-entry', 'data-outcome': e.outcome }, [
          el('td', { class: 'when', title: isFinite(t) && isFinite(now) ? span(now - t) + ' ago' : null, text: when(t, now) }),
          el('td', null, el('span', { class: 'chip', text: e.scaler })),
          el('td', { class: 'action' }, [el('div', { text: e.type }), el('div', { class: 'rule', text: e.rule })]),
          el('td', { class: 'mono' }, el('div', { class: 'target', text: e.target })),
          el('td', null, el('span', { class: 'badge badge-' + e.outcome, text: e.outcome })),
          el('td', { class: 'reason' }, [
            el('div', null, reasonWithLinks(e.reason)),
            e.detail ? el('div', { class: 'detail' + (e.outcome === 'failed' ? ' bad' : '') }, withLocalTimes(e.detail)) : null,
          ]),
        ]);
      }),
    );
  const total = filtered ? matching.length + ' of ' + d.timeline.length + ' matching' : plural(d.timeline.length, 'action');
  $('timeline-count').textContent = matching.length > shown.length ? 'newest ' + shown.length + ' of ' + total : total;
  $('timeline-more').hidden = matching.length <= shown.length;
}
