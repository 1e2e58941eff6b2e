// The report's plots as inline SVG: no scripts, fonts or images from anywhere else, so the report
// stays one file that opens anywhere. Each SVG has a viewBox and takes the width of its container
// (width:100%), so a plot fits a phone as well as a wide screen. Time runs along x with the policy
// zone's midnights (or hours, for a short run) marked; the legend is HTML under the plot, where it
// cannot hide a line.

export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f', '#17becf'];

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

interface Box {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
}

interface Frame extends Box {
  x0: number;
  x1: number;
  yMax: number;
  yStep: number;
  sx: (x: number) => number;
  sy: (y: number) => number;
}

/**
 * A y axis for values up to `value`: a step of 1, 2 or 5 × 10^k (at least 1: the plots count pods,
 * jobs and seconds) such that at most 5 steps reach the top, and the top at the step above the value.
 */
export function yScale(value: number): { max: number; step: number } {
  const top = Math.max(1, value);
  for (let power = 1; ; power *= 10) {
    for (const m of [1, 2, 5]) {
      const step = m * power;
      if (Math.ceil(top / step) <= 5) return { max: Math.ceil(top / step) * step, step };
    }
  }
}

function frame(box: Box, x0: number, x1: number, yTop: number): Frame {
  const { max: yMax, step: yStep } = yScale(yTop);
  const { width, height, pad } = box;
  return {
    ...box,
    x0,
    x1,
    yMax,
    yStep,
    sx: (x) => pad.left + ((x - x0) / Math.max(1, x1 - x0)) * (width - pad.left - pad.right),
    sy: (y) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom),
  };
}

function svgOpen(box: Box, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${box.width} ${box.height}" preserveAspectRatio="xMidYMid meet" style="width:100%;height:auto;display:block" role="img" aria-label="${escape(label)}">`;
}

const HOUR = 3_600_000;

/** The time marks: local midnights (weekday and date), or every 3 local hours on a run of a day and a half or less. */
function timeMarks(x0: number, x1: number, timezone: string): { at: number; label: string; midnight: boolean }[] {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short' });
  const short = x1 - x0 <= 36 * HOUR;
  const marks: { at: number; label: string; midnight: boolean }[] = [];
  // Zones are whole quarter-hours from UTC: the local hours fall on UTC quarter-hours.
  const quarter = HOUR / 4;
  for (let t = Math.ceil(x0 / quarter) * quarter; t <= x1; t += quarter) {
    const hm = parts.format(t);
    if (!hm.endsWith(':00')) continue;
    const hour = Number(hm.slice(0, 2));
    if (hour === 0) marks.push({ at: t, label: day.format(t), midnight: true });
    else if (short && hour % 3 === 0) marks.push({ at: t, label: hm, midnight: false });
  }
  return marks;
}

/** "2,500", "50k": short enough for the plot's left margin. */
function tickLabel(y: number): string {
  return y >= 10_000 ? `${(y / 1000).toLocaleString('en-US')}k` : y.toLocaleString('en-US');
}

/** Grid lines, y labels and the time marks of a plot. */
function axes(f: Frame, timezone: string, fontSize: number): string[] {
  const out: string[] = [];
  for (let y = 0; y <= f.yMax; y += f.yStep) {
    const py = f.sy(y).toFixed(1);
    out.push(`<line x1="${f.pad.left}" x2="${f.width - f.pad.right}" y1="${py}" y2="${py}" stroke="#ddd"/>`);
    out.push(
      `<text x="${f.pad.left - 4}" y="${(f.sy(y) + fontSize / 3).toFixed(1)}" font-size="${fontSize}" text-anchor="end">${tickLabel(y)}</text>`,
    );
  }
  // A label that would run into the one before it is left out (its grid line stays).
  let free = -Infinity;
  for (const mark of timeMarks(f.x0, f.x1, timezone)) {
    const x = f.sx(mark.at);
    out.push(
      `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${f.pad.top}" y2="${f.height - f.pad.bottom}" stroke="${mark.midnight ? '#bbb' : '#eee'}"/>`,
    );
    const width = mark.label.length * fontSize * 0.6;
    if (x + 3 < free || x + 3 + width > f.width) continue;
    out.push(`<text x="${(x + 3).toFixed(1)}" y="${f.height - 6}" font-size="${fontSize}">${escape(mark.label)}</text>`);
    free = x + 3 + width + fontSize / 2;
  }
  return out;
}

function path(f: Frame, points: readonly (readonly [number, number])[]): string {
  return points.map((p, j) => `${j === 0 ? 'M' : 'L'}${f.sx(p[0]).toFixed(1)},${f.sy(p[1]).toFixed(1)}`).join('');
}

