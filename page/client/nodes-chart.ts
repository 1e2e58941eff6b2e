// Chart 1: nodes by state over time, stacked, with the desired count, the minimum and the stopped
// nodes as lines; the legend gives each figure of the sample under the pointer.

import type { DashboardData } from '../model';
import { $, el } from './dom';
import { num } from './format';
import { drawTimeChart, dropTimeChart } from './time-chart';
import { ms } from './time';

export function drawNodes(d: DashboardData): void {
  const box = $('chart-nodes');
  const samples = d.series.nodes.filter((s) => isFinite(ms(s.at)));
  box.setAttribute('data-points', String(samples.length));
  box.replaceChildren();
  if (!samples.length) {
    box.appendChild(el('p', { class: 'empty', text: 'No node samples yet: the node scaler records one per tick.' }));
    dropTimeChart('nodes');
    return;
  }
  const running = samples.map((s) => num(s.running));
  const starting = samples.map((s) => num(s.starting));
  const draining = samples.map((s) => num(s.draining));
  const optional = (key: 'minNodes' | 'desired') =>
    samples.map((s) => {
      const v: unknown = s[key];
      return typeof v === 'number' ? v : null;
    });
  drawTimeChart({
    key: 'nodes',
    box,
    label: 'Nodes by state over time',
    height: 250,
    times: samples.map((s) => ms(s.at)),
    now: ms(d.now),
    // Stacked: running, then starting and draining on top of it; the legend shows each one's own count.
    series: [
      { label: 'running', colour: '--running', values: running, fill: true },
      { label: 'starting', colour: '--starting', values: running.map((r, i) => r + starting[i]!), shown: starting, width: 0 },
      {
        label: 'draining',
        colour: '--draining',
        values: running.map((r, i) => r + starting[i]! + draining[i]!),
        shown: draining,
        width: 0,
      },
      // Often many more than the rest (a pool kept deallocated): shown on request only.
      { label: 'stopped', colour: '--stopped', values: samples.map((s) => num(s.stopped)), dash: [2, 3], width: 1.4, hidden: true },
      { label: 'desired', colour: '--desired', values: optional('desired'), width: 2 },
      { label: 'minimum', colour: '--min', values: optional('minNodes'), dash: [5, 4], width: 1.4 },
    ],
    bands: [
      [2, 1, '--starting'],
      [3, 2, '--draining'],
    ],
  });
}
