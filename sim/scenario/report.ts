// The simulation's outputs: the tables (tables.ts; plain text for a terminal) and a self-contained
// HTML report with the same tables and inline SVG plots (no scripts, fonts or images from anywhere else).

import type { NodeCost } from '../../core/policy';
import { REASONS } from './attribution';
import type { SimulationResult } from './simulation';
import { attributionLines, CHURN_COLUMNS, moneyColumns, REASON_TEXT, SUMMARY_COLUMNS, type Column } from './tables';

export { summaryTable } from './tables';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f', '#17becf'];

interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

/** A line chart as inline SVG: time on x (local days marked), one line per series. */
export function lineChart(
  title: string,
  series: readonly Series[],
  options: { width?: number; height?: number; timezone?: string } = {},
): string {
  const width = options.width ?? 900;
  const height = options.height ?? 220;
  const pad = { left: 48, right: 12, top: 26, bottom: 28 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<figure><figcaption>${escape(title)}</figcaption><p>no data</p></figure>`;
  const x0 = Math.min(...all.map((p) => p[0]));
  const x1 = Math.max(...all.map((p) => p[0]));
  const yMax = Math.max(1, ...all.map((p) => p[1]));
  const sx = (x: number) => pad.left + ((x - x0) / Math.max(1, x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">`,
  );
  parts.push(`<text x="${pad.left}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`);
  // y grid
  for (let k = 0; k <= 4; k++) {
    const y = (yMax * k) / 4;
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${pad.left - 4}" y="${(sy(y) + 4).toFixed(1)}" font-size="10" text-anchor="end">${Number.isInteger(y) ? y : y.toFixed(1)}</text>`,
    );
  }
  // day marks
  const day = 86_400_000;
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: options.timezone ?? 'Asia/Tokyo',
    weekday: 'short',
    day: '2-digit',
    month: 'short',
  });
  for (let t = x0; t <= x1; t += day) {
    parts.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${(sx(t) + 3).toFixed(1)}" y="${height - 10}" font-size="10">${escape(fmt.format(t))}</text>`);
  }
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    parts.push(`<text x="${width - pad.right - 180}" y="${pad.top + 12 * i}" font-size="11" fill="${colour}">— ${escape(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `<figure>${parts.join('')}</figure>`;
}

/** Layers stacked on each other as filled areas over time (the first at the bottom). */
export function stackedChart(
  title: string,
  times: readonly number[],
  layers: readonly { name: string; values: readonly number[] }[],
  options: { width?: number; height?: number } = {},
): string {
  const width = options.width ?? 900;
  const height = options.height ?? 260;
  const pad = { left: 48, right: 12, top: 26, bottom: 28 };
  if (times.length === 0) return `<figure><figcaption>${escape(title)}</figcaption><p>no data</p></figure>`;
  const tops = times.map((_, i) => layers.reduce((sum, l) => sum + (l.values[i] ?? 0), 0));
  const yMax = Math.max(1, ...tops);
  const x0 = times[0]!;
  const x1 = times[times.length - 1]!;
  const sx = (x: number) => pad.left + ((x - x0) / Math.max(1, x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">`,
  ];
  parts.push(`<text x="${pad.left}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const y = (yMax * k) / 4;
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${pad.left - 4}" y="${(sy(y) + 4).toFixed(1)}" font-size="10" text-anchor="end">${y.toFixed(0)}</text>`);
  }
  const base = times.map(() => 0);
  layers.forEach((layer, j) => {
    const top = base.map((b, i) => b + (layer.values[i] ?? 0));
    const upper = times.map((t, i) => `${sx(t).toFixed(1)},${sy(top[i]!).toFixed(1)}`);
    const lower = times.map((t, i) => `${sx(t).toFixed(1)},${sy(base[i]!).toFixed(1)}`).reverse();
    const colour = COLOURS[j % COLOURS.length]!;
    parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${colour}" fill-opacity="0.75" stroke="none"/>`);
    parts.push(
      `<text x="${width - pad.right - 330}" y="${pad.top + 12 * j}" font-size="11" fill="${colour}">■ ${escape(layer.name)}</text>`,
    );
    top.forEach((v, i) => (base[i] = v));
  });
  parts.push('</svg>');
  return `<figure>${parts.join('')}</figure>`;
}

