// The status page's script (bundled by scripts/build-page.mjs into the one script page/html.ts
// inlines): it renders the JSON of page/model.ts, fetched from `dashboard/data` next to the page,
// sets or removes overrides through `overrides`, and shows the drain audit from `audit`.

import { startAudit } from './audit';
import { $ } from './dom';
import { drawNodes } from './nodes-chart';
import { submitOverride, syncForm } from './override-form';
import { drawPods } from './pods-chart';
import { latest, load, startPolling } from './poll';
import { render } from './render';
import { drawPlan } from './plan';
import { drawTimeline, showAllTimeline } from './timeline';
import { drawWorkers } from './workers-chart';

$('override-form').addEventListener('submit', (ev) => void submitOverride(ev));
$('f-scaler').addEventListener('change', syncForm);
$('f-mode').addEventListener('change', syncForm);
$('timeline-more').addEventListener('click', () => {
  showAllTimeline();
  const d = latest();
  if (d) drawTimeline(d);
});
for (const id of ['tl-scaler', 'tl-type', 'tl-outcome'])
  $(id).addEventListener('change', () => {
    const d = latest();
    if (d) drawTimeline(d);
  });
// Charts fit their boxes: drawn again once the window has settled on a new size.
let resizeTimer = 0;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    const d = latest();
    if (d) {
      drawNodes(d);
      drawWorkers(d);
      drawPods(d);
    }
  }, 150);
});
// The time charts paint on a canvas with the palette's colours: drawn again when the scheme changes.
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  const d = latest();
  if (d) {
    drawNodes(d);
    drawWorkers(d);
  }
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void load();
});
syncForm();
startPolling(render);
// The reasons on screen link to the audit's findings once it has loaded (and again after a new run).
startAudit(() => {
  const d = latest();
  if (d) {
    drawPlan(d);
    drawTimeline(d);
  }
});
