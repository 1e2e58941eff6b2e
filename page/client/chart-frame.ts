// What the time charts share: a frame (scales, grid, axes in the policy's zone) and step lines and
// areas that break where the scaler was silent.

import { sv } from './dom';
import { r1 } from './format';
import { dayLabel, hhmm, minuteOfDay } from './time';

/** A round maximum and step for a value axis of about `ticks` ticks. */
export function niceMax(max: number, ticks: number): { max: number; step: number } {
  const raw = Math.max(max, 1) / ticks;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) || 10 * mag;
  step = Math.max(1, step);
  return { max: Math.max(step, Math.ceil(max / step) * step), step };
}

const TICK_MINUTES = [5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

// Every zone's offset is a whole number of quarter hours (or of five minutes at least), so local
// round times are found among UTC ones: no offset arithmetic, and summer time is handled by Intl.
function timeTicks(t0: number, t1: number, maxTicks: number): { t: number; midnight: boolean }[] {
  const minutes = (t1 - t0) / 60000;
  let step = 0;
  for (const candidate of TICK_MINUTES) {
    if (minutes / candidate <= maxTicks) {
      step = candidate;
      break;
    }
  }
  if (!step) step = Math.ceil(minutes / maxTicks / 1440) * 1440;
  const ticks: { t: number; midnight: boolean }[] = [];
  let days = 0;
  const inc = (step < 15 ? 5 : 15) * 60000;
  for (let t = Math.ceil(t0 / inc) * inc; t <= t1 && ticks.length < 200; t += inc) {
    const m = minuteOfDay(t);
    if (step < 1440 ? m % step === 0 : m === 0 && days++ % (step / 1440) === 0) ticks.push({ t, midnight: m === 0 });
  }
  return ticks;
}

export interface FrameOptions {
  width: number;
  height: number;
  t0: number;
  t1: number;
  yMax: number;
  yStep: number;
  /** A second value axis on the right. */
  right?: { max: number; step: number };
  label: string;
}

export interface Frame {
  svg: SVGSVGElement;
  m: { l: number; r: number; t: number; b: number };
  /** Plot width and height. */
  pw: number;
  ph: number;
  x(t: number): number;
  t(px: number): number;
  y(v: number): number;
  yr(v: number): number;
}

export function frame(o: FrameOptions): Frame {
  // The same margins with or without a right axis, so that the charts' time axes line up.
  const m = { l: 40, r: 40, t: 10, b: 24 };
  const pw = Math.max(40, o.width - m.l - m.r);
  const ph = o.height - m.t - m.b;
  const root = sv('svg', {
    width: o.width,
    height: o.height,
    viewBox: '0 0 ' + o.width + ' ' + o.height,
    role: 'img',
    'aria-label': o.label,
  });
  const dt = o.t1 - o.t0 || 1;
  const rightMax = o.right?.max || 1;
  const f: Frame = {
    svg: root,
    m,
    pw,
    ph,
    x: (t) => r1(m.l + ((t - o.t0) / dt) * pw),
    t: (px) => o.t0 + ((px - m.l) / pw) * dt,
    y: (v) => r1(m.t + ph - (v / o.yMax) * ph),
    yr: (v) => r1(m.t + ph - (v / rightMax) * ph),
  };
  for (let v = 0; v <= o.yMax + 1e-9; v += o.yStep) {
    root.appendChild(sv('line', { class: v === 0 ? 'baseline' : 'gridline', x1: m.l, x2: m.l + pw, y1: f.y(v), y2: f.y(v) }));
    root.appendChild(sv('text', { x: m.l - 6, y: f.y(v) + 4, 'text-anchor': 'end', text: String(v) }));
  }
  if (o.right) {
    for (let w = 0; w <= o.right.max + 1e-9; w += o.right.step) {
      root.appendChild(sv('text', { x: m.l + pw + 6, y: f.yr(w) + 4, 'text-anchor': 'start', text: String(w) }));
    }
  }
  for (const k of timeTicks(o.t0, o.t1, Math.max(3, Math.floor(pw / 90)))) {
    const x = f.x(k.t);
    root.appendChild(sv('line', { class: 'gridline', x1: x, x2: x, y1: m.t, y2: m.t + ph }));
    const label = k.midnight ? dayLabel(k.t) : hhmm(k.t);
    // A label at either end stays inside the chart rather than under the other axis.
    const half = label.length * 3.3;
    const anchor = x - half < m.l - 8 ? 'start' : x + half > o.width - 4 ? 'end' : 'middle';
    root.appendChild(
      sv('text', {
        x: anchor === 'start' ? Math.max(x - 4, m.l - 8) : x,
        y: m.t + ph + 16,
        'text-anchor': anchor,
        class: k.midnight ? 'tick-strong' : null,
        text: label,
      }),
    );
  }
  return f;
}

/** Longer than this between two samples is a silence (the scaler was not running): lines break. */
function gapLimit(times: readonly number[]): number {
  const dts: number[] = [];
  for (let i = 1; i < times.length; i++) dts.push(times[i]! - times[i - 1]!);
  dts.sort((a, b) => a - b);
  const median = dts.length ? dts[Math.floor(dts.length / 2)]! : 60000;
  return Math.max(median * 5, 1000);
}

function gapsOf(times: readonly number[], limit: number): boolean[] {
  return times.map((t, i) => i > 0 && t - times[i - 1]! > limit);
}

/** The index ranges [first, last] between the gaps. */
export function segmentsOf(gaps: readonly boolean[]): [number, number][] {
  const segs: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= gaps.length; i++) {
    if (i === gaps.length || gaps[i]) {
      segs.push([start, i - 1]);
      start = i;
    }
  }
  return gaps.length ? segs : [];
}

/** A level holds until the next sample: a step line. null values break the line. */
export function stepLine(xs: readonly number[], ys: readonly (number | null)[], gaps: readonly boolean[]): string {
  let d = '';
  let open = false;
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] === null) {
      open = false;
      continue;
    }
    if (!open || gaps[i]) d += 'M' + xs[i] + ' ' + ys[i];
    else d += 'H' + xs[i] + 'V' + ys[i];
    open = true;
  }
  return d;
}

/** The area between two step lines, from sample a to sample b. */
export function stepArea(xs: readonly number[], lo: readonly number[], hi: readonly number[], a: number, b: number): string {
  let d = 'M' + xs[a] + ' ' + hi[a];
  for (let i = a + 1; i <= b; i++) d += 'H' + xs[i] + 'V' + hi[i];
  d += 'V' + lo[b];
  for (let j = b; j > a; j--) d += 'V' + lo[j - 1] + 'H' + xs[j - 1];
  return d + 'Z';
}

/** Sample times, plus "now" when the last sample is recent: the last level holds until now. */
export function extendToNow(times: readonly number[], t1: number): { times: readonly number[]; gaps: boolean[] } {
  const limit = gapLimit(times);
  const gaps = gapsOf(times, limit);
  const last = times[times.length - 1]!;
  if (t1 > last && t1 - last <= limit) return { times: times.concat([t1]), gaps: gaps.concat([false]) };
  return { times, gaps };
}

export function nowMarker(f: Frame, now: number): void {
  const x = f.x(now);
  f.svg.appendChild(sv('line', { class: 'now-line', x1: x, x2: x, y1: f.m.t, y2: f.m.t + f.ph }));
}

/** The chart's width in pixels: its box's, within reason. */
export function widthOf(box: HTMLElement): number {
  return Math.max(320, Math.floor(box.clientWidth || box.getBoundingClientRect().width || 640));
}
