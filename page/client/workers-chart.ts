// Chart 2: per worker, queue depth (left axis) and replicas (right axis) over time, on one time axis.

import type { DashboardData, WorkerSample } from '../model';
import { extendToNow, frame, niceMax, nowMarker, segmentsOf, stepArea, stepLine, widthOf } from './chart-frame';
import { $, el, sv } from './dom';
import { num, plural } from './format';
import { hover } from './hover';
import { ms, span, when } from './time';

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
  const all = d.series.workers.map((s) => ms(s.at)).filter((t) => isFinite(t));
  const now = ms(d.now);
  let t0 = Math.min(...(all.length ? all : [now - 3600000]));
  const t1 = Math.max(...all, ...(isFinite(now) ? [now] : []));
  if (t1 === t0) t0 -= 600000;
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
    const times = samples.map((s) => ms(s.at));
    const qs = niceMax(
      samples.reduce((a, s) => Math.max(a, num(s.queueDepth)), 0),
      3,
    );
    // Scaled to what happened, not to the policy's maximum: 2 replicas of 40 would be a flat line.
    const rs = niceMax(
      samples.reduce((a, s) => Math.max(a, num(s.replicas), num(s.desired)), 1),
      3,
    );
    const chart = el('div', { class: 'chart' });
    part.appendChild(chart);
    const f = frame({
      width: widthOf(box),
      height: 150,
      t0,
      t1,
      yMax: qs.max,
      yStep: qs.step,
      right: rs,
      label: 'Queue depth and replicas of ' + name,
    });
    const ext = extendToNow(times, t1);
    const xs = ext.times.map(f.x);
    const pick = (i: number) => samples[Math.min(i, samples.length - 1)]!;
    const ylo = xs.map(() => f.y(0));
    const yq = xs.map((_x, i) => f.y(num(pick(i).queueDepth)));
    for (const sg of segmentsOf(ext.gaps))
      f.svg.appendChild(sv('path', { class: 'area area-queue', d: stepArea(xs, ylo, yq, sg[0], sg[1]) }));
    f.svg.appendChild(
      sv('path', {
        class: 'line-wdesired',
        d: stepLine(
          xs,
          xs.map((_x, i) => f.yr(num(pick(i).desired))),
          ext.gaps,
        ),
      }),
    );
    f.svg.appendChild(
      sv('path', {
        class: 'line-replicas',
        d: stepLine(
          xs,
          xs.map((_x, i) => f.yr(num(pick(i).replicas))),
          ext.gaps,
        ),
      }),
    );
    if (isFinite(now)) nowMarker(f, now);
    chart.appendChild(f.svg);
    hover(chart, 'worker:' + name, f, times, (i) => {
      const s = samples[i]!;
      return [when(times[i]!, now), 'queue ' + num(s.queueDepth) + ' · replicas ' + num(s.replicas) + ' · desired ' + num(s.desired)];
    });
  }
  box.setAttribute('data-points', String(drawn));
}
