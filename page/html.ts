// The operator's status page: one self-contained HTML document (inline CSS, inline script; the time
// charts drawn by uPlot, bundled into the script; the pods per node as inline SVG), served at
// /api/dashboard. Its script (page/client/, bundled by
// scripts/build-page.mjs) only renders the JSON of page/model.ts, fetched from `dashboard/data` next
// to it, and sets or removes overrides through `overrides`. Nothing is loaded from elsewhere: the page
// must work in a locked-down network, and a Content-Security-Policy with the script's hash says so to
// the browser too, so even a rendering bug could not run markup someone typed into an override's reason.

import { script, sha256, style as chartStyle } from './generated/asset';
import { STYLE } from './style';

const BODY = `
<header class="top">
  <div class="brand"><h1>graceful-scaler</h1><span id="source" data-testid="source"></span></div>
  <div class="clock"><span id="now" data-testid="now">—</span><span id="tz"></span><span id="holiday" data-testid="holiday" hidden></span></div>
  <div id="last-updated" data-testid="last-updated" data-state="loading" role="status" aria-live="polite">loading…</div>
</header>
<main>
  <section id="banners" data-testid="banners" aria-label="Scaler modes and refusals"></section>
  <section class="tiles" id="tiles" data-testid="tiles" aria-label="Node counts and cost"></section>
  <div class="cols">
    <div class="col">
      <section class="panel">
        <div class="panel-head"><h2>Nodes over time</h2><span class="hint">drag across a chart to zoom in on a time span · double-click to zoom out</span></div>
        <div class="chart" id="chart-nodes" data-testid="chart-nodes" data-points="0"></div>
      </section>
      <section class="panel">
        <div class="panel-head"><h2>Workload pods per node</h2>
          <div class="legend"><span><i class="sw sw-running"></i>running</span><span><i class="sw sw-starting"></i>starting</span><span><i class="sw sw-draining"></i>draining</span><span><i class="sw sw-stopped"></i>stopped</span><span><i class="sw sw-not-ready"></i>not ready</span><span><i class="sw sw-track"></i>up to max pods</span><span><i class="sw sw-mem"></i>memory requested</span><span><i class="sw sw-protected"></i><i class="sw sw-dot"></i>protected</span></div>
        </div>
        <div class="chart" id="chart-pods" data-testid="chart-pods" data-points="0"></div>
      </section>
      <section class="panel">
        <div class="panel-head"><h2>Workers</h2><span class="hint">queue depth on the left axis, replicas on the right</span></div>
        <div id="chart-workers" data-testid="chart-workers" data-points="0"></div>
      </section>
    </div>
    <div class="col">
      <section class="panel">
        <h2>Would do now</h2>
        <ul class="plain headlines" id="headlines" data-testid="headlines" aria-label="Each scaler: desired against actual"></ul>
        <h3>Planned actions</h3>
        <ul class="plain" id="would-do" data-testid="would-do"></ul>
        <details id="skipped" data-testid="skipped"><summary id="skipped-count">Nothing skipped</summary><ul class="plain" id="skipped-list"></ul></details>
        <h3 id="notes-head" hidden>Notes</h3>
        <ul class="plain notes" id="notes" data-testid="notes"></ul>
      </section>
      <section class="panel">
        <h2>Overrides</h2>
        <table><thead><tr><th>Holds</th><th>Reason</th><th></th></tr></thead><tbody id="overrides" data-testid="overrides"></tbody></table>
        <p id="overrides-message" role="alert"></p>
        <details id="ended-overrides-box"><summary id="ended-overrides-count">No ended overrides</summary>
          <table><thead><tr><th>Held</th><th>Set</th><th>Ended</th></tr></thead><tbody id="ended-overrides" data-testid="ended-overrides"></tbody></table>
        </details>
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
    <div class="panel-head"><h2>Timeline</h2>
      <div class="filters" id="timeline-filters" data-testid="timeline-filters">
        <label>Scaler <select id="tl-scaler" data-testid="tl-scaler"><option value="">all</option></select></label>
        <label>Action <select id="tl-type" data-testid="tl-type"><option value="">all</option></select></label>
        <label>Outcome <select id="tl-outcome" data-testid="tl-outcome"><option value="">all</option></select></label>
      </div>
      <span class="muted" id="timeline-count" data-testid="timeline-count"></span></div>
    <table><thead><tr><th>Time</th><th>Scaler</th><th>Action</th><th>Target</th><th>Outcome</th><th>Reason</th></tr></thead><tbody id="timeline" data-testid="timeline"></tbody></table>
    <button type="button" class="more" id="timeline-more" hidden>Show all</button>
  </section>
  <section class="panel wide" id="audit" data-testid="audit" aria-labelledby="audit-head">
    <div class="panel-head"><h2 id="audit-head">Drain audit</h2>
      <span id="audit-status" data-testid="audit-status" data-state="loading" role="status" aria-live="polite">loading…</span>
      <button type="button" id="audit-run" data-testid="audit-run">Run the audit again</button></div>
    <p class="hint">Which workloads a drain would hurt, why, what each disrupter would do, and the fix (docs/audit.md). Read from the cluster when the page opens and on request.</p>
    <div class="audit-counts" id="audit-counts" data-testid="audit-counts"></div>
    <ul class="plain" id="audit-workloads" data-testid="audit-workloads"></ul>
    <button type="button" class="more" id="audit-more" hidden>Show all</button>
  </section>
</main>
`;

/**
 * Only this script may run (no inline handlers, nothing from elsewhere), and it may only call back
 * to where the page came from. The page carries it in a meta tag; a server may send it as a header too.
 */
export const DASHBOARD_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${sha256}'`,
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
<style>${chartStyle}
${STYLE}</style>
</head>
<body>${BODY}<script>${script}</script>
</body>
</html>
`;

/** The status page, the same for every request: all data comes from `dashboard/data`. */
export function dashboardPage(): string {
  return PAGE;
}
