// "Would do now": a headline per scaler (desired against actual, and what holds a gap open), what a
// dry run of every scaler plans, what it skipped or waits for, and its notes, grouped and counted.

import type { DashboardData, PlannedAction, PlannedSkip, ScalerHeadline } from '../model';
import { groupNotes } from '../notes';
import { reasonWithLinks } from './audit';
import { $, el } from './dom';
import { plural } from './format';

/** `type` undefined: a skipped entry. */
function planItem(p: PlannedAction | PlannedSkip, type: string | undefined): HTMLLIElement {
  return el('li', { class: 'plan-item', 'data-testid': type === undefined ? 'skipped-entry' : 'would-do-entry' }, [
    el('div', { class: 'plan-head' }, [
      el('span', { class: 'chip', text: p.scaler }),
      type !== undefined ? el('b', { text: type }) : null,
      el('span', { class: 'mono', text: p.target }),
      el('span', { class: 'rule', text: p.rule }),
    ]),
    el('div', { class: 'plan-reason' }, reasonWithLinks(p.reason)),
  ]);
}

const STATUS_WORD: Record<ScalerHeadline['status'], string> = {
  settled: 'settled',
  busy: 'busy',
  closing: 'closing the gap',
  held: 'gap held open',
};

function headline(h: ScalerHeadline): HTMLLIElement {
  return el('li', { class: 'headline status-' + h.status, 'data-testid': 'headline', 'data-scaler': h.scaler, 'data-status': h.status }, [
    el('div', { class: 'plan-head' }, [
      el('b', { text: h.label }),
      el('span', { class: 'badge badge-' + h.status, text: STATUS_WORD[h.status] }),
      h.blockedBy ? el('span', { class: 'rule', text: h.blockedBy.rule }) : null,
    ]),
    el('div', { class: 'headline-text', 'data-testid': 'headline-text', text: h.text }),
    h.blockedBy ? el('div', { class: 'plan-reason detail', 'data-testid': 'headline-reason' }, reasonWithLinks(h.blockedBy.reason)) : null,
  ]);
}

export function drawPlan(d: DashboardData): void {
  const headlines = d.headlines ?? [];
  $('headlines').replaceChildren(...headlines.map(headline));
  const list = $('would-do');
  const gaps = headlines.filter((h) => h.status === 'held').length;
  if (!d.wouldDo.length)
    list.replaceChildren(
      el('li', {
        class: 'empty',
        text: gaps ? 'No action planned now: ' + plural(gaps, 'gap') + ' held open, as said above.' : 'No action planned now.',
      }),
    );
  else list.replaceChildren(...d.wouldDo.map((p) => planItem(p, p.type)));
  $('skipped-count').textContent = d.skipped.length ? 'Skipped or waiting (' + d.skipped.length + ')' : 'Nothing skipped';
  $('skipped-list').replaceChildren(...d.skipped.map((s) => planItem(s, undefined)));
  const groups = groupNotes(
    d.notes,
    d.nodes.map((n) => n.name),
  );
  $('notes').replaceChildren(
    ...groups.map((g) =>
      el('li', { 'data-testid': 'note', 'data-count': g.count }, [
        g.count > 1 ? el('span', { class: 'count', text: '×' + g.count }) : null,
        el('span', null, reasonWithLinks(g.text)),
        g.subjects.length
          ? el('details', { class: 'subjects' }, [
              el('summary', { text: plural(g.subjects.length, 'node') }),
              el('div', { class: 'mono', text: g.subjects.join(', ') }),
            ])
          : null,
      ]),
    ),
  );
  $('notes-head').textContent = d.notes.length > groups.length ? 'Notes (' + d.notes.length + ', ' + groups.length + ' kinds)' : 'Notes';
  $('notes-head').hidden = d.notes.length === 0;
}
