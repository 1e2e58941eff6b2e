// Draws one document: the header's source and clock, then every part. A part that fails to draw
// leaves the others shown, and says so in the header.

import type { DashboardData } from '../model';
import { drawBanners } from './banners';
import { $ } from './dom';
import { messageOf } from './format';
import { drawNodes } from './nodes-chart';
import { drawForm } from './override-form';
import { drawEndedOverrides, drawOverrides } from './overrides';
import { drawPlan } from './plan';
import { drawPods } from './pods-chart';
import { dayLabel, hhmmss, ms, offsetName, useZone } from './time';
import { drawTiles } from './tiles';
import { drawTimeline } from './timeline';
import { drawWorkers } from './workers-chart';

const PARTS = [
  drawBanners,
  drawTiles,
  drawNodes,
  drawWorkers,
  drawPods,
  drawPlan,
  drawTimeline,
  drawOverrides,
  drawEndedOverrides,
  drawForm,
];

export function render(d: DashboardData): string | null {
  let problem: string | null = null;
  const zoneOk = useZone(d.timezone);
  $('source').textContent = d.source;
  const now = ms(d.now);
  $('now').textContent = isFinite(now) ? dayLabel(now) + ', ' + hhmmss(now) : d.now;
  $('tz').textContent = zoneOk ? d.timezone + (isFinite(now) ? ' (' + offsetName(now) + ')' : '') : 'UTC (unknown zone ' + d.timezone + ')';
  const holiday = $('holiday');
  holiday.hidden = !d.holiday;
  holiday.textContent = d.holiday
    ? 'holiday ' + d.holiday.date + (d.holiday.name ? ' ' + d.holiday.name : '') + ': schedules count it as a Sunday'
    : '';
  for (const draw of PARTS) {
    try {
      draw(d);
    } catch (e) {
      problem = 'could not show the data: ' + messageOf(e);
    }
  }
  return problem;
}
