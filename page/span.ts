// A duration as people say it (45s, 12m, 3h 20m, 2d 4h): the page's script and the figures built on
// the server (page/cost.ts) say the same time the same way.

export function span(msec: number): string {
  const s = Math.round(Math.abs(msec) / 1000);
  if (s < 60) return s + 's';
  const m = Math.round(s / 60);
  if (m < 60) return m + 'm';
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (d >= 2) return d + 'd ' + (h % 24) + 'h';
  return h + 'h' + (m % 60 ? ' ' + (m % 60) + 'm' : '');
}
