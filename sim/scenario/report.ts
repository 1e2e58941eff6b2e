// The simulation's outputs: the summary table (plain text, for a terminal) and a self-contained HTML
// report with inline SVG plots (no scripts, fonts or images from anywhere else).

import type { SimulationResult } from './simulation';

const COLUMNS: readonly { title: string; value: (r: SimulationResult) => string }[] = [
  { title: 'strategy', value: (r) => r.strategy },
  { title: 'node-h', value: (r) => r.nodeHours.toFixed(0) },
  { title: 'user node-h', value: (r) => r.userNodeHours.toFixed(0) },
  { title: 'peak nodes', value: (r) => String(r.peakNodes) },
  { title: 'pod-min pending', value: (r) => r.podMinutesPending.toFixed(0) },
  { title: 'max pending min', value: (r) => r.maxPendingMinutes.toFixed(1) },
  { title: 'BG wait p50 s', value: (r) => r.bgWaitP50Seconds.toFixed(0) },
  { title: 'BG wait p95 s', value: (r) => r.bgWaitP95Seconds.toFixed(0) },
  { title: 'batch interrupted', value: (r) => String(r.batchJobsInterrupted) },
  { title: 'BG jobs interrupted', value: (r) => String(r.bgJobsInterrupted) },
  { title: 'evictions', value: (r) => String(r.evictions) },
  { title: 'mem spread GiB', value: (r) => r.memorySpreadGiB.toFixed(1) },
];

export function summaryTable(results: readonly SimulationResult[]): string {
  const rows = [COLUMNS.map((c) => c.title), ...results.map((r) => COLUMNS.map((c) => c.value(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

/** A line chart as inline SVG: time on x (local days marked), one line per series. */
export function lineChart(title: string, series: readonly Series[], options: { width?: number; height?: number; timezone?: string } = {}): string {
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
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">`);
  parts.push(`<text x="${pad.left}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`);
  // y grid
  for (let k = 0; k <= 4; k++) {
    const y = (yMax * k) / 4;
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${pad.left - 4}" y="${(sy(y) + 4).toFixed(1)}" font-size="10" text-anchor="end">${Number.isInteger(y) ? y : y.toFixed(1)}</text>`);
  }
  // day marks
  const day = 86_400_000;
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: options.timezone ?? 'Asia/Tokyo', weekday: 'short', day: '2-digit', month: 'short' });
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

export function htmlReport(results: readonly SimulationResult[], meta: { title: string; details: readonly string[]; timezone?: string }): string {
  const tz = meta.timezone !== undefined ? { timezone: meta.timezone } : {};
  const nodes = lineChart('User nodes running, per strategy', results.map((r) => ({ name: r.strategy, points: r.samples.map((s) => [s.at, s.runningNodes] as const) })), tz);
  const pending = lineChart('Pending pods, per strategy', results.map((r) => ({ name: r.strategy, points: r.samples.map((s) => [s.at, s.pendingPods] as const) })), tz);
  const graceful = results[0];
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
  const mdm = graceful ? lineChart('MDM replicas (HPA on the request rate)', [{ name: 'MDM replicas', points: graceful.samples.map((s) => [s.at, s.mdmReplicas] as const) }], tz) : '';
  const header = ['strategy', 'node-hours', 'user node-hours', 'peak nodes', 'pod-minutes pending', 'longest pending (min)', 'BG wait p50 (s)', 'BG wait p95 (s)', 'batch jobs interrupted', 'BG jobs interrupted', 'evictions', 'memory spread (GiB)'];
  const rows = results.map((r) =>
    [r.strategy, r.nodeHours.toFixed(0), r.userNodeHours.toFixed(0), String(r.peakNodes), r.podMinutesPending.toFixed(0), r.maxPendingMinutes.toFixed(1), r.bgWaitP50Seconds.toFixed(0), r.bgWaitP95Seconds.toFixed(0), String(r.batchJobsInterrupted), String(r.bgJobsInterrupted), String(r.evictions), r.memorySpreadGiB.toFixed(1)]
      .map((c, i) => (i === 0 ? `<th scope="row">${escape(c)}</th>` : `<td>${escape(c)}</td>`))
      .join(''),
  );
  const violations = results.flatMap((r) => r.violations.slice(0, 20).map((v) => `<li>${escape(r.strategy)}: ${escape(new Date(v.at).toISOString())} ${escape(v.kind)}: ${escape(v.detail)}</li>`));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(meta.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th[scope=row]{text-align:left}figure{margin:1em 0}</style>
</head><body>
<h1>${escape(meta.title)}</h1>
<ul>${meta.details.map((d) => `<li>${escape(d)}</li>`).join('')}</ul>
<table><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>
${nodes}
${queue}
${pending}
${mdm}
<h2>Invariant violations</h2>
${violations.length === 0 ? '<p>None.</p>' : `<ul>${violations.join('')}</ul>`}
</body></html>
`;
}
