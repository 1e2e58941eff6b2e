// Chart 3: workload pods per node against its pod capacity, with the memory requested, grouped by pool.

import type { DashboardData, DashboardNode } from '../model';
import { niceMax, widthOf } from './chart-frame';
import { $, el, sv } from './dom';
import { gib, num, pct, r1 } from './format';

const STATE_LABEL: Record<string, string> = {
  running: 'running',
  starting: 'starting',
  draining: 'draining',
  stopped: 'stopped',
  'not-ready': 'not ready',
};

function stateLabel(n: DashboardNode): string {
  return STATE_LABEL[n.state] || n.state;
}

function nodeTip(n: DashboardNode): string {
  const pods = num(n.workloadPods);
  return (
    n.name +
    ' (pool ' +
    n.pool +
    '): ' +
    stateLabel(n) +
    ', ' +
    pods +
    ' of ' +
    num(n.maxPods) +
    ' workload pods; memory ' +
    gib(num(n.memoryRequestedBytes)) +
    ' of ' +
    gib(num(n.memoryAllocatableBytes)) +
    ' requested (' +
    pct(num(n.memoryRequestedBytes), num(n.memoryAllocatableBytes)) +
    '), CPU ' +
    (num(n.cpuRequestedMilli) / 1000).toFixed(2) +
    ' of ' +
    (num(n.cpuAllocatableMilli) / 1000).toFixed(2) +
    ' cores (' +
    pct(num(n.cpuRequestedMilli), num(n.cpuAllocatableMilli)) +
    ')' +
    (n.protectedBy ? '; protected: ' + n.protectedBy : '')
  );
}

function memShare(n: DashboardNode): number {
  return num(n.memoryAllocatableBytes) > 0 ? Math.min(1, num(n.memoryRequestedBytes) / num(n.memoryAllocatableBytes)) : 0;
}

function nodeGroup(n: DashboardNode): SVGGElement {
  const g = sv('g', { class: 'node-row', 'data-node': n.name, 'data-state': n.state });
  g.appendChild(sv('title', { text: nodeTip(n) }));
  return g;
}

// A row per node, with its name, while they fit on a screen; a column per node beyond that.
const ROWS_UP_TO = 20;

export function drawPods(d: DashboardData): void {
  const box = $('chart-pods');
  const nodes = d.nodes;
  box.setAttribute('data-points', String(nodes.length));
  box.setAttribute('data-layout', nodes.length > ROWS_UP_TO ? 'columns' : 'rows');
  box.replaceChildren();
  if (!nodes.length) {
    box.appendChild(el('p', { class: 'empty', text: 'No nodes.' }));
    return;
  }
  box.appendChild(nodes.length > ROWS_UP_TO ? podColumns(nodes, widthOf(box)) : podRows(nodes, widthOf(box)));
}

type Row = { pool: string; y: number } | { node: DashboardNode; y: number };

function podRows(nodes: readonly DashboardNode[], width: number): SVGSVGElement {
  const longest = nodes.reduce((a, n) => Math.max(a, n.name.length), 0);
  const nameW = Math.min(260, 16 + longest * 7.2);
  const stateW = 80;
  const valueW = 190;
  const barX = nameW + stateW;
  const barW = Math.max(80, width - barX - valueW);
  const scaleMax = nodes.reduce((a, n) => Math.max(a, num(n.maxPods), num(n.workloadPods)), 1);
  const rowH = 24;
  const poolH = 24;
  let y = 4;
  const rows: Row[] = [];
  let pool: string | null = null;
  for (const n of nodes) {
    if (n.pool !== pool) {
      pool = n.pool;
      rows.push({ pool, y });
      y += poolH;
    }
    rows.push({ node: n, y });
    y += rowH;
  }
  const height = y + 6;
  const root = sv('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Workload pods per node' });
  const sx = (v: number) => r1(barX + (v / scaleMax) * barW);
  for (const row of rows) {
    if ('pool' in row) {
      root.appendChild(sv('text', { class: 'pool-name', x: 0, y: row.y + 16, text: 'pool ' + (row.pool || '(none)') }));
      continue;
    }
    const n = row.node;
    const pods = num(n.workloadPods);
    const maxPods = num(n.maxPods);
    const g = nodeGroup(n);
    const mid = row.y + rowH / 2;
    g.appendChild(sv('text', { class: 'node-name', x: 0, y: mid + 4, text: n.name }));
    // The state's colour beside its name: a stopped or idle node has no bar to show it.
    g.appendChild(sv('rect', { class: 'state-mark state-mark-' + n.state, x: nameW, y: mid - 4, width: 8, height: 8, rx: 2 }));
    g.appendChild(sv('text', { class: 'node-state', x: nameW + 12, y: mid + 4, text: stateLabel(n) }));
    g.appendChild(sv('rect', { class: 'track', x: barX, y: row.y + 4, width: r1(sx(maxPods) - barX), height: 11, rx: 2 }));
    g.appendChild(
      sv('rect', {
        class: 'bar bar-' + n.state,
        x: barX,
        y: row.y + 4,
        width: r1(Math.max(pods > 0 ? 2 : 0, sx(pods) - barX)),
        height: 11,
        rx: 2,
      }),
    );
    g.appendChild(sv('line', { class: 'maxpods', x1: sx(maxPods), x2: sx(maxPods), y1: row.y + 2, y2: row.y + 17 }));
    g.appendChild(sv('rect', { class: 'mem', x: barX, y: row.y + 17, width: r1((sx(maxPods) - barX) * memShare(n)), height: 3 }));
    if (n.protectedBy)
      g.appendChild(
        sv('rect', { class: 'protected-outline', x: barX - 2, y: row.y + 1, width: r1(sx(maxPods) - barX + 4), height: 21, rx: 3 }),
      );
    const value = sv('text', { class: 'node-value', x: barX + barW + 10, y: mid + 4 });
    value.appendChild(sv('tspan', { text: pods + '/' + maxPods }));
    value.appendChild(
      sv('tspan', { dx: 8, class: 'muted', text: 'mem ' + pct(num(n.memoryRequestedBytes), num(n.memoryAllocatableBytes)) }),
    );
    if (n.protectedBy) value.appendChild(sv('tspan', { dx: 8, class: 'protected-text', text: 'protected' }));
    g.appendChild(value);
    root.appendChild(g);
  }
  return root;
}

