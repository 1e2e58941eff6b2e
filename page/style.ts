// The status page's stylesheet, inlined by page/html.ts (the page loads nothing from elsewhere).

import { DARK, LIGHT, paletteVariables } from './palette';

// Colours are CSS variables so that the SVG the script draws follows prefers-color-scheme as well.
export const STYLE = String.raw`
:root {
  color-scheme: light dark;
  ${paletteVariables(LIGHT)}
  --bg: #f5f6f8; --ink: #1f2933; --muted: #5b6776; --faint: #767f8c;
  --line: #e1e5ea; --grid: #edf0f3; --hover: #f0f3f7;
  --desired: #1f2933; --min: #7b8794; --queue: #b7c8e6; --replicas: #2f7f6f;
  --accent: #2f6aa6; --on-accent: #ffffff; --ok: #1f6a3e; --warn: #8a5200; --bad: #a83030;
  --ok-bg: #e5f3ea; --warn-bg: #fcf0dc; --bad-bg: #fbe5e4; --chip: #eef1f5;
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    ${paletteVariables(DARK)}
    --bg: #121519; --ink: #e3e7ec; --muted: #a0abb8; --faint: #7a8593;
    --line: #2b323b; --grid: #232a32; --hover: #222931;
    --desired: #e3e7ec; --min: #97a2b0; --queue: #3a4f73; --replicas: #62c2ad;
    --accent: #6ea4dc; --on-accent: #0e1822; --ok: #6cc492; --warn: #e6ac4c; --bad: #ee8080;
    --ok-bg: #1d3327; --warn-bg: #3a2d15; --bad-bg: #3d1f1f; --chip: #262d36;
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--ink); }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1480px; margin: 0 auto; padding: 0 20px 32px; }
h1 { font-size: 18px; margin: 0; font-weight: 650; letter-spacing: .01em; }
h2 { font-size: 15px; margin: 0 0 8px; font-weight: 620; }
h3 { font-size: 13px; margin: 12px 0 4px; font-weight: 600; color: var(--muted); }
.mono { font-family: var(--mono); font-size: 12.5px; }
.muted { color: var(--muted); }
.empty { color: var(--muted); margin: 8px 0; }

header.top { display: flex; align-items: center; gap: 24px; flex-wrap: wrap; padding: 14px 20px; max-width: 1480px; margin: 0 auto; }
header.top .brand { display: flex; align-items: baseline; gap: 12px; flex: 1 1 auto; min-width: 0; }
#source { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.clock { font-variant-numeric: tabular-nums; text-align: right; }
#now { font-size: 17px; font-weight: 600; }
#tz { display: block; font-size: 12px; color: var(--muted); }
#last-updated { font-size: 12.5px; padding: 5px 10px; border-radius: 999px; background: var(--chip); color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
#last-updated::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 7px; background: var(--faint); vertical-align: 1px; }
#last-updated[data-state="ok"]::before { background: var(--ok); }
#last-updated[data-state="stale"] { background: var(--warn-bg); color: var(--warn); }
#last-updated[data-state="stale"]::before { background: var(--warn); }
#last-updated[data-state="error"] { background: var(--bad-bg); color: var(--bad); font-weight: 600; }
#last-updated[data-state="error"]::before { background: var(--bad); }

.tiles { display: grid; grid-template-columns: repeat(6, minmax(76px, 1fr)) minmax(280px, 4.5fr) repeat(2, minmax(76px, 1fr)); gap: 10px; margin: 4px 0 16px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-left: 4px solid var(--faint); border-radius: 8px; padding: 8px 12px; min-width: 0; }
.tile .value { font-size: 26px; font-weight: 620; line-height: 1.15; font-variant-numeric: tabular-nums; }
.tile .label { color: var(--muted); font-size: 12.5px; }
.tile .sub { color: var(--muted); font-size: 12px; margin-top: 2px; overflow-wrap: anywhere; }
.tile.zero .value { color: var(--faint); }
.tile-running { border-left-color: var(--running); }
.tile-starting { border-left-color: var(--starting); }
.tile-draining { border-left-color: var(--draining); }
.tile-stopped { border-left-color: var(--stopped); }
.tile-not-ready { border-left-color: var(--not-ready); }
.tile-desired { border-left-color: var(--desired); }
.tile-pending, .tile-overrides { border-left-color: var(--faint); }
.tile-cost { grid-column: 1 / -1; border-left-color: var(--desired); }
.tile-cost .figures { display: flex; flex-wrap: wrap; gap: 6px 36px; }
.tile-cost .figure .value { font-size: 22px; }
.tile-cost .warn { background: var(--warn-bg); border-radius: 4px; padding: 1px 6px; display: inline-block; color: var(--ink); }
.tile-cost details.how { font-size: 12.5px; margin-top: 4px; }
.tile-cost details.how li { padding: 2px 0; color: var(--muted); }
.tile-cost.unpriced .sub { margin: 0; font-size: 13px; }
.tile.alert { background: var(--bad-bg); }
.tile.notice { background: var(--warn-bg); }

.cols { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(0, 1fr); gap: 16px; align-items: start; }
.col { display: grid; gap: 16px; min-width: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; min-width: 0; }
.panel-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.wide { margin-top: 16px; }
@media (max-width: 1100px) {
  .cols { grid-template-columns: minmax(0, 1fr); }
  .tiles { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .tile-desired { grid-column: span 4; }
}

.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 0 0 6px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.sw { display: inline-block; width: 12px; height: 10px; border-radius: 2px; }
.sw.line { height: 0; border-top: 2px solid; border-radius: 0; width: 16px; }
.sw.dash { height: 0; border-top: 2px dashed; border-radius: 0; width: 16px; }
.sw-running { background: var(--running); } .sw-starting { background: var(--starting); } .sw-draining { background: var(--draining); }
.sw-stopped { background: var(--stopped); } .sw-not-ready { background: var(--not-ready); } .sw-queue { background: var(--queue); }
.sw-desired { border-color: var(--desired); } .sw-min { border-color: var(--min); }
.sw-replicas { border-color: var(--replicas); } .sw-wdesired { border-color: var(--replicas); }
.sw-track { background: var(--track); } .sw-mem { background: var(--muted); height: 3px; }

.chart { position: relative; }
.chart svg { display: block; overflow: visible; }
.chart text { font-size: 11px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .gridline { stroke: var(--grid); stroke-width: 1; }
.chart .baseline { stroke: var(--line); stroke-width: 1; }
.chart .tick-strong { fill: var(--ink); font-weight: 600; }
.area-running { fill: var(--running); } .area-starting { fill: var(--starting); } .area-draining { fill: var(--draining); }
.area-queue { fill: var(--queue); }
.line-desired { fill: none; stroke: var(--desired); stroke-width: 1.8; }
.line-min { fill: none; stroke: var(--min); stroke-width: 1.4; stroke-dasharray: 5 4; }
.line-replicas { fill: none; stroke: var(--replicas); stroke-width: 2; }
.line-wdesired { fill: none; stroke: var(--replicas); stroke-width: 1.3; stroke-dasharray: 4 3; opacity: .8; }
.now-line { stroke: var(--faint); stroke-width: 1; stroke-dasharray: 2 3; }
.guide { stroke: var(--ink); stroke-width: 1; opacity: .45; pointer-events: none; }
.tip { position: absolute; pointer-events: none; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 6px 9px; font-size: 12px; box-shadow: 0 2px 10px rgba(0,0,0,.12); white-space: nowrap; z-index: 2; font-variant-numeric: tabular-nums; }
.tip div:first-child { font-weight: 600; }
.time-chart .uplot { width: 100%; font-family: inherit; }
.time-chart .u-legend { font-size: 12px; color: var(--ink); text-align: left; margin: 2px 0 0 34px; font-variant-numeric: tabular-nums; }
.time-chart .u-legend .u-series > * { padding: 1px 4px; }
.time-chart .u-legend .u-series:first-child .u-value { font-weight: 600; }
.time-chart .u-inline tr { margin-right: 10px; }
.time-chart .u-select { background: color-mix(in srgb, var(--accent) 18%, transparent); }
.time-chart .u-cursor-x { border-right: 1px dashed var(--ink); }
.worker-chart + .worker-chart { margin-top: 14px; border-top: 1px solid var(--line); padding-top: 10px; }
.worker-title { display: flex; justify-content: space-between; gap: 10px; flex-wrap: wrap; margin-bottom: 4px; }
.worker-title b { font-weight: 620; }

.bar-running { fill: var(--running); } .bar-starting { fill: var(--starting); } .bar-draining { fill: var(--draining); }
.bar-stopped { fill: var(--stopped); } .bar-not-ready { fill: var(--not-ready); }
.track { fill: var(--track); }
/* A stopped node has no pods: its room is outlined in the stopped colour, not faded into the panel. */
.node-row[data-state="stopped"] .track { fill: none; stroke: var(--stopped); stroke-width: 1.5; stroke-dasharray: 4 2; }
.state-mark { stroke: none; }
.state-mark-running { fill: var(--running); } .state-mark-starting { fill: var(--starting); } .state-mark-draining { fill: var(--draining); }
.state-mark-stopped { fill: var(--stopped); } .state-mark-not-ready { fill: var(--not-ready); }
.maxpods { stroke: var(--ink); stroke-width: 2; opacity: .55; }
.mem { fill: var(--muted); opacity: .75; }
.chart .node-name { font-family: var(--mono); font-size: 11.5px; fill: var(--ink); }
.chart .node-state { font-size: 11px; }
.chart .pool-name { font-size: 11.5px; font-weight: 650; fill: var(--muted); letter-spacing: .04em; text-transform: uppercase; }
.chart .node-value { fill: var(--ink); font-size: 11.5px; }
.chart tspan.muted { fill: var(--muted); }
.protected-outline { fill: none; stroke: var(--ink); stroke-width: 1; stroke-dasharray: 3 2; opacity: .6; }
.chart .protected-text { fill: var(--accent); font-size: 10.5px; font-weight: 600; }
.node-row:hover .track { fill: var(--hover); }
.node-row[data-state="stopped"]:hover .track { fill: none; }
.scroll-x { overflow-x: auto; }
.sw-protected { border: 1px dashed var(--ink); background: transparent; }
.sw-dot { width: 6px; height: 6px; border-radius: 50%; background: var(--accent); }
.protected-dot { fill: var(--accent); }
.maxpods.thin { stroke-width: 1.5; opacity: .4; }

ul.plain { list-style: none; padding: 0; margin: 0; }
.plan-item { padding: 8px 0; border-bottom: 1px solid var(--line); }
.plan-item:last-child { border-bottom: 0; }
.plan-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.plan-reason { color: var(--ink); margin-top: 2px; overflow-wrap: anywhere; }
.chip { display: inline-block; font-size: 11.5px; padding: 1px 7px; border-radius: 999px; background: var(--chip); color: var(--muted); white-space: nowrap; }
.rule { font-family: var(--mono); font-size: 11.5px; color: var(--muted); }
details { margin-top: 10px; }
details summary { cursor: pointer; color: var(--muted); }
details .plan-item { padding: 6px 0; }
.notes li { padding: 3px 0; color: var(--muted); }
.notes .count { display: inline-block; min-width: 2.6em; font-weight: 650; color: var(--ink); font-variant-numeric: tabular-nums; }
.notes details.subjects { display: inline-block; margin: 0 0 0 8px; }
.notes details.subjects .mono { overflow-wrap: anywhere; }
.headlines { margin-bottom: 10px; }
.headline { padding: 8px 10px; margin-bottom: 6px; border-radius: 6px; border-left: 4px solid var(--faint); background: var(--bg); }
.headline.status-held { border-left-color: var(--bad); background: var(--bad-bg); }
.headline.status-closing, .headline.status-busy { border-left-color: var(--warn); }
.headline.status-settled { border-left-color: var(--ok); }
.headline-text { font-weight: 600; margin-top: 2px; }
.badge-settled { background: var(--ok-bg); color: var(--ok); }
.badge-closing, .badge-busy { background: var(--warn-bg); color: var(--warn); }
.badge-held { background: var(--bad-bg); color: var(--bad); }
time { text-decoration: underline dotted; text-underline-offset: 2px; }
#holiday { display: block; font-size: 12px; color: var(--warn); font-weight: 600; }
.filters { display: flex; gap: 10px; flex-wrap: wrap; font-size: 12.5px; color: var(--muted); }
.filters select { width: auto; padding: 2px 6px; }
td.remove-cell { white-space: nowrap; }
button.remove[data-state="confirm"] { background: var(--bad); border-color: var(--bad); color: var(--on-accent); font-weight: 600; }
button.cancel { font-size: 12.5px; padding: 3px 10px; margin-left: 6px; }

table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
tbody tr:last-child td { border-bottom: 0; }
td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.holds { white-space: nowrap; }
.strong { font-weight: 600; margin-top: 3px; }
td.reason { overflow-wrap: anywhere; }
#timeline td.reason { min-width: 280px; }
#timeline td.action { white-space: nowrap; }
#timeline .target { min-width: 28ch; overflow-wrap: anywhere; }
.detail { color: var(--muted); font-size: 12.5px; margin-top: 2px; }
.detail.bad { color: var(--bad); }
.badge { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 8px; border-radius: 999px; }
.badge-done { background: var(--ok-bg); color: var(--ok); }
.badge-refused { background: var(--warn-bg); color: var(--warn); }
.badge-failed { background: var(--bad-bg); color: var(--bad); }
.badge-observed { background: var(--hover); color: var(--muted); }
.banner { padding: 8px 12px; border-radius: 6px; margin-bottom: 8px; font-weight: 600; }
.banner-observe { background: var(--warn-bg); color: var(--warn); }
.banner-off { background: var(--hover); color: var(--ink); }
.banner-refused { background: var(--bad-bg); color: var(--bad); }
.more { margin-top: 8px; }

button { font: inherit; border-radius: 6px; border: 1px solid var(--line); background: var(--panel); color: var(--ink); padding: 5px 12px; cursor: pointer; }
button:hover { background: var(--hover); }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); font-weight: 600; }
button.primary:hover { filter: brightness(1.08); }
button:disabled { opacity: .55; cursor: default; }
button.remove { color: var(--bad); font-size: 12.5px; padding: 3px 10px; }
form.override { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px 12px; margin-top: 12px; padding-top: 12px; border-top: 1px solid var(--line); }
form.override label { display: flex; flex-direction: column; gap: 3px; font-size: 12.5px; color: var(--muted); min-width: 0; }
form.override .span2 { grid-column: span 2; }
form.override .span3 { grid-column: span 3; }
input, select { font: inherit; color: var(--ink); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 5px 8px; min-width: 0; width: 100%; }
input:focus, select:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
[aria-invalid="true"] { border-color: var(--bad); background: var(--bad-bg); }
.form-foot { grid-column: span 3; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.hint { font-size: 12px; color: var(--muted); }
ul.problems { grid-column: span 3; margin: 0; padding: 8px 12px 8px 28px; background: var(--bad-bg); color: var(--bad); border-radius: 6px; }
ul.problems:empty { display: none; }
#override-status { color: var(--ok); font-size: 12.5px; }
#overrides-message { color: var(--bad); font-size: 12.5px; margin: 6px 0 0; }
#overrides-message:empty { display: none; }
.audit-counts { display: flex; gap: 10px; flex-wrap: wrap; align-items: baseline; margin: 6px 0 10px; }
.sev { padding: 3px 10px; border-radius: 999px; background: var(--chip); }
.sev.zero { color: var(--faint); }
.sev.sev-blocks:not(.zero) { background: var(--bad-bg); color: var(--bad); }
.sev.sev-not-graceful:not(.zero) { background: var(--warn-bg); color: var(--warn); }
.badge.sev-blocks { background: var(--bad-bg); color: var(--bad); }
.badge.sev-not-graceful { background: var(--warn-bg); color: var(--warn); }
.badge.sev-advice { background: var(--chip); color: var(--muted); }
#audit-status { font-size: 12.5px; color: var(--muted); }
#audit-status[data-state="error"] { color: var(--bad); font-weight: 600; }
.audit-workload { padding: 10px 0; border-bottom: 1px solid var(--line); }
.audit-workload:last-child { border-bottom: 0; }
.audit-finding { margin: 8px 0 0 12px; padding-left: 10px; border-left: 3px solid var(--faint); scroll-margin-top: 12px; }
.audit-finding.sev-blocks { border-left-color: var(--bad); }
.audit-finding.sev-not-graceful { border-left-color: var(--warn); }
.audit-finding.flash, .audit-workload.flash, #audit.flash { background: var(--hover); }
.chip.check { font-weight: 600; color: var(--ink); }
.effects { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
.effect { font-size: 11.5px; padding: 0 6px; border-radius: 4px; background: var(--chip); color: var(--muted); }
.effect-disrupts { background: var(--bad-bg); color: var(--bad); }
.effect-refuses { background: var(--warn-bg); color: var(--warn); }
.effect-ok { background: var(--ok-bg); color: var(--ok); }
details.fix { margin-top: 4px; }
details.fix pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow-x: auto; margin: 6px 0 0; }
a.audit-link { color: var(--accent); }
[hidden] { display: none !important; }
`;
