// Hover on a time chart: a guide line and the figures of the nearest sample; kept across re-renders,
// so the tip does not vanish under a still mouse every time the data refreshes.

import type { Frame } from './chart-frame';
import { el, sv } from './dom';

let hovered: { key: string | null; clientX: number } = { key: null, clientX: 0 };

/** `lines(i)`: what the tip says about sample i. */
export function hover(box: HTMLElement, key: string, f: Frame, times: readonly number[], lines: (i: number) => string[]): void {
  const tip = el('div', { class: 'tip', hidden: true });
  box.appendChild(tip);
  const guide = sv('line', { class: 'guide', y1: f.m.t, y2: f.m.t + f.ph, visibility: 'hidden' });
  const pad = sv('rect', { x: f.m.l, y: f.m.t, width: f.pw, height: f.ph, fill: 'transparent' });
  f.svg.appendChild(guide);
  f.svg.appendChild(pad);
  function show(clientX: number): void {
    const rect = f.svg.getBoundingClientRect();
    const t = f.t(clientX - rect.left);
    let best = 0;
    for (let i = 1; i < times.length; i++) if (Math.abs(times[i]! - t) < Math.abs(times[best]! - t)) best = i;
    const x = f.x(times[best]!);
    guide.setAttribute('x1', String(x));
    guide.setAttribute('x2', String(x));
    guide.setAttribute('visibility', 'visible');
    tip.replaceChildren(...lines(best).map((l) => el('div', { text: l })));
    tip.hidden = false;
    let left = x + 12;
    if (left + tip.offsetWidth > box.clientWidth) left = x - tip.offsetWidth - 12;
    tip.style.left = Math.max(0, left) + 'px';
    tip.style.top = f.m.t + 'px';
  }
  pad.addEventListener('mousemove', (ev) => {
    hovered = { key, clientX: ev.clientX };
    show(ev.clientX);
  });
  pad.addEventListener('mouseleave', () => {
    hovered = { key: null, clientX: 0 };
    tip.hidden = true;
    guide.setAttribute('visibility', 'hidden');
  });
  if (hovered.key === key) show(hovered.clientX);
}
