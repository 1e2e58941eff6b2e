// The cost tile, under the node counts: what the VMs cost an hour now, over the history the page
// shows, and what that saves against static peak, with the prices, VMs and time behind each figure
// (page/cost.ts builds them; the tile only writes them). Without prices in the policy, how to add them.

import type { DashboardCost } from '../model';
import { formatAmount, formatPercent } from '../money';
import { el } from './dom';
import { plural } from './format';
import { span } from './time';

function figure(id: string, value: string, label: string, title: string): HTMLDivElement {
  return el('div', { class: 'figure', 'data-testid': id, title }, [
    el('div', { class: 'value', text: value }),
    el('div', { class: 'label', text: label }),
  ]);
}

export function costTile(cost: DashboardCost): HTMLDivElement {
  if (!cost.priced)
    return el('div', { class: 'tile tile-cost unpriced', 'data-testid': 'tile-cost' }, [el('div', { class: 'sub', text: cost.text })]);
  const money = (a: number) => formatAmount(a, cost.currency);
  const [nowLine, windowLine, peakLine] = cost.explanation;
  const w = cost.window;
  const figures = [
    figure(
      'cost-now',
      money(cost.now.perHour) + '/h',
      'cost now · ' + plural(cost.now.billed, 'VM') + ' running, ' + cost.now.deallocated + ' deallocated',
      nowLine ?? '',
    ),
    w && w.samples > 0
      ? figure(
          'cost-window',
          money(w.amount),
          'over the last ' +
            span((w.hours + w.gapHours) * 3_600_000) +
            (w.gapHours > 0 ? ' (' + span(w.gapHours * 3_600_000) + ' not counted)' : ''),
          windowLine ?? '',
        )
      : figure('cost-window', '—', 'so far: no samples with VMs per pool yet', windowLine ?? ''),
    cost.saved && cost.staticPeak
      ? figure(
          'cost-saved',
          money(cost.saved.amount) + (cost.saved.percent === undefined ? '' : ' · ' + formatPercent(cost.saved.percent)),
          'saved against static peak (' + money(cost.staticPeak.amount) + ')',
          peakLine ?? '',
        )
      : null,
  ];
  const unpriced = [...cost.unpriced, ...cost.unpricedDisks.map((p) => p + ' disks')];
  return el('div', { class: 'tile tile-cost', 'data-testid': 'tile-cost' }, [
    el('div', { class: 'figures' }, figures),
    unpriced.length
      ? el('div', { class: 'sub warn', 'data-testid': 'cost-unpriced', text: 'not priced, counted as 0: ' + unpriced.join(', ') })
      : null,
    el('details', { class: 'how', 'data-testid': 'cost-how' }, [
      el('summary', { text: 'How these are counted' }),
      el(
        'ul',
        { class: 'plain' },
        cost.explanation.map((line) => el('li', { text: line })),
      ),
    ]),
  ]);
}
