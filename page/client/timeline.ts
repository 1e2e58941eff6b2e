// The timeline: what the scalers did lately, newest first, with the outcome and the reason.

import type { DashboardData } from '../model';
import { reasonWithLinks } from './audit';
import { $, el } from './dom';
import { plural } from './format';
import { ms, span, when } from './time';

/** The newest 40 until someone asks for all. */
let timelineLimit = 40;

export function showAllTimeline(): void {
  timelineLimit = Infinity;
}

export function drawTimeline(d: DashboardData): void {
  const body = $('timeline');
  const now = ms(d.now);
  const shown = d.timeline.slice(0, timelineLimit);
  if (!shown.length) body.replaceChildren(el('tr', null, el('td', { colspan: 6, class: 'empty', text: 'No actions yet.' })));
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
            e.detail ? el('div', { class: 'detail' + (e.outcome === 'failed' ? ' bad' : ''), text: e.detail }) : null,
          ]),
        ]);
      }),
    );
  $('timeline-count').textContent =
    d.timeline.length > shown.length ? 'newest ' + shown.length + ' of ' + d.timeline.length : plural(d.timeline.length, 'action');
  $('timeline-more').hidden = d.timeline.length <= shown.length;
}
