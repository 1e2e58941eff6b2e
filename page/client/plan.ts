// "Would do now": what a dry run of every scaler plans, what it skipped or waits for, and its notes.

import type { DashboardData, PlannedAction, PlannedSkip } from '../model';
import { reasonWithLinks } from './audit';
import { $, el } from './dom';

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

export function drawPlan(d: DashboardData): void {
  const list = $('would-do');
  if (!d.wouldDo.length)
    list.replaceChildren(el('li', { class: 'empty', text: 'Nothing: every scaler is content with the cluster as it is.' }));
  else list.replaceChildren(...d.wouldDo.map((p) => planItem(p, p.type)));
  $('skipped-count').textContent = d.skipped.length ? 'Skipped or waiting (' + d.skipped.length + ')' : 'Nothing skipped';
  $('skipped-list').replaceChildren(...d.skipped.map((s) => planItem(s, undefined)));
  $('notes').replaceChildren(...d.notes.map((n) => el('li', { text: n })));
  $('notes-head').hidden = d.notes.length === 0;
}
