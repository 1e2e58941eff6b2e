// The simulation's outputs: the tables (tables.ts; plain text for a terminal) and a self-contained
// HTML report: the result in words and money first (report-story.ts), then the tables, inline SVG
// plots (report-charts.ts: no scripts, fonts or images from anywhere else) with waits, evictions and
// interruptions per strategy on each strategy's own scale, and what went wrong with each strategy
// (report-failures.ts). Times are the policy zone's.

import type { NodeCost } from '../../core/policy';
import { REASONS } from './attribution';
import { localTimeFormatter } from './local-time';
import { COLOURS, escape, lineChart, smallMultiples, stackedChart, type Panel } from './report-charts';
import { failuresHtml } from './report-failures';
import { resultInWords } from './report-story';
import type { Sample, SimulationResult } from './simulation';
import { attributionLines, CHURN_COLUMNS, moneyColumns, REASON_TEXT, SUMMARY_COLUMNS, type Column } from './tables';

export { summaryTable } from './tables';
export { lineChart, stackedChart } from './report-charts';

function htmlTable(columns: readonly Column[], results: readonly SimulationResult[]): string {
  const rows = results.map((r) =>
    columns.map((c, i) => (i === 0 ? `<th scope="row">${escape(c.value(r))}</th>` : `<td>${escape(c.value(r))}</td>`)).join(''),
  );
  return `<div class="scroll"><table><thead><tr>${columns.map((c) => `<th>${escape(c.title)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table></div>`;
}

export interface ReportMeta {
  title: string;
  details: readonly string[];
  /** The policy's zone: the plots' days and every time in the report. */
  timezone: string;
  /** The policy's prices (nodes.cost): the cost table. */
  prices?: NodeCost | undefined;
  /** Lines under the tables (the suite's checks). */
  notes?: readonly string[];
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1em 1.5em;max-width:1280px}
.lead{font-size:16px;max-width:70em}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}th[scope=row]{text-align:left}
pre{overflow-x:auto}figure{margin:1em 0}h3{font-size:14px;margin:.8em 0 .3em}.muted{color:#666}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:12px}.legend i{display:inline-block;width:12px;height:3px;margin-right:5px;vertical-align:middle}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px 18px}.panel-title{font-size:12px}.panel-title span{color:#555}
.failures ul ul{margin:.2em 0;font-size:13px}.failures time{font-variant-numeric:tabular-nums;color:#444;margin-right:.4em}code{font-size:12px;color:#666}`;

/** Per strategy, one panel of `value` over the samples, on the strategy's own scale. */
function panels(results: readonly SimulationResult[], value: (s: Sample) => number, note: (r: SimulationResult) => string): Panel[] {
  return results.map((r, i) => ({
    name: r.strategy,
    colour: COLOURS[i % COLOURS.length]!,
    points: r.samples.map((s) => [s.at, value(s)] as const),
    note: note(r),
  }));
}

/** Pending pods, BG waits, evictions and interruptions, per strategy. */
function disturbance(results: readonly SimulationResult[], timezone: string): string {
  const tz = { timezone };
  const peak = (r: SimulationResult, f: (s: Sample) => number) => Math.max(0, ...r.samples.map(f));
  return [
    smallMultiples(
      'Pods pending (waiting for a node)',
      'Each strategy on its own scale; the figure by its name is the longest any pod waited.',
      panels(
        results,
        (s) => s.pendingPods,
        (r) => `peak ${peak(r, (s) => s.pendingPods)} pods, longest wait ${r.maxPendingMinutes.toFixed(1)} min`,
      ),
      { ...tz, id: 'pending' },
    ),
    smallMultiples(
      'Longest BG job wait (seconds) in each sample interval',
      'From a job reaching the queue to a worker taking it; own scale per strategy.',
      panels(
        results,
        (s) => s.bgWaitMaxSeconds,
        (r) => `p50 ${r.bgWaitP50Seconds.toFixed(0)} s, p95 ${r.bgWaitP95Seconds.toFixed(0)} s`,
      ),
      { ...tz, id: 'bg-wait' },
    ),
    smallMultiples(
      'Evictions so far',
      'Accepted Eviction API calls, drains and descheduling together; own scale per strategy.',
      panels(
        results,
        (s) => s.evictions,
        (r) => `${r.evictions.toLocaleString('en-US')} in all`,
      ),
      { ...tz, id: 'evictions' },
    ),
    smallMultiples(
      'Jobs interrupted so far (BG and batch)',
      'A job whose worker or pod died with it and must start again; own scale per strategy.',
      panels(
        results,
        (s) => s.jobsInterrupted,
        (r) => `${r.bgJobsInterrupted.toLocaleString('en-US')} BG, ${r.batchJobsInterrupted} batch`,
      ),
      { ...tz, id: 'interruptions' },
    ),
  ].join('\n');
}

export function htmlReport(results: readonly SimulationResult[], meta: ReportMeta): string {
  const tz = { timezone: meta.timezone };
  const graceful = results[0];
  const oracle = graceful
    ? [{ name: 'oracle lower bound', points: graceful.samples.map((s, i) => [s.at, graceful.oracle.nodes[i] ?? 0] as const) }]
    : [];
  const nodes = lineChart(
    'User nodes running, per strategy',
    [...results.map((r) => ({ name: r.strategy, points: r.samples.map((s) => [s.at, s.runningNodes] as const) })), ...oracle],
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
  const forecast = graceful?.samples.some((s) => s.forecastNodes !== undefined)
    ? lineChart(
        `Pre-warming: the learned forecast for the coming quarter hour against the nodes running and the load's need (${graceful.strategy})`,
        [
          {
            name: 'forecast (nodes the load needed in the coming quarter hour, as learned)',
            points: graceful.samples.filter((s) => s.forecastNodes !== undefined).map((s) => [s.at, s.forecastNodes!] as const),
          },
          { name: 'nodes running', points: graceful.samples.map((s) => [s.at, s.runningNodes] as const) },
          { name: "the load's need (oracle)", points: graceful.samples.map((s, i) => [s.at, graceful.oracle.nodes[i] ?? 0] as const) },
        ],
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
  tz,
)}`
    : '';
  const money = meta.prices
    ? `<h2>Cost (${escape(meta.prices.currency)})</h2>${htmlTable(moneyColumns(meta.prices, results), results)}`
    : '<p>No prices in the policy (nodes.cost): no cost table.</p>';
  const format = localTimeFormatter(meta.timezone);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(meta.title)}</title>
<style>${STYLE}</style>
</head><body>
<h1>${escape(meta.title)}</h1>
<p class="lead" id="result">${escape(resultInWords(results, meta.prices))}</p>
<ul class="muted">${meta.details.map((d) => `<li>${escape(d)}</li>`).join('')}<li>times are ${escape(meta.timezone)} (the policy's zone)</li></ul>
${htmlTable(SUMMARY_COLUMNS, results)}
${money}
${meta.notes && meta.notes.length > 0 ? `<ul>${meta.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>` : ''}
${nodes}
<h2>Waiting, evictions and interruptions, per strategy</h2>
${disturbance(results, meta.timezone)}
<h2>Churn</h2>
${htmlTable(CHURN_COLUMNS, results)}
${where}
${queue}
${mdm}
${forecast}
${failuresHtml(results, format, meta.timezone)}
</body></html>
`;
}
