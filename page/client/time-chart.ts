// What the time charts share, on uPlot (bundled into the page's script): a time axis in the policy's
// zone, step lines that break where the scaler was silent, the values of the sample under the
// pointer in the chart's legend, and zoom on the time axis by dragging (double-click resets). A
// zoom is kept when the data refreshes and applies to every time chart at once.

import uPlot from 'uplot';
import { niceMax } from './chart-frame';
import { el } from './dom';
import { currentZone, dayLabel, hhmm, minuteOfDay, when } from './time';

export interface TimeSeries {
  label: string;
  /** A CSS variable of the page's palette, e.g. `--running`. */
  colour: string;
  values: readonly (number | null)[];
  /** Which value axis: the left (default) or the right. */
  scale?: 'y' | 'right';
  fill?: boolean;
  /** Hidden until its name in the legend is clicked. */
  hidden?: boolean;
  dash?: number[];
  width?: number;
  /** What the legend shows under the pointer, when not the plotted value (stacked areas plot sums). */
  shown?: readonly (number | null)[];
}

export interface TimeChartSpec {
  /** Which chart: its zoom and instance are kept under this name. */
  key: string;
  box: HTMLElement;
  label: string;
  height: number;
  times: readonly number[];
  now: number;
  series: TimeSeries[];
  /** Areas between two series (1-based, as uPlot counts; 0 is time): [upper, lower, colour variable]. */
  bands?: [number, number, string][];
  right?: boolean;
}

const charts = new Map<string, uPlot>();
/** The time range a person zoomed to, if any: every chart shows it. */
let zoom: { min: number; max: number } | null = null;
let syncing = false;
/** Where the pointer rests on a chart: the chart drawn afresh on new data shows that sample again. */
const pointers = new Map<string, { left: number; top: number }>();

function colour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Longer than this between two samples is a silence (the scaler was not running): lines break. */
function gapLimit(times: readonly number[]): number {
  const dts: number[] = [];
  for (let i = 1; i < times.length; i++) dts.push(times[i]! - times[i - 1]!);
  dts.sort((a, b) => a - b);
  const median = dts.length ? dts[Math.floor(dts.length / 2)]! : 60000;
  return Math.max(median * 5, 1000);
}

/**
 * Columns for uPlot: a null row just after the last sample before each silence, so lines break
 * there; and "now" when the last sample is recent, so the last level holds until now.
 */
export function columns(times: readonly number[], series: readonly (readonly (number | null)[])[], now: number): (number | null)[][] {
  const limit = gapLimit(times);
  const xs: number[] = [];
  const ys: (number | null)[][] = series.map(() => []);
  for (let i = 0; i < times.length; i++) {
    if (i > 0 && times[i]! - times[i - 1]! > limit) {
      xs.push(times[i - 1]! + 1);
      ys.forEach((y) => y.push(null));
    }
    xs.push(times[i]!);
    ys.forEach((y, s) => y.push(series[s]![i] ?? null));
  }
  const last = times[times.length - 1]!;
  if (isFinite(now) && now > last && now - last <= limit) {
    xs.push(now);
    ys.forEach((y, s) => y.push(series[s]![times.length - 1] ?? null));
  }
  return [xs, ...ys];
}

function rememberZoom(u: uPlot, full: { min: number; max: number }): void {
  const { min, max } = u.scales['x']!;
  if (min === undefined || max === undefined) return;
  zoom = min <= full.min && max >= full.max ? null : { min, max };
  if (syncing) return;
  syncing = true;
  for (const other of charts.values()) if (other !== u) other.setScale('x', zoom ?? full);
  syncing = false;
}

