// The operator's status page: one self-contained HTML document (inline CSS, inline script, charts as
// inline SVG drawn by the script), served at /api/dashboard. It only renders the JSON of
// functions/dashboard-model.ts, fetched from `dashboard/data` next to it, and sets or removes
// overrides through `overrides`. Nothing is loaded from elsewhere: the page must work in a locked-down
// network, and a Content-Security-Policy with the script's hash says so to the browser too, so even a
// rendering bug could not run markup someone typed into an override's reason.

import { createHash } from 'node:crypto';

// Colours are CSS variables so that the SVG the script draws follows prefers-color-scheme as well.
const STYLE = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --panel: #ffffff; --ink: #1f2933; --muted: #5f6b7a; --faint: #8a94a3;
  --line: #e1e5ea; --grid: #edf0f3; --hover: #f0f3f7;
  --running: #3d78b5; --starting: #4fa88e; --draining: #e09a2d; --stopped: #b3bac4; --not-ready: #c9504f;
  --desired: #1f2933; --min: #7b8794; --queue: #b7c8e6; --replicas: #2f7f6f;
  --accent: #2f6aa6; --on-accent: #ffffff; --ok: #2e7d4f; --warn: #b86e00; --bad: #b83a3a;
  --ok-bg: #e5f3ea; --warn-bg: #fcf0dc; --bad-bg: #fbe5e4; --chip: #eef1f5;
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121519; --panel: #1a1f25; --ink: #e3e7ec; --muted: #a0abb8; --faint: #7a8593;
    --line: #2b323b; --grid: #232a32; --hover: #222931;
    --running: #5b95d1; --starting: #5cbfa2; --draining: #e6ac4c; --stopped: #5b6570; --not-ready: #e06b6a;
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
.sw-track { background: var(--grid); border: 1px solid var(--line); } .sw-mem { background: var(--muted); height: 3px; }

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
.worker-chart + .worker-chart { margin-top: 14px; border-top: 1px solid var(--line); padding-top: 10px; }
.worker-title { display: flex; justify-content: space-between; gap: 10px; flex-wrap: wrap; margin-bottom: 4px; }
.worker-title b { font-weight: 620; }