function legend(entries: readonly { name: string; colour: string }[]): string {
  return `<figcaption class="legend">${entries
    .map((e) => `<span><i style="background:${e.colour}"></i>${escape(e.name)}</span>`)
    .join('')}</figcaption>`;
}

const WIDE: Box = { width: 960, height: 240, pad: { left: 52, right: 12, top: 12, bottom: 24 } };

/** A line chart: time on x, one line per series, all on one scale. */
export function lineChart(title: string, series: readonly Series[], options: { timezone: string }): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<figure><figcaption>${escape(title)}</figcaption><p>no data</p></figure>`;
  const f = frame(WIDE, Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1])));
  const parts = [svgOpen(f, title), ...axes(f, options.timezone, 11)];
  series.forEach((s, i) => {
    parts.push(`<path d="${path(f, s.points)}" fill="none" stroke="${COLOURS[i % COLOURS.length]!}" stroke-width="1.5"/>`);
  });
  parts.push('</svg>');
  return `<figure><h3>${escape(title)}</h3>${parts.join('')}${legend(series.map((s, i) => ({ name: s.name, colour: COLOURS[i % COLOURS.length]! })))}</figure>`;
}

/** Layers stacked on each other as filled areas over time (the first at the bottom). */
export function stackedChart(
  title: string,
  times: readonly number[],
  layers: readonly { name: string; values: readonly number[] }[],
  options: { timezone: string },
): string {
  if (times.length === 0) return `<figure><figcaption>${escape(title)}</figcaption><p>no data</p></figure>`;
  const tops = times.map((_, i) => layers.reduce((sum, l) => sum + (l.values[i] ?? 0), 0));
  const f = frame({ ...WIDE, height: 260 }, times[0]!, times[times.length - 1]!, Math.max(...tops));
  const parts = [svgOpen(f, title), ...axes(f, options.timezone, 11)];
  const base = times.map(() => 0);
  layers.forEach((layer, j) => {
    const top = base.map((b, i) => b + (layer.values[i] ?? 0));
    const upper = times.map((t, i) => `${f.sx(t).toFixed(1)},${f.sy(top[i]!).toFixed(1)}`);
    const lower = times.map((t, i) => `${f.sx(t).toFixed(1)},${f.sy(base[i]!).toFixed(1)}`).reverse();
    parts.push(
      `<polygon points="${[...upper, ...lower].join(' ')}" fill="${COLOURS[j % COLOURS.length]!}" fill-opacity="0.75" stroke="none"/>`,
    );
    top.forEach((v, i) => (base[i] = v));
  });
  parts.push('</svg>');
  return `<figure><h3>${escape(title)}</h3>${parts.join('')}${legend(layers.map((l, j) => ({ name: l.name, colour: COLOURS[j % COLOURS.length]! })))}</figure>`;
}

export interface Panel {
  name: string;
  colour: string;
  points: readonly (readonly [number, number])[];
  /** The panel's figure in words, next to its name ("peak 12 pods", "1,680 in all"). */
  note: string;
}

const PANEL: Box = { width: 360, height: 150, pad: { left: 40, right: 8, top: 8, bottom: 20 } };

/**
 * One small plot per strategy, each on its own y scale, so a strategy that waits seconds is as
 * readable as one that waits an hour; the figure next to each name keeps the scales honest.
 */
export function smallMultiples(
  title: string,
  explanation: string,
  panels: readonly Panel[],
  options: { timezone: string; id: string },
): string {
  const cells = panels.map((p) => {
    if (p.points.length === 0) return `<div class="panel"><div class="panel-title"><b>${escape(p.name)}</b> no data</div></div>`;
    const f = frame(PANEL, p.points[0]![0], p.points[p.points.length - 1]![0], Math.max(...p.points.map((q) => q[1])));
    const line = path(f, p.points);
    const area = `${line}L${f.sx(f.x1).toFixed(1)},${f.sy(0).toFixed(1)}L${f.sx(f.x0).toFixed(1)},${f.sy(0).toFixed(1)}Z`;
    const svg = [
      svgOpen(f, `${title}: ${p.name}`),
      ...axes(f, options.timezone, 11),
      `<path d="${area}" fill="${p.colour}" fill-opacity="0.15" stroke="none"/>`,
      `<path d="${line}" fill="none" stroke="${p.colour}" stroke-width="1.5"/>`,
      '</svg>',
    ].join('');
    return `<div class="panel" data-strategy="${escape(p.name)}"><div class="panel-title"><b style="color:${p.colour}">${escape(p.name)}</b> <span>${escape(p.note)}</span></div>${svg}</div>`;
  });
  return `<section class="multiples" id="${escape(options.id)}"><h3>${escape(title)}</h3><p class="muted">${escape(explanation)}</p><div class="grid">${cells.join('')}</div></section>`;
}