export function drawTimeChart(spec: TimeChartSpec): uPlot {
  charts.get(spec.key)?.destroy();
  const data = columns(
    spec.times,
    spec.series.map((s) => s.values),
    spec.now,
  );
  const shownCols = columns(
    spec.times,
    spec.series.map((s) => s.shown ?? s.values),
    spec.now,
  );
  const xs = data[0] as number[];
  // What a double-click zooms back out to: uPlot's own range, the samples' (and now's, when recent).
  const full = { min: xs[0]!, max: xs[xs.length - 1]! };
  const ticks = colour('--muted');
  const grid = { stroke: colour('--grid'), width: 1 };
  const axisFont = '11px system-ui, sans-serif';
  const box = spec.box;
  // Scaled to the series shown: a hidden one (stopped nodes, until asked for) does not squash the rest.
  const upper = (u: uPlot, scale: 'y' | 'right') =>
    niceMax(
      spec.series.reduce(
        (a, s, i) =>
          (s.scale ?? 'y') === scale && u.series[i + 1]?.show !== false ? s.values.reduce<number>((m, v) => Math.max(m, v ?? 0), a) : a,
        1,
      ),
      scale === 'y' ? 4 : 3,
    ).max;
  const opts: uPlot.Options = {
    width: Math.max(320, Math.floor(box.clientWidth || 640)),
    height: spec.height,
    ms: 1,
    tzDate: (t) => uPlot.tzDate(new Date(t), currentZone()),
    scales: {
      x: { time: true },
      y: { range: (u) => [0, upper(u, 'y')] },
      ...(spec.right ? { right: { range: (u) => [0, upper(u, 'right')] as uPlot.Range.MinMax } } : {}),
    },
    axes: [
      {
        stroke: ticks,
        grid,
        ticks: grid,
        font: axisFont,
        // Labels in the policy's zone: the day at local midnight, the time otherwise.
        values: (_u, splits) => {
          const labels = splits.map((t) => (t === null ? '' : minuteOfDay(t) === 0 ? dayLabel(t) : hhmm(t)));
          box.setAttribute('data-x-ticks', labels.join('|'));
          return labels;
        },
      },
      { stroke: ticks, grid, ticks: grid, font: axisFont, size: 40 },
      ...(spec.right
        ? [{ scale: 'right', side: 1 as const, stroke: ticks, grid: { show: false }, ticks: grid, font: axisFont, size: 40 }]
        : []),
    ],
    series: [
      { label: 'time', value: (_u, v) => (v === null || v === undefined ? '—' : when(v, spec.now)) },
      ...spec.series.map((s, i): uPlot.Series => ({
        label: s.label,
        scale: s.scale ?? 'y',
        stroke: colour(s.colour),
        width: s.width ?? (s.fill ? 0 : 1.8),
        ...(s.dash ? { dash: s.dash } : {}),
        ...(s.fill ? { fill: colour(s.colour) } : {}),
        paths: uPlot.paths.stepped!({ align: 1 }),
        points: { show: false },
        value: (_u, _v, _si, idx) => {
          const v = idx === null ? null : shownCols[i + 1]![idx];
          return v === null || v === undefined ? '—' : String(v);
        },
      })),
    ],
    bands: (spec.bands ?? []).map(([a, b, c]) => ({ series: [a, b] as [number, number], fill: colour(c) })),
    cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
    legend: { live: true },
    hooks: {
      setCursor: [
        (u) => {
          const { left, top } = u.cursor;
          if (left !== undefined && top !== undefined && left >= 0) pointers.set(spec.key, { left, top });
        },
      ],
      setScale: [
        (u, key) => {
          if (key !== 'x') return;
          rememberZoom(u, full);
          box.setAttribute('data-zoom', zoom ? 'in' : 'out');
        },
      ],
    },
  };
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', spec.label + ': drag across the chart to zoom in on a time span, double-click to zoom out');
  const holder = el('div', { class: 'time-chart' });
  box.appendChild(holder);
  const u = new uPlot(opts, data as uPlot.AlignedData, holder);
  charts.set(spec.key, u);
  u.over.addEventListener('mouseleave', () => pointers.delete(spec.key));
  const resting = pointers.get(spec.key);
  if (resting) u.setCursor(resting);
  // Drawn afresh on new data: the span a person zoomed to stays.
  if (zoom) {
    const kept = zoom;
    syncing = true;
    u.setScale('x', kept);
    syncing = false;
    zoom = kept;
  }
  return u;
}

/** Forgets a chart that is no longer drawn (a worker gone from the policy). */
export function dropTimeChart(key: string): void {
  charts.get(key)?.destroy();
  charts.delete(key);
}

/** The keys of the charts drawn, for dropping those no longer wanted. */
export function timeChartKeys(prefix: string): string[] {
  return [...charts.keys()].filter((k) => k.startsWith(prefix));
}