.bar-running { fill: var(--running); } .bar-starting { fill: var(--starting); } .bar-draining { fill: var(--draining); }
.bar-stopped { fill: var(--stopped); } .bar-not-ready { fill: var(--not-ready); }
.track { fill: var(--grid); }
.node-row[data-state="stopped"] .track { opacity: .45; }
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
[hidden] { display: none !important; }
`;

// Written for the browser as it is (no build step), so no template literals or `${` inside; every
// piece of data reaches the DOM through textContent, setAttribute or createElementNS, never as markup.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var params = new URL(location.href).searchParams;
  var code = params.get('code');
  var refreshMs = 2000;
  if (params.has('refresh')) {
    var r = Number(params.get('refresh'));
    if (isFinite(r) && r >= 0) refreshMs = r === 0 ? 0 : Math.max(500, r * 1000);
  }

  // Relative to the page, so /api/dashboard calls /api/dashboard/data and /api/overrides; the
  // function key the page was opened with goes along on every call.
  function api(path) {
    var base = new URL(location.href);
    base.search = '';
    base.hash = '';
    base.pathname = base.pathname.replace(/\/+$/, '') || '/';
    var url = new URL(path, base);
    if (code) url.searchParams.set('code', code);
    return url.toString();
  }

  // --- DOM helpers: text only -------------------------------------------------------------------
  function setAttrs(e, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') e.textContent = String(v);
      else e.setAttribute(k, v === true ? '' : String(v));
    });
  }
  function add(e, children) {
    if (children === undefined || children === null) return e;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === undefined || c === null || c === false) return;
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return e;
  }
  function el(tag, attrs, children) { var e = document.createElement(tag); setAttrs(e, attrs); return add(e, children); }
  function sv(tag, attrs, children) { var e = document.createElementNS(SVG_NS, tag); setAttrs(e, attrs); return add(e, children); }
  function $(id) { return document.getElementById(id); }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : 0; }
  function r1(v) { return Math.round(v * 10) / 10; }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : (many || one + 's')); }

  // --- time in the policy's zone ----------------------------------------------------------------
  var tz = 'UTC';
  var formats = {};
  function fmt(name, options) {
    var key = tz + '|' + name;
    if (!formats[key]) formats[key] = new Intl.DateTimeFormat('en-GB', Object.assign({ timeZone: tz, hourCycle: 'h23' }, options));
    return formats[key];
  }
  function useZone(zone) {
    try { new Intl.DateTimeFormat('en-GB', { timeZone: zone }); tz = zone; return true; } catch (e) { tz = 'UTC'; return false; }
  }
  function ms(iso) { var t = Date.parse(iso); return isFinite(t) ? t : NaN; }
  function hhmm(t) { return fmt('hm', { hour: '2-digit', minute: '2-digit' }).format(t); }
  function hhmmss(t) { return fmt('hms', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(t); }
  function dayLabel(t) { return fmt('day', { weekday: 'short', day: 'numeric', month: 'short' }).format(t); }
  function localKey(t) { return fmt('key', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(t); }
  function offsetName(t) {
    try {
      var p = fmt('off', { timeZoneName: 'shortOffset' }).formatToParts(t).filter(function (x) { return x.type === 'timeZoneName'; })[0];
      return p ? p.value : '';
    } catch (e) { return ''; }
  }
  function minuteOfDay(t) {
    var h = 0, m = 0;
    fmt('parts', { hour: 'numeric', minute: 'numeric' }).formatToParts(t).forEach(function (p) {
      if (p.type === 'hour') h = Number(p.value) % 24;
      if (p.type === 'minute') m = Number(p.value);
    });
    return h * 60 + m;
  }
  /** "03:12", or "Sun 29 Nov 18:40" when it is not the same local day as the reference. */
  function when(t, ref) {
    if (!isFinite(t)) return '—';
    return localKey(t) === localKey(ref) ? hhmm(t) : dayLabel(t) + ' ' + hhmm(t);
  }
  function span(msec) {
    var s = Math.round(Math.abs(msec) / 1000);
    if (s < 60) return s + 's';
    var m = Math.round(s / 60);
    if (m < 60) return m + 'm';
    var h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (d >= 2) return d + 'd ' + (h % 24) + 'h';
    return h + 'h' + (m % 60 ? ' ' + (m % 60) + 'm' : '');
  }
  function gib(bytes) { return (bytes / 1073741824).toFixed(1) + ' GiB'; }
  function pct(a, b) { return b > 0 ? Math.round(a / b * 100) + '%' : '—'; }

  // --- chart frame: scales, grid, axes ------------------------------------------------------------
  function niceMax(max, ticks) {
    var raw = Math.max(max, 1) / ticks;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (k) { return k * mag; }).filter(function (s) { return s >= raw; })[0] || 10 * mag;
    step = Math.max(1, step);
    return { max: Math.max(step, Math.ceil(max / step) * step), step: step };
  }
  var TICK_MINUTES = [5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];
  // Every zone's offset is a whole number of quarter hours (or of five minutes at least), so local
  // round times are found among UTC ones: no offset arithmetic, and summer time is handled by Intl.
  function timeTicks(t0, t1, maxTicks) {
    var minutes = (t1 - t0) / 60000;
    var step = 0;
    for (var i = 0; i < TICK_MINUTES.length; i++) if (minutes / TICK_MINUTES[i] <= maxTicks) { step = TICK_MINUTES[i]; break; }
    if (!step) step = Math.ceil(minutes / maxTicks / 1440) * 1440;
    var ticks = [], days = 0;
    var inc = (step < 15 ? 5 : 15) * 60000;
    for (var t = Math.ceil(t0 / inc) * inc; t <= t1 && ticks.length < 200; t += inc) {
      var m = minuteOfDay(t);
      if (step < 1440 ? m % step === 0 : m === 0 && days++ % (step / 1440) === 0) ticks.push({ t: t, midnight: m === 0 });
    }
    return ticks;
  }
  function frame(o) {
    // The same margins with or without a right axis, so that the charts' time axes line up.
    var m = { l: 40, r: 40, t: 10, b: 24 };
    var pw = Math.max(40, o.width - m.l - m.r), ph = o.height - m.t - m.b;
    var root = sv('svg', { width: o.width, height: o.height, viewBox: '0 0 ' + o.width + ' ' + o.height, role: 'img', 'aria-label': o.label });
    var dt = o.t1 - o.t0 || 1;
    var f = {
      svg: root, m: m, pw: pw, ph: ph,
      x: function (t) { return r1(m.l + (t - o.t0) / dt * pw); },
      t: function (px) { return o.t0 + (px - m.l) / pw * dt; },
      y: function (v) { return r1(m.t + ph - v / o.yMax * ph); },
      yr: function (v) { return r1(m.t + ph - v / (o.rightMax || 1) * ph); },
    };
    for (var v = 0; v <= o.yMax + 1e-9; v += o.yStep) {
      root.appendChild(sv('line', { class: v === 0 ? 'baseline' : 'gridline', x1: m.l, x2: m.l + pw, y1: f.y(v), y2: f.y(v) }));
      root.appendChild(sv('text', { x: m.l - 6, y: f.y(v) + 4, 'text-anchor': 'end', text: String(v) }));
    }
    if (o.rightMax) {
      for (var w = 0; w <= o.rightMax + 1e-9; w += o.rightStep) {
        root.appendChild(sv('text', { x: m.l + pw + 6, y: f.yr(w) + 4, 'text-anchor': 'start', text: String(w) }));
      }
    }
    var ticks = timeTicks(o.t0, o.t1, Math.max(3, Math.floor(pw / 90)));
    ticks.forEach(function (k) {
      var x = f.x(k.t);
      root.appendChild(sv('line', { class: 'gridline', x1: x, x2: x, y1: m.t, y2: m.t + ph }));
      var label = k.midnight ? dayLabel(k.t) : hhmm(k.t);
      // A label at either end stays inside the chart rather than under the other axis.
      var half = label.length * 3.3, anchor = x - half < m.l - 8 ? 'start' : x + half > o.width - 4 ? 'end' : 'middle';
      root.appendChild(sv('text', { x: anchor === 'start' ? Math.max(x - 4, m.l - 8) : x, y: m.t + ph + 16, 'text-anchor': anchor, class: k.midnight ? 'tick-strong' : null, text: label }));
    });
    return f;
  }
  /** Longer than this between two samples is a silence (the scaler was not running): lines break. */
  function gapLimit(times) {
    var dts = [];
    for (var i = 1; i < times.length; i++) dts.push(times[i] - times[i - 1]);
    dts.sort(function (a, b) { return a - b; });
    var median = dts.length ? dts[Math.floor(dts.length / 2)] : 60000;
    return Math.max(median * 5, 1000);
  }
  function gapsOf(times, limit) {
    return times.map(function (t, i) { return i > 0 && t - times[i - 1] > limit; });
  }
  function segmentsOf(gaps) {
    var segs = [], start = 0;
    for (var i = 1; i <= gaps.length; i++) if (i === gaps.length || gaps[i]) { segs.push([start, i - 1]); start = i; }
    return gaps.length ? segs : [];
  }
  /** A level holds until the next sample: a step line. null values break the line. */
  function stepLine(xs, ys, gaps) {
    var d = '', open = false;
    for (var i = 0; i < xs.length; i++) {
      if (ys[i] === null) { open = false; continue; }
      if (!open || gaps[i]) d += 'M' + xs[i] + ' ' + ys[i];
      else d += 'H' + xs[i] + 'V' + ys[i];
      open = true;
    }
    return d;
  }
  function stepArea(xs, lo, hi, a, b) {
    var d = 'M' + xs[a] + ' ' + hi[a];
    for (var i = a + 1; i <= b; i++) d += 'H' + xs[i] + 'V' + hi[i];
    d += 'V' + lo[b];
    for (var j = b; j > a; j--) d += 'V' + lo[j - 1] + 'H' + xs[j - 1];
    return d + 'Z';
  }
  /** Sample times, plus "now" when the last sample is recent: the last level holds until now. */
  function extendToNow(times, t1) {
    var limit = gapLimit(times), gaps = gapsOf(times, limit), last = times[times.length - 1];
    if (t1 > last && t1 - last <= limit) return { times: times.concat([t1]), gaps: gaps.concat([false]) };
    return { times: times, gaps: gaps };
  }

  // Hover: a guide line and the figures of the nearest sample; kept across re-renders.
  var hovered = { key: null, clientX: 0 };
  function hover(box, key, f, times, lines) {
    var tip = el('div', { class: 'tip', hidden: true });
    box.appendChild(tip);
    var guide = sv('line', { class: 'guide', y1: f.m.t, y2: f.m.t + f.ph, visibility: 'hidden' });
    var pad = sv('rect', { x: f.m.l, y: f.m.t, width: f.pw, height: f.ph, fill: 'transparent' });
    f.svg.appendChild(guide);
    f.svg.appendChild(pad);
    function show(clientX) {
      var rect = f.svg.getBoundingClientRect();
      var t = f.t(clientX - rect.left);
      var best = 0;
      for (var i = 1; i < times.length; i++) if (Math.abs(times[i] - t) < Math.abs(times[best] - t)) best = i;
      var x = f.x(times[best]);
      guide.setAttribute('x1', x); guide.setAttribute('x2', x); guide.setAttribute('visibility', 'visible');
      tip.replaceChildren.apply(tip, lines(best).map(function (l) { return el('div', { text: l }); }));
      tip.hidden = false;
      var left = x + 12;
      if (left + tip.offsetWidth > box.clientWidth) left = x - tip.offsetWidth - 12;
      tip.style.left = Math.max(0, left) + 'px';
      tip.style.top = f.m.t + 'px';
    }
    pad.addEventListener('mousemove', function (ev) { hovered = { key: key, clientX: ev.clientX }; show(ev.clientX); });
    pad.addEventListener('mouseleave', function () { hovered = { key: null, clientX: 0 }; tip.hidden = true; guide.setAttribute('visibility', 'hidden'); });
    if (hovered.key === key) show(hovered.clientX);
  }
  function widthOf(box) { return Math.max(320, Math.floor(box.clientWidth || box.getBoundingClientRect().width || 640)); }

  // --- chart 1: nodes by state over time --------------------------------------------------------
  function drawNodes(d) {
    var box = $('chart-nodes');
    var samples = d.series.nodes.filter(function (s) { return isFinite(ms(s.at)); });
    box.setAttribute('data-points', String(samples.length));
    box.replaceChildren();
    if (!samples.length) { box.appendChild(el('p', { class: 'empty', text: 'No node samples yet: the node scaler records one per tick.' })); return; }
    var times = samples.map(function (s) { return ms(s.at); });
    var now = ms(d.now);
    var t0 = times[0], t1 = Math.max(times[times.length - 1], isFinite(now) ? now : 0);
    if (t1 === t0) t0 -= 600000;
    var peak = 0;
    samples.forEach(function (s) { peak = Math.max(peak, num(s.running) + num(s.starting) + num(s.draining), num(s.desired), num(s.minNodes)); });
    var scale = niceMax(peak, 4);
    var f = frame({ width: widthOf(box), height: 250, t0: t0, t1: t1, yMax: scale.max, yStep: scale.step, label: 'Nodes by state over time' });
    var ext = extendToNow(times, t1);
    var xs = ext.times.map(f.x);
    var pick = function (i) { return samples[Math.min(i, samples.length - 1)]; };
    var lo = xs.map(function () { return 0; });
    ['running', 'starting', 'draining'].forEach(function (state) {
      var hi = lo.map(function (v, i) { return v + num(pick(i)[state]); });
      var ylo = lo.map(f.y), yhi = hi.map(f.y);
      segmentsOf(ext.gaps).forEach(function (sg) { f.svg.appendChild(sv('path', { class: 'area area-' + state, d: stepArea(xs, ylo, yhi, sg[0], sg[1]) })); });
      lo = hi;
    });
    var line = function (key) { return xs.map(function (x, i) { var v = pick(i)[key]; return typeof v === 'number' ? f.y(v) : null; }); };
    f.svg.appendChild(sv('path', { class: 'line-min', d: stepLine(xs, line('minNodes'), ext.gaps) }));
    f.svg.appendChild(sv('path', { class: 'line-desired', d: stepLine(xs, line('desired'), ext.gaps) }));
    if (isFinite(now)) nowMarker(f, now);
    box.appendChild(f.svg);
    hover(box, 'nodes', f, times, function (i) {
      var s = samples[i];
      return [when(times[i], now), 'running ' + num(s.running) + ' · starting ' + num(s.starting) + ' · draining ' + num(s.draining),
        'stopped ' + num(s.stopped) + ' · desired ' + num(s.desired) + ' · minimum ' + num(s.minNodes)];
    });
  }
  function nowMarker(f, now) {
    var x = f.x(now);
    f.svg.appendChild(sv('line', { class: 'now-line', x1: x, x2: x, y1: f.m.t, y2: f.m.t + f.ph }));
  }

  // --- chart 2: per worker, queue depth and replicas over time ---------------------------------------
  function drawWorkers(d) {
    var box = $('chart-workers');
    box.replaceChildren();
    var byName = {}, order = [];
    d.workers.forEach(function (w) { if (!byName[w.name]) { byName[w.name] = []; order.push(w.name); } });
    d.series.workers.forEach(function (s) {
      if (!isFinite(ms(s.at))) return;
      if (!byName[s.name]) { byName[s.name] = []; order.push(s.name); }
      byName[s.name].push(s);
    });
    var drawn = 0;
    var all = d.series.workers.map(function (s) { return ms(s.at); }).filter(isFinite);
    var now = ms(d.now);
    var t0 = Math.min.apply(null, all.length ? all : [now - 3600000]);
    var t1 = Math.max.apply(null, all.concat(isFinite(now) ? [now] : []));
    if (t1 === t0) t0 -= 600000;
    if (!order.length) box.appendChild(el('p', { class: 'empty', text: 'The policy has no workers.' }));
    order.forEach(function (name) {
      var samples = byName[name];
      var info = d.workers.filter(function (w) { return w.name === name; })[0];
      var part = el('div', { class: 'worker-chart', 'data-worker': name });
      var title = el('div', { class: 'worker-title' }, [
        el('div', null, [el('b', { text: name }), info && info.deployment ? el('span', { class: 'muted mono', text: '  ' + info.namespace + '/' + info.deployment }) : null]),
        info ? el('div', { class: 'muted', text: plural(info.replicas, 'replica') + ' (desired ' + info.desired + ', ' + info.minReplicas + '–' + info.maxReplicas + ') · queue ' + info.queueDepth +
          (typeof info.oldestMessageAgeSeconds === 'number' ? ', oldest ' + span(info.oldestMessageAgeSeconds * 1000) : '') }) : null,
      ]);
      part.appendChild(title);
      box.appendChild(part);
      if (!samples.length) { part.appendChild(el('p', { class: 'empty', text: 'No samples yet.' })); return; }
      drawn += samples.length;
      var times = samples.map(function (s) { return ms(s.at); });
      var qs = niceMax(samples.reduce(function (a, s) { return Math.max(a, num(s.queueDepth)); }, 0), 3);
      // Scaled to what happened, not to the policy's maximum: 2 replicas of 40 would be a flat line.
      var rs = niceMax(samples.reduce(function (a, s) { return Math.max(a, num(s.replicas), num(s.desired)); }, 1), 3);
      var chart = el('div', { class: 'chart' });
      part.appendChild(chart);
      var f = frame({ width: widthOf(box), height: 150, t0: t0, t1: t1, yMax: qs.max, yStep: qs.step, rightMax: rs.max, rightStep: rs.step, label: 'Queue depth and replicas of ' + name });
      var ext = extendToNow(times, t1);
      var xs = ext.times.map(f.x);
      var pick = function (i) { return samples[Math.min(i, samples.length - 1)]; };
      var ylo = xs.map(function () { return f.y(0); });
      var yq = xs.map(function (x, i) { return f.y(num(pick(i).queueDepth)); });
      segmentsOf(ext.gaps).forEach(function (sg) { f.svg.appendChild(sv('path', { class: 'area area-queue', d: stepArea(xs, ylo, yq, sg[0], sg[1]) })); });
      f.svg.appendChild(sv('path', { class: 'line-wdesired', d: stepLine(xs, xs.map(function (x, i) { return f.yr(num(pick(i).desired)); }), ext.gaps) }));
      f.svg.appendChild(sv('path', { class: 'line-replicas', d: stepLine(xs, xs.map(function (x, i) { return f.yr(num(pick(i).replicas)); }), ext.gaps) }));
      if (isFinite(now)) nowMarker(f, now);
      chart.appendChild(f.svg);
      hover(chart, 'worker:' + name, f, times, function (i) {
        var s = samples[i];
        return [when(times[i], now), 'queue ' + num(s.queueDepth) + ' · replicas ' + num(s.replicas) + ' · desired ' + num(s.desired)];
      });
    });
    box.setAttribute('data-points', String(drawn));
  }

  // --- chart 3: workload pods per node --------------------------------------------------------------
  var STATE_LABEL = { running: 'running', starting: 'starting', draining: 'draining', stopped: 'stopped', 'not-ready': 'not ready' };
  function nodeTip(n) {
    var pods = num(n.workloadPods);
    return n.name + ' (pool ' + n.pool + '): ' + (STATE_LABEL[n.state] || n.state) + ', ' + pods + ' of ' + num(n.maxPods) + ' workload pods; memory ' +
      gib(num(n.memoryRequestedBytes)) + ' of ' + gib(num(n.memoryAllocatableBytes)) + ' requested (' + pct(num(n.memoryRequestedBytes), num(n.memoryAllocatableBytes)) +
      '), CPU ' + (num(n.cpuRequestedMilli) / 1000).toFixed(2) + ' of ' + (num(n.cpuAllocatableMilli) / 1000).toFixed(2) + ' cores (' + pct(num(n.cpuRequestedMilli), num(n.cpuAllocatableMilli)) + ')' +
      (n.protectedBy ? '; protected: ' + n.protectedBy : '');
  }
  function memShare(n) { return num(n.memoryAllocatableBytes) > 0 ? Math.min(1, num(n.memoryRequestedBytes) / num(n.memoryAllocatableBytes)) : 0; }
  function nodeGroup(n) {
    var g = sv('g', { class: 'node-row', 'data-node': n.name, 'data-state': n.state });
    g.appendChild(sv('title', { text: nodeTip(n) }));
    return g;
  }
  // A row per node, with its name, while they fit on a screen; a column per node beyond that.
  var ROWS_UP_TO = 20;
  function drawPods(d) {
    var box = $('chart-pods');
    var nodes = d.nodes;
    box.setAttribute('data-points', String(nodes.length));
    box.setAttribute('data-layout', nodes.length > ROWS_UP_TO ? 'columns' : 'rows');
    box.replaceChildren();
    if (!nodes.length) { box.appendChild(el('p', { class: 'empty', text: 'No nodes.' })); return; }
    box.appendChild(nodes.length > ROWS_UP_TO ? podColumns(nodes, widthOf(box)) : podRows(nodes, widthOf(box)));
  }
  function podRows(nodes, width) {
    var longest = nodes.reduce(function (a, n) { return Math.max(a, n.name.length); }, 0);
    var nameW = Math.min(260, 16 + longest * 7.2), stateW = 66, valueW = 190;
    var barX = nameW + stateW, barW = Math.max(80, width - barX - valueW);
    var scaleMax = nodes.reduce(function (a, n) { return Math.max(a, num(n.maxPods), num(n.workloadPods)); }, 1);
    var rowH = 24, poolH = 24, y = 4;
    var rows = [];
    var pool = null;
    nodes.forEach(function (n) {
      if (n.pool !== pool) { pool = n.pool; rows.push({ pool: pool, y: y }); y += poolH; }
      rows.push({ node: n, y: y });
      y += rowH;
    });
    var height = y + 6;
    var root = sv('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Workload pods per node' });
    var sx = function (v) { return r1(barX + v / scaleMax * barW); };
    rows.forEach(function (row) {
      if (row.pool !== undefined) {
        root.appendChild(sv('text', { class: 'pool-name', x: 0, y: row.y + 16, text: 'pool ' + (row.pool || '(none)') }));
        return;
      }
      var n = row.node, pods = num(n.workloadPods), maxPods = num(n.maxPods);
      var g = nodeGroup(n);
      var mid = row.y + rowH / 2;
      g.appendChild(sv('text', { class: 'node-name', x: 0, y: mid + 4, text: n.name }));
      g.appendChild(sv('text', { class: 'node-state', x: nameW, y: mid + 4, text: STATE_LABEL[n.state] || n.state }));
      g.appendChild(sv('rect', { class: 'track', x: barX, y: row.y + 4, width: r1(sx(maxPods) - barX), height: 11, rx: 2 }));
      g.appendChild(sv('rect', { class: 'bar bar-' + n.state, x: barX, y: row.y + 4, width: r1(Math.max(pods > 0 ? 2 : 0, sx(pods) - barX)), height: 11, rx: 2 }));
      g.appendChild(sv('line', { class: 'maxpods', x1: sx(maxPods), x2: sx(maxPods), y1: row.y + 2, y2: row.y + 17 }));
      g.appendChild(sv('rect', { class: 'mem', x: barX, y: row.y + 17, width: r1((sx(maxPods) - barX) * memShare(n)), height: 3 }));
      if (n.protectedBy) g.appendChild(sv('rect', { class: 'protected-outline', x: barX - 2, y: row.y + 1, width: r1(sx(maxPods) - barX + 4), height: 21, rx: 3 }));
      var value = sv('text', { class: 'node-value', x: barX + barW + 10, y: mid + 4 });
      value.appendChild(sv('tspan', { text: pods + '/' + maxPods }));
      value.appendChild(sv('tspan', { dx: 8, class: 'muted', text: 'mem ' + pct(num(n.memoryRequestedBytes), num(n.memoryAllocatableBytes)) }));
      if (n.protectedBy) value.appendChild(sv('tspan', { dx: 8, class: 'protected-text', text: 'protected' }));
      g.appendChild(value);
      root.appendChild(g);
    });
    return root;
  }
  function podColumns(nodes, width) {
    var pools = [];
    nodes.forEach(function (n) {
      var last = pools[pools.length - 1];
      if (!last || last.name !== n.pool) pools.push(last = { name: n.pool, nodes: [] });
      last.nodes.push(n);
    });
    pools.forEach(function (p) { p.label = (p.name || '(none)') + ' · ' + p.nodes.length; p.min = p.label.length * 7.5 + 6; });
    var m = { l: 40, r: 14, t: 16, b: 30 }, gap = 16, height = 234;
    var room = width - m.l - m.r - gap * (pools.length - 1);
    // A column per node; a pool of one or two nodes still gets room for its name.
    var slot = room / nodes.length;
    for (var pass = 0; pass < 3; pass++) {
      var fixed = 0, counted = 0;
      pools.forEach(function (p) { if (p.nodes.length * slot < p.min) fixed += p.min; else counted += p.nodes.length; });
      if (counted) slot = Math.max(4, (room - fixed) / counted);
    }
    pools.forEach(function (p) { p.width = Math.max(p.nodes.length * slot, p.min); });
    // Too many nodes for the width: the chart grows and the panel scrolls sideways.
    width = Math.max(width, Math.ceil(m.l + m.r + gap * (pools.length - 1) + pools.reduce(function (a, p) { return a + p.width; }, 0)));
    var bw = r1(Math.max(2, Math.min(18, slot * 0.6))), memW = slot >= 8 ? 2 : 0;
    var scale = niceMax(nodes.reduce(function (a, n) { return Math.max(a, num(n.maxPods), num(n.workloadPods)); }, 1), 3);
    var ph = height - m.t - m.b;
    var y = function (v) { return r1(m.t + ph - v / scale.max * ph); };
    var root = sv('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Workload pods per node' });
    for (var v = 0; v <= scale.max; v += scale.step) {
      root.appendChild(sv('line', { class: v === 0 ? 'baseline' : 'gridline', x1: m.l, x2: width - m.r, y1: y(v), y2: y(v) }));
      root.appendChild(sv('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', text: String(v) }));
    }
    var x = m.l;
    pools.forEach(function (p) {
      var x0 = x;
      x += (p.width - p.nodes.length * slot) / 2;
      p.nodes.forEach(function (n) {
        var pods = num(n.workloadPods), maxPods = num(n.maxPods);
        var g = nodeGroup(n);
        g.appendChild(sv('rect', { class: 'track', x: r1(x), y: y(maxPods), width: bw, height: r1(y(0) - y(maxPods)) }));
        g.appendChild(sv('rect', { class: 'bar bar-' + n.state, x: r1(x), y: y(pods), width: bw, height: r1(y(0) - y(pods)) }));
        g.appendChild(sv('line', { class: 'maxpods thin', x1: r1(x - 1), x2: r1(x + bw + 1), y1: y(maxPods), y2: y(maxPods) }));
        if (memW) g.appendChild(sv('rect', { class: 'mem', x: r1(x + bw + 1), y: r1(y(0) - (y(0) - y(maxPods)) * memShare(n)), width: memW, height: r1((y(0) - y(maxPods)) * memShare(n)) }));
        if (n.protectedBy) g.appendChild(sv('circle', { class: 'protected-dot', cx: r1(x + bw / 2), cy: r1(y(maxPods) - 6), r: 2.5 }));
        root.appendChild(g);
        x += slot;
      });
      root.appendChild(sv('text', { class: 'pool-name', x: r1(x0 + p.width / 2), y: height - 10, 'text-anchor': 'middle', text: p.label }));
      x = x0 + p.width + gap;
    });
    var scroller = el('div', { class: 'scroll-x' });
    scroller.appendChild(root);
    return scroller;
  }

  // --- tiles, plan, timeline, overrides -----------------------------------------------------------------
  function tile(id, label, value, sub, extra) {
    var classes = ['tile', 'tile-' + id];
    if (value === 0) classes.push('zero');
    if (extra) classes.push(extra);
    return el('div', { class: classes.join(' '), 'data-testid': 'tile-' + id }, [
      el('div', { class: 'value', text: value === undefined || value === null ? '—' : value }),
      el('div', { class: 'label', text: label }),
      sub ? el('div', { class: 'sub', text: sub }) : null,
    ]);
  }
  function drawTiles(d) {
    var c = d.counts;
    var bounds = [typeof c.minNodes === 'number' ? 'min ' + c.minNodes : null, typeof c.maxNodes === 'number' ? 'max ' + c.maxNodes : null].filter(Boolean).join(' · ');
    var desired = tile('desired', 'desired nodes' + (bounds ? ' · ' + bounds : ''), c.desired, c.why || (c.desired === undefined ? 'no node scaler in the policy' : ''));
    $('tiles').replaceChildren(
      tile('running', 'running', c.running),
      tile('starting', 'starting', c.starting),
      tile('draining', 'draining', c.draining),
      tile('stopped', 'stopped', c.stopped),
      tile('not-ready', 'not ready', c.notReady, null, c.notReady > 0 ? 'alert' : null),
      tile('pending', 'pods pending', d.pendingPods, null, d.pendingPods > 0 ? 'notice' : null),
      desired,
      tile('workers', 'workers', d.workers.length, d.workers.map(function (w) { return w.name + ' ' + w.replicas; }).join(', ')),
      tile('overrides', 'overrides', d.overrides.length, d.overrides.length ? 'in force' : 'none', d.overrides.length ? 'notice' : null)
    );
  }
  function planItem(p, type) {
    return el('li', { class: 'plan-item', 'data-testid': type === undefined ? 'skipped-entry' : 'would-do-entry' }, [
      el('div', { class: 'plan-head' }, [
        el('span', { class: 'chip', text: p.scaler }),
        type !== undefined ? el('b', { text: type }) : null,
        el('span', { class: 'mono', text: p.target }),
        el('span', { class: 'rule', text: p.rule }),
      ]),
      el('div', { class: 'plan-reason', text: p.reason }),
    ]);
  }
  function drawPlan(d) {
    var list = $('would-do');
    if (!d.wouldDo.length) list.replaceChildren(el('li', { class: 'empty', text: 'Nothing: every scaler is content with the cluster as it is.' }));
    else list.replaceChildren.apply(list, d.wouldDo.map(function (p) { return planItem(p, p.type); }));
    $('skipped-count').textContent = d.skipped.length ? 'Skipped or waiting (' + d.skipped.length + ')' : 'Nothing skipped';
    var skipped = $('skipped-list');
    skipped.replaceChildren.apply(skipped, d.skipped.map(function (s) { return planItem(s, undefined); }));
    var notes = $('notes');
    notes.replaceChildren.apply(notes, d.notes.map(function (n) { return el('li', { text: n }); }));
    $('notes-head').hidden = d.notes.length === 0;
  }
  var timelineLimit = 40;
  function drawTimeline(d) {
    var body = $('timeline');
    var now = ms(d.now);
    var shown = d.timeline.slice(0, timelineLimit);
    if (!shown.length) body.replaceChildren(el('tr', null, el('td', { colspan: 6, class: 'empty', text: 'No actions yet.' })));
    else body.replaceChildren.apply(body, shown.map(function (e) {
      var t = ms(e.at);
      return el('tr', { 'data-testid': 'timeline-entry', 'data-outcome': e.outcome }, [
        el('td', { class: 'when', title: isFinite(t) && isFinite(now) ? span(now - t) + ' ago' : null, text: when(t, now) }),
        el('td', null, el('span', { class: 'chip', text: e.scaler })),
        el('td', { class: 'action' }, [el('div', { text: e.type }), el('div', { class: 'rule', text: e.rule })]),
        el('td', { class: 'mono' }, el('div', { class: 'target', text: e.target })),
        el('td', null, el('span', { class: 'badge badge-' + e.outcome, text: e.outcome })),
        el('td', { class: 'reason' }, [el('div', { text: e.reason }), e.detail ? el('div', { class: 'detail' + (e.outcome === 'failed' ? ' bad' : ''), text: e.detail }) : null]),
      ]);
    }));
    $('timeline-count').textContent = d.timeline.length > shown.length ? 'newest ' + shown.length + ' of ' + d.timeline.length : plural(d.timeline.length, 'action');
    $('timeline-more').hidden = d.timeline.length <= shown.length;
  }
  function describeOverride(o) {
    if (o.mode === 'pause') return 'paused';
    if (o.mode === 'pin') return 'pinned at ' + o.count;
    if (typeof o.min === 'number' && typeof o.max === 'number') return 'bounds ' + o.min + '–' + o.max;
    return typeof o.min === 'number' ? 'at least ' + o.min : 'at most ' + o.max;
  }
  function drawOverrides(d) {
    var body = $('overrides');
    var now = ms(d.now);
    if (!d.overrides.length) { body.replaceChildren(el('tr', null, el('td', { colspan: 3, class: 'empty', text: 'None: every scaler follows the policy.' }))); return; }
    body.replaceChildren.apply(body, d.overrides.map(function (o) {
      var ends = ms(o.expiresAt);
      var button = el('button', { type: 'button', class: 'remove', text: 'Remove', 'aria-label': 'Remove override ' + o.id });
      button.addEventListener('click', function () { removeOverride(o.id, button); });
      return el('tr', { 'data-testid': 'override-row', 'data-override-id': o.id }, [
        el('td', { class: 'holds' }, [el('span', { class: 'chip', text: o.scaler }), o.worker ? el('span', { class: 'mono', text: ' ' + o.worker }) : null,
          el('div', { class: 'strong', text: describeOverride(o) }),
          el('div', { class: 'detail', text: 'until ' + when(ends, now) + (isFinite(ends) && isFinite(now) ? ' (' + span(ends - now) + ')' : '') })]),
        el('td', { class: 'reason' }, [el('div', { text: o.reason }),
          el('div', { class: 'detail', text: 'set ' + when(ms(o.createdAt), now) + (o.createdBy ? ' by ' + o.createdBy : '') })]),
        el('td', null, button),
      ]);
    }));
  }
  function fillSelect(select, values, labels) {
    var key = values.join('\n');
    if (select.getAttribute('data-values') === key) return;
    var keep = select.value;
    select.replaceChildren.apply(select, values.map(function (v, i) { return el('option', { value: v, text: labels ? labels[i] : v }); }));
    select.setAttribute('data-values', key);
    if (values.indexOf(keep) >= 0) select.value = keep;
  }
  function drawForm(d) {
    fillSelect($('f-scaler'), d.form.scalers);
    fillSelect($('f-worker'), [''].concat(d.form.workers), ['all workers'].concat(d.form.workers));
    syncForm();
  }
  function syncForm() {
    var mode = $('f-mode').value;
    $('w-worker').hidden = $('f-scaler').value !== 'workers';
    $('w-count').hidden = mode !== 'pin';
    $('w-min').hidden = mode !== 'bounds';
    $('w-max').hidden = mode !== 'bounds';
  }

  // --- loading -------------------------------------------------------------------------------------
  var data = null, lastText = null, lastOk = 0, lastError = null, inflight = false, again = false, pollTimer = 0;
  function render() {
    if (!data) return;
    var d = data;
    var zoneOk = useZone(d.timezone);
    $('source').textContent = d.source;
    var now = ms(d.now);
    $('now').textContent = isFinite(now) ? dayLabel(now) + ', ' + hhmmss(now) : d.now;
    $('tz').textContent = zoneOk ? d.timezone + (isFinite(now) ? ' (' + offsetName(now) + ')' : '') : 'UTC (unknown zone ' + d.timezone + ')';
    var parts = [drawTiles, drawNodes, drawWorkers, drawPods, drawPlan, drawTimeline, drawOverrides, drawForm];
    parts.forEach(function (draw) {
      try { draw(d); } catch (e) { lastError = 'could not show the data: ' + (e && e.message ? e.message : String(e)); }
    });
  }
  function indicator() {
    var box = $('last-updated');
    var every = refreshMs ? 'every ' + refreshMs / 1000 + ' s' : 'not refreshing';
    var age = lastOk ? span(Date.now() - lastOk) + ' ago' : 'never';
    if (lastError) {
      box.setAttribute('data-state', 'error');
      box.textContent = 'connection error: ' + lastError + ' · last data ' + age + (refreshMs ? ' · retrying' : '');
    } else if (!lastOk) {
      box.setAttribute('data-state', 'loading');
      box.textContent = 'loading…';
    } else if (refreshMs && Date.now() - lastOk > Math.max(10000, 3 * refreshMs)) {
      box.setAttribute('data-state', 'stale');
      box.textContent = 'updated ' + age + ' (waiting for an answer)';
    } else {
      box.setAttribute('data-state', 'ok');
      box.textContent = 'updated ' + (Date.now() - lastOk < 1500 ? 'just now' : age) + ' · ' + every;
    }
  }
  function httpProblem(status, body) {
    if (status === 401 || status === 403) return 'HTTP ' + status + ': the function key is missing or wrong (open the page with ?code=…)';
    var text = body && typeof body.error === 'string' ? body.error : '';
    return 'HTTP ' + status + (text ? ': ' + text : '');
  }
  function readJson(res) { return res.text().then(function (t) { try { return JSON.parse(t); } catch (e) { return null; } }); }
  function load() {
    if (inflight) { again = true; return; }
    inflight = true;
    clearTimeout(pollTimer);
    var ctl = new AbortController();
    var timeout = setTimeout(function () { ctl.abort(); }, 15000);
    fetch(api('dashboard/data'), { headers: { accept: 'application/json' }, cache: 'no-store', signal: ctl.signal })
      .then(function (res) {
        return res.text().then(function (text) {
          if (!res.ok) { var body = null; try { body = JSON.parse(text); } catch (e) { body = null; } throw new Error(httpProblem(res.status, body)); }
          var parsed = JSON.parse(text);
          lastOk = Date.now();
          lastError = null;
          if (text !== lastText) { lastText = text; data = parsed; render(); }
        });
      })
      .catch(function (e) { lastError = e && e.name === 'AbortError' ? 'no answer within 15 s' : e && e.message ? e.message : String(e); })
      .then(function () {
        clearTimeout(timeout);
        inflight = false;
        indicator();
        if (again) { again = false; load(); return; }
        if (refreshMs) pollTimer = setTimeout(load, refreshMs);
      });
  }

  // --- overrides: set and remove ---------------------------------------------------------------------
  function showProblems(problems) {
    var list = $('override-problems');
    list.replaceChildren.apply(list, problems.map(function (p) { return el('li', { text: p }); }));
    var bad = {};
    problems.forEach(function (p) { p.split(':')[0].split('/').forEach(function (field) { bad[field.trim()] = true; }); });
    ['scaler', 'worker', 'mode', 'count', 'min', 'max', 'for', 'reason'].forEach(function (field) {
      var input = $('f-' + field);
      if (bad[field] || (field === 'for' && bad.expiresAt)) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    });
  }
  function numberOrText(v) { var t = v.trim(); return t === '' ? undefined : isFinite(Number(t)) ? Number(t) : t; }
  function submitOverride(ev) {
    ev.preventDefault();
    var scaler = $('f-scaler').value, mode = $('f-mode').value;
    var body = { scaler: scaler };
    if (scaler === 'workers' && $('f-worker').value) body.worker = $('f-worker').value;
    body.mode = mode;
    if (mode === 'pin') body.count = numberOrText($('f-count').value);
    if (mode === 'bounds') { body.min = numberOrText($('f-min').value); body.max = numberOrText($('f-max').value); }
    body.for = $('f-for').value.trim();
    body.reason = $('f-reason').value.trim();
    $('override-status').textContent = '';
    if (!body.reason) { showProblems(['reason: required, a few words on why (shown in every decision while the override holds)']); return; }
    showProblems([]);
    var button = $('f-submit');
    button.disabled = true;
    fetch(api('overrides'), { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return readJson(res).then(function (answer) {
          if (res.status === 201) {
            $('f-reason').value = '';
            var o = answer && answer.override;
            $('override-status').textContent = o ? 'Override set: ' + o.scaler + ' ' + describeOverride(o) + ' until ' + when(ms(o.expiresAt), ms(data ? data.now : o.createdAt)) + '.' : 'Override set.';
            load();
          } else if (res.status === 400 && answer && Array.isArray(answer.problems)) {
            showProblems(answer.problems.map(String));
          } else {
            showProblems([httpProblem(res.status, answer)]);
          }
        });
      })
      .catch(function (e) { showProblems(['connection: ' + (e && e.message ? e.message : String(e))]); })
      .then(function () { button.disabled = false; });
  }
  function removeOverride(id, button) {
    button.disabled = true;
    $('overrides-message').textContent = '';
    fetch(api('overrides/' + encodeURIComponent(id)), { method: 'DELETE', headers: { accept: 'application/json' } })
      .then(function (res) {
        return readJson(res).then(function (answer) {
          if (!res.ok && res.status !== 404) $('overrides-message').textContent = 'Could not remove ' + id + ': ' + httpProblem(res.status, answer);
          load();
        });
      })
      .catch(function (e) { $('overrides-message').textContent = 'Could not remove ' + id + ': ' + (e && e.message ? e.message : String(e)); })
      .then(function () { button.disabled = false; });
  }

  $('override-form').addEventListener('submit', submitOverride);
  $('f-scaler').addEventListener('change', syncForm);
  $('f-mode').addEventListener('change', syncForm);
  $('timeline-more').addEventListener('click', function () { timelineLimit = Infinity; if (data) drawTimeline(data); });
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { if (data) { drawNodes(data); drawWorkers(data); drawPods(data); } }, 150);
  });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) load(); });
  setInterval(indicator, 1000);
  syncForm();
  load();
})();
`;

const BODY = `
<header class="top">
  <div class="brand"><h1>graceful-scaler</h1><span id="source" data-testid="source"></span></div>
  <div class="clock"><span id="now" data-testid="now">—</span><span id="tz"></span></div>
  <div id="last-updated" data-testid="last-updated" data-state="loading" role="status" aria-live="polite">loading…</div>
</header>
<main>
  <section class="tiles" id="tiles" data-testid="tiles" aria-label="Node counts"></section>
  <div class="cols">
    <div class="col">
      <section class="panel">
        <div class="panel-head"><h2>Nodes over time</h2>
          <div class="legend"><span><i class="sw sw-running"></i>running</span><span><i class="sw sw-starting"></i>starting</span><span><i class="sw sw-draining"></i>draining</span><span><i class="sw line sw-desired"></i>desired</span><span><i class="sw dash sw-min"></i>minimum</span></div>
        </div>
        <div class="chart" id="chart-nodes" data-testid="chart-nodes" data-points="0"></div>
      </section>
      <section class="panel">
        <div class="panel-head"><h2>Workload pods per node</h2>
          <div class="legend"><span><i class="sw sw-running"></i>running</span><span><i class="sw sw-starting"></i>starting</span><span><i class="sw sw-draining"></i>draining</span><span><i class="sw sw-stopped"></i>stopped</span><span><i class="sw sw-not-ready"></i>not ready</span><span><i class="sw sw-track"></i>up to max pods</span><span><i class="sw sw-mem"></i>memory requested</span><span><i class="sw sw-protected"></i><i class="sw sw-dot"></i>protected</span></div>
        </div>
        <div class="chart" id="chart-pods" data-testid="chart-pods" data-points="0"></div>
      </section>
      <section class="panel">
        <div class="panel-head"><h2>Workers</h2>
          <div class="legend"><span><i class="sw sw-queue"></i>queue depth (left)</span><span><i class="sw line sw-replicas"></i>replicas (right)</span><span><i class="sw dash sw-wdesired"></i>desired</span></div>
        </div>
        <div id="chart-workers" data-testid="chart-workers" data-points="0"></div>
      </section>
    </div>
    <div class="col">
      <section class="panel">
        <h2>Would do now</h2>
        <ul class="plain" id="would-do" data-testid="would-do"></ul>
        <details id="skipped" data-testid="skipped"><summary id="skipped-count">Nothing skipped</summary><ul class="plain" id="skipped-list"></ul></details>
        <h3 id="notes-head" hidden>Notes</h3>
        <ul class="plain notes" id="notes" data-testid="notes"></ul>
      </section>
      <section class="panel">
        <h2>Overrides</h2>
        <table><thead><tr><th>Holds</th><th>Reason</th><th></th></tr></thead><tbody id="overrides" data-testid="overrides"></tbody></table>
        <p id="overrides-message" role="alert"></p>
        <form class="override" id="override-form" data-testid="override-form" novalidate>
          <label>Scaler<select id="f-scaler" name="scaler"></select></label>
          <label id="w-worker">Worker<select id="f-worker" name="worker"></select></label>
          <label>Mode<select id="f-mode" name="mode"><option value="pause">pause</option><option value="pin">pin</option><option value="bounds">bounds</option></select></label>
          <label id="w-count">Count<input id="f-count" name="count" type="number" min="0" step="1" inputmode="numeric"></label>
          <label id="w-min">Min<input id="f-min" name="min" type="number" min="0" step="1" inputmode="numeric"></label>
          <label id="w-max">Max<input id="f-max" name="max" type="number" min="0" step="1" inputmode="numeric"></label>
          <label>For<input id="f-for" name="for" type="text" value="2h" autocomplete="off" placeholder="30m, 2h, 3d"></label>
          <label class="span3">Reason<input id="f-reason" name="reason" type="text" required maxlength="500" autocomplete="off" placeholder="why, for the people reading the decisions"></label>
          <ul class="problems" id="override-problems" data-testid="override-problems" role="alert"></ul>
          <div class="form-foot"><button type="submit" class="primary" id="f-submit">Set override</button>
            <span class="hint">pause: the scaler does nothing · pin: holds exactly the count · bounds: narrows min and max</span>
            <span id="override-status" data-testid="override-status" role="status"></span></div>
        </form>
      </section>
    </div>
  </div>
  <section class="panel wide">
    <div class="panel-head"><h2>Timeline</h2><span class="muted" id="timeline-count"></span></div>
    <table><thead><tr><th>Time</th><th>Scaler</th><th>Action</th><th>Target</th><th>Outcome</th><th>Reason</th></tr></thead><tbody id="timeline" data-testid="timeline"></tbody></table>
    <button type="button" class="more" id="timeline-more" hidden>Show all</button>
  </section>
</main>
`;

const scriptHash = createHash('sha256').update(SCRIPT, 'utf8').digest('base64');

/**
 * Only this script may run (no inline handlers, nothing from elsewhere), and it may only call back
 * to where the page came from. The page carries it in a meta tag; a server may send it as a header too.
 */
export const DASHBOARD_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${scriptHash}'`,
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${DASHBOARD_PAGE_CSP}">
<meta name="referrer" content="no-referrer">
<title>graceful-scaler · status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>${BODY}<script>${SCRIPT}</script>
</body>
</html>
`;

/** The status page, the same for every request: all data comes from `dashboard/data`. */
export function dashboardPage(): string {
  return PAGE;
}