interface PoolColumns {
  name: string;
  nodes: DashboardNode[];
  label: string;
  /** The least width that shows the pool's label. */
  min: number;
  width: number;
}

function podColumns(nodes: readonly DashboardNode[], width: number): HTMLDivElement {
  const grouped: { name: string; nodes: DashboardNode[] }[] = [];
  for (const n of nodes) {
    let last = grouped[grouped.length - 1];
    if (!last || last.name !== n.pool) grouped.push((last = { name: n.pool, nodes: [] }));
    last.nodes.push(n);
  }
  const pools: PoolColumns[] = grouped.map((p) => {
    const label = (p.name || '(none)') + ' · ' + p.nodes.length;
    return { ...p, label, min: label.length * 7.5 + 6, width: 0 };
  });
  const m = { l: 40, r: 14, t: 16, b: 30 };
  const gap = 16;
  const height = 234;
  const room = width - m.l - m.r - gap * (pools.length - 1);
  // A column per node; a pool of one or two nodes still gets room for its name.
  let slot = room / nodes.length;
  for (let pass = 0; pass < 3; pass++) {
    let fixed = 0;
    let counted = 0;
    for (const p of pools) {
      if (p.nodes.length * slot < p.min) fixed += p.min;
      else counted += p.nodes.length;
    }
    if (counted) slot = Math.max(4, (room - fixed) / counted);
  }
  for (const p of pools) p.width = Math.max(p.nodes.length * slot, p.min);
  // Too many nodes for the width: the chart grows and the panel scrolls sideways.
  width = Math.max(width, Math.ceil(m.l + m.r + gap * (pools.length - 1) + pools.reduce((a, p) => a + p.width, 0)));
  // A pool given more room than its nodes need (for its label) widens their bars: a system pool of one
  // node beside sixty user nodes is still seen.
  const barOf = (ps: number) => ({ bw: r1(Math.max(2, Math.min(18, ps * 0.6))), memW: ps >= 8 ? 2 : 0 });
  const scale = niceMax(
    nodes.reduce((a, n) => Math.max(a, num(n.maxPods), num(n.workloadPods)), 1),
    3,
  );
  const ph = height - m.t - m.b;
  const y = (v: number) => r1(m.t + ph - (v / scale.max) * ph);
  const root = sv('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Workload pods per node' });
  for (let v = 0; v <= scale.max; v += scale.step) {
    root.appendChild(sv('line', { class: v === 0 ? 'baseline' : 'gridline', x1: m.l, x2: width - m.r, y1: y(v), y2: y(v) }));
    root.appendChild(sv('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end', text: String(v) }));
  }
  let x = m.l;
  for (const p of pools) {
    const x0 = x;
    const ps = Math.min(p.width / p.nodes.length, Math.max(slot, 24));
    const { bw, memW } = barOf(ps);
    x += (p.width - p.nodes.length * ps) / 2;
    for (const n of p.nodes) {
      const pods = num(n.workloadPods);
      const maxPods = num(n.maxPods);
      const g = nodeGroup(n);
      g.appendChild(sv('rect', { class: 'track', x: r1(x), y: y(maxPods), width: bw, height: r1(y(0) - y(maxPods)) }));
      g.appendChild(sv('rect', { class: 'bar bar-' + n.state, x: r1(x), y: y(pods), width: bw, height: r1(y(0) - y(pods)) }));
      // Under the baseline, every node's state in its colour, bar or no bar.
      g.appendChild(sv('rect', { class: 'state-mark state-mark-' + n.state, x: r1(x), y: r1(y(0) + 2), width: bw, height: 5 }));
      g.appendChild(sv('line', { class: 'maxpods thin', x1: r1(x - 1), x2: r1(x + bw + 1), y1: y(maxPods), y2: y(maxPods) }));
      if (memW)
        g.appendChild(
          sv('rect', {
            class: 'mem',
            x: r1(x + bw + 1),
            y: r1(y(0) - (y(0) - y(maxPods)) * memShare(n)),
            width: memW,
            height: r1((y(0) - y(maxPods)) * memShare(n)),
          }),
        );
      if (n.protectedBy) g.appendChild(sv('circle', { class: 'protected-dot', cx: r1(x + bw / 2), cy: r1(y(maxPods) - 6), r: 2.5 }));
      root.appendChild(g);
      x += ps;
    }
    root.appendChild(sv('text', { class: 'pool-name', x: r1(x0 + p.width / 2), y: height - 10, 'text-anchor': 'middle', text: p.label }));
    x = x0 + p.width + gap;
  }
  const scroller = el('div', { class: 'scroll-x' });
  scroller.appendChild(root);
  return scroller;
}
