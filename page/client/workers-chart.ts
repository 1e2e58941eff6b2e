// Chart 2: per worker, queue depth (left axis) and replicas (right axis) over time, on one time axis;
// the legend gives the figures of the sample under the pointer.

import type { DashboardData, WorkerSample } from '../model';
import { $, el } from './dom';
import { num, plural } from './format';
import { ms, span } from './time';
import { drawTimeChart, dropTimeChart, timeChartKeys } from './time-chart';

export function drawWorkers(d: DashboardData): void {
  const box = $('chart-workers');
  box.replaceChildren();
  // The policy's workers first, in its order, then any the history still remembers.
  const byName = new Map<string, WorkerSample[]>();
  for (const w of d.workers) if (!byName.has(w.name)) byName.set(w.name, []);
  for (const s of d.series.workers) {
    if (!isFinite(ms(s.at))) continue;
    let list = byName.get(s.name);
    if (!list) byName.set(s.name, (list = []));
    list.push(s);
  }
  let drawn = 0;
  const keep = new Set<string>();
  const now = ms(d.now);
  if (!byName.size) box.appendChild(el('p', { class: 'empty', text: 'The policy has no workers.' }));
  for (const [name, samples] of byName) {
    const info = d.workers.find((w) => w.name === name);
    const part = el('div', { class: 'worker-chart', 'data-worker': name });
    const title = el('div', { class: 'worker-title' }, [
      el('div', null, [
        el('b', { text: name }),
        info && info.deployment ? el('span', { class: 'muted mono', text: '  ' + info.namespace + '/' + info.deployment }) : null,
      ]),
      info
        ? el('div', {
            class: 'muted',
            text:
              plural(info.replicas, 'replica') +
              ' (desired ' +
              info.desired +
              ', ' +
              info.minReplicas +
              '–' +
              info.maxReplicas +
              ') · queue ' +
              info.queueDepth +
              (typeof info.oldestMessageAgeSeconds === 'number' ? ', oldest ' + span(info.oldestMessageAgeSeconds * 1000) : ''),
          })
        : null,
    ]);
    part.appendChild(title);
    box.appendChild(part);
    if (!samples.length) {
      part.appendChild(el('p', { class: 'empty', text: 'No samples yet.' }));
      continue;
    }
    drawn += samples.length;
    const chart = el('div', { class: 'chart' });
    part.appendChild(chart);
    keep.add('worker:' + name);
    drawTimeChart({
      key: 'worker:' + name,
      box: chart,
      label: 'Queue depth and replicas of ' + name,
      height: 150,
      times: samples.map((s) => ms(s.at)),
      now,
      right: true,
      series: [
        { label: 'queue depth', colour: '--queue', values: samples.map((s) => num(s.queueDepth)), fill: true },
        // Scaled to what happened, not to the policy's maximum: 2 replicas of 40 would be a flat line.
        { label: 'replicas', colour: '--replicas', values: samples.map((s) => num(s.replicas)), scale: 'right', width: 2 },
        { label: 'desired', colour: '--replicas', values: samples.map((s) => num(s.desired)), scale: 'right', dash: [4, 3], width: 1.3 },
      ],
    });
  }
  for (const key of timeChartKeys('worker:')) if (!keep.has(key)) dropTimeChart(key);
  box.setAttribute('data-points', String(drawn));
}
