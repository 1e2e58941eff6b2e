// Sizes the charts share: a round value axis, and the width a chart may take.

/** A round maximum and step for a value axis of about `ticks` ticks. */
export function niceMax(max: number, ticks: number): { max: number; step: number } {
  const raw = Math.max(max, 1) / ticks;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) || 10 * mag;
  step = Math.max(1, step);
  return { max: Math.max(step, Math.ceil(max / step) * step), step };
}

/** The chart's width in pixels: its box's, within reason. */
export function widthOf(box: HTMLElement): number {
  return Math.max(320, Math.floor(box.clientWidth || box.getBoundingClientRect().width || 640));
}
