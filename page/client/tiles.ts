// The tiles at the top: nodes by state, pending pods, the desired count and why, workers, overrides,
// and the cost of the VMs (cost-tile.ts).

import type { DashboardData } from '../model';
import { costTile } from './cost-tile';
import { $, el } from './dom';

function tile(id: string, label: string, value: number | undefined, sub?: string | null, extra?: string | null): HTMLDivElement {
  const classes = ['tile', 'tile-' + id];
  if (value === 0) classes.push('zero');
  if (extra) classes.push(extra);
  return el('div', { class: classes.join(' '), 'data-testid': 'tile-' + id }, [
    el('div', { class: 'value', text: value === undefined || value === null ? '—' : value }),
    el('div', { class: 'label', text: label }),
    sub ? el('div', { class: 'sub', text: sub }) : null,
  ]);
}

export function drawTiles(d: DashboardData): void {
  const c = d.counts;
  const bounds = [typeof c.minNodes === 'number' ? 'min ' + c.minNodes : null, typeof c.maxNodes === 'number' ? 'max ' + c.maxNodes : null]
    .filter(Boolean)
    .join(' · ');
  const desired = tile(
    'desired',
    'desired nodes' + (bounds ? ' · ' + bounds : ''),
    c.desired,
    c.why || (c.desired === undefined ? 'no node scaler in the policy' : ''),
  );
  $('tiles').replaceChildren(
    tile('running', 'running', c.running),
    tile('starting', 'starting', c.starting),
    tile('draining', 'draining', c.draining),
    tile('stopped', 'stopped', c.stopped),
    tile('not-ready', 'not ready', c.notReady, null, c.notReady > 0 ? 'alert' : null),
    tile('pending', 'pods pending', d.pendingPods, null, d.pendingPods > 0 ? 'notice' : null),
    desired,
    tile('workers', 'workers', d.workers.length, d.workers.map((w) => w.name + ' ' + w.replicas).join(', ')),
    tile('overrides', 'overrides', d.overrides.length, d.overrides.length ? 'in force' : 'none', d.overrides.length ? 'notice' : null),
    // A document from a version without cost figures leaves the tile out rather than breaking the row.
    ...(d.cost ? [costTile(d.cost)] : []),
  );
}
