// Node states apart from the background and from each other, in both themes: WCAG 2's relative
// luminance and contrast ratio (3:1 for graphics, success criterion 1.4.11), and CIE76 ΔE for "two
// states look different" (about 2.3 is just noticeable; 20 is unmistakable).

import { describe, expect, it } from 'vitest';
import { DARK, LIGHT, NODE_STATES, type Palette } from '../../page/palette';

function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const linear = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map(linear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function lab(hex: string): [number, number, number] {
  const [r, g, b] = rgb(hex).map(linear) as [number, number, number];
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ].map((v) => (v > 0.008856 ? Math.cbrt(v) : 7.787 * v + 16 / 116)) as [number, number, number];
  return [116 * xyz[1] - 16, 500 * (xyz[0] - xyz[1]), 200 * (xyz[1] - xyz[2])];
}

const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));

describe.each([
  ['light', LIGHT],
  ['dark', DARK],
] as [string, Palette][])('the %s palette', (_name, p) => {
  it.each(NODE_STATES)('shows %s at 3:1 or more against the panel and the track', (state) => {
    expect(contrast(p.states[state], p.panel)).toBeGreaterThanOrEqual(3);
    expect(contrast(p.states[state], p.track)).toBeGreaterThanOrEqual(3);
  });

  it('keeps every two states clearly apart', () => {
    for (const a of NODE_STATES)
      for (const b of NODE_STATES) if (a < b) expect(deltaE(p.states[a], p.states[b]), `${a} / ${b}`).toBeGreaterThanOrEqual(20);
  });
});

describe('the contrast ratio', () => {
  it('agrees with WCAG’s reference values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#b3bac4', '#ffffff')).toBeLessThan(3); // the old "stopped" grey: why this test exists
  });
});
