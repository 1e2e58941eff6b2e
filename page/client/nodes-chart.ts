// Chart 1: nodes by state over time, stacked, with the desired count and the minimum as lines.

import type { DashboardData } from '../model';
import { extendToNow, frame, niceMax, nowMarker, segmentsOf, stepArea, stepLine, widthOf } from './chart-frame';
import { $, el, sv } from './dom';
import { num } from './format';
import { hover } from './hover';
import { ms, when } from './time';

export function drawNodes(d: DashboardData): void {
  const box = $('chart-nodes');
  const samples = d.series.nodes.filter((s) => isFinite(ms(s.at)));
  box.setAttribute('data-points', String(samples.length));
  box.replaceChildren();
  if (!samples.length) {
    box.appendChild(el('p', { class: 'empty', text: 'No node samples yet: the node scaler records one per tick.' }));
    return;
  }
  const times = samples.map((s) => ms(s.at));
  const now = ms(d.now);
  let t0 = times[0]!;
  const t1 = Math.max(times[times.length - 1]!, isFinite(now) ? now : 0);
  if (t1 === t0) t0 -= 600000;
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, num(s.running) + num(s.starting) + num(s.draining), num(s.desired), num(s.minNodes));
  const scale = niceMax(peak, 4);
  const f = frame({ width: widthOf(box), height: 250, t0, t1, yMax: scale.max, yStep: scale.step, label: 'Nodes by state over time' });
  const ext = extendToNow(times, t1);
  const xs = ext.times.map(f.x);
  const pick = (i: number) => samples[Math.min(i, samples.length - 1)]!;
  let lo = xs.map(() => 0);
  for (const state of ['running', 'starting', 'draining'] as const) {
    const hi = lo.map((v, i) => v + num(pick(i)[state]));
    const ylo = lo.map(f.y);
    const yhi = hi.map(f.y);
    for (const sg of segmentsOf(ext.gaps))
      f.svg.appendChild(sv('path', { class: 'area area-' + state, d: stepArea(xs, ylo, yhi, sg[0], sg[1]) }));
    lo = hi;
  }
  const line = (key: 'minNodes' | 'desired') =>
    xs.map((_x, i) => {
      const v: unknown = pick(i)[key];
      return typeof v === 'number' ? f.y(v) : null;
    });
  f.svg.appendChild(sv('path', { class: 'line-min', d: stepLine(xs, line('minNodes'), ext.gaps) }));
  f.svg.appendChild(sv('path', { class: 'line-desired', d: stepLine(xs, line('desired'), ext.gaps) }));
  if (isFinite(now)) nowMarker(f, now);
  box.appendChild(f.svg);
  hover(box, 'nodes', f, times, (i) => {
    const s = samples[i]!;
    return [
      when(times[i]!, now),
      'running ' + num(s.running) + ' · starting ' + num(s.starting) + ' · draining ' + num(s.draining),
      'stopped ' + num(s.stopped) + ' · desired ' + num(s.desired) + ' · minimum ' + num(s.minNodes),
    ];
  });
}