function htmlTable(columns: readonly Column[], results: readonly SimulationResult[]): string {
  const rows = results.map((r) =>
    columns.map((c, i) => (i === 0 ? `<th scope="row">${escape(c.value(r))}</th>` : `<td>${escape(c.value(r))}</td>`)).join(''),
  );
  return `<table><thead><tr>${columns.map((c) => `<th>${escape(c.title)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`;
}

export interface ReportMeta {
  title: string;
  details: readonly string[];
  timezone?: string;
  /** The policy's prices (nodes.cost): the cost table. */
  prices?: NodeCost | undefined;
  /** Lines under the tables (the suite's checks). */
  notes?: readonly string[];
}

export function htmlReport(results: readonly SimulationResult[], meta: ReportMeta): string {
  const tz = meta.timezone !== undefined ? { timezone: meta.timezone } : {};
  const graceful = results[0];
  const oracle = graceful
    ? [{ name: 'oracle lower bound', points: graceful.samples.map((s, i) => [s.at, graceful.oracle.nodes[i] ?? 0] as const) }]
    : [];
  const nodes = lineChart(
    'User nodes running, per strategy',
    [...results.map((r) => ({ name: r.strategy, points: r.samples.map((s) => [s.at, s.runningNodes] as const) })), ...oracle],
    tz,
  );
  const pending = lineChart(
    'Pending pods, per strategy',
    results.map((r) => ({ name: r.strategy, points: r.samples.map((s) => [s.at, s.pendingPods] as const) })),
    tz,
  );
  const queue = graceful
    ? lineChart(
        `BG queue depth and BG replicas (${graceful.strategy})`,
        [
          { name: 'queue depth (visible + in flight)', points: graceful.samples.map((s) => [s.at, s.queueDepth] as const) },
          { name: 'BG replicas', points: graceful.samples.map((s) => [s.at, s.bgReplicas] as const) },
        ],
        tz,
      )
    : '';
  const mdm = graceful
    ? lineChart(
        'MDM replicas (HPA on the request rate)',
        [{ name: 'MDM replicas', points: graceful.samples.map((s) => [s.at, s.mdmReplicas] as const) }],
        tz,
      )
    : '';
  const where = graceful
    ? `<h2>Where ${escape(graceful.strategy)}'s user node-hours went</h2>
<pre>${escape(attributionLines(graceful).join('\n'))}</pre>
${stackedChart(
  `Billed user nodes by reason (${graceful.strategy})`,
  graceful.samples.map((s) => s.at),
  REASONS.map((k) => ({ name: REASON_TEXT[k], values: graceful.attributionSamples[k] })),
)}`
    : '';
  const money = meta.prices
    ? `<h2>Cost (${escape(meta.prices.currency)})</h2>${htmlTable(moneyColumns(meta.prices, results), results)}`
    : '<p>No prices in the policy (nodes.cost): no cost table.</p>';
  const violations = results.flatMap((r) =>
    r.violations
      .slice(0, 20)
      .map((v) => `<li>${escape(r.strategy)}: ${escape(new Date(v.at).toISOString())} ${escape(v.kind)}: ${escape(v.detail)}</li>`),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(meta.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th[scope=row]{text-align:left}figure{margin:1em 0}</style>
</head><body>
<h1>${escape(meta.title)}</h1>
<ul>${meta.details.map((d) => `<li>${escape(d)}</li>`).join('')}</ul>
${htmlTable(SUMMARY_COLUMNS, results)}
<h2>Churn</h2>
${htmlTable(CHURN_COLUMNS, results)}
${money}
${meta.notes && meta.notes.length > 0 ? `<ul>${meta.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>` : ''}
${nodes}
${where}
${queue}
${pending}
${mdm}
<h2>Invariant violations</h2>
${violations.length === 0 ? '<p>None.</p>' : `<ul>${violations.join('')}</ul>`}
</body></html>
`;
}
