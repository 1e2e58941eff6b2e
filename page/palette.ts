// The colours of the node states, light and dark, as data: page/style.ts writes them into the
// stylesheet and test/page/palette.test.ts checks them (every state at least 3:1 against the panel
// and the "up to max pods" track behind a bar, WCAG's figure for graphics, and every two states
// clearly apart), so a stopped node never fades into the background again.

export const NODE_STATES = ['running', 'starting', 'draining', 'stopped', 'not-ready'] as const;
export type PaletteState = (typeof NODE_STATES)[number];

export interface Palette {
  /** Panels, where the charts are drawn. */
  panel: string;
  /** Behind a node's bar: room up to its max pods. */
  track: string;
  states: Record<PaletteState, string>;
}

export const LIGHT: Palette = {
  panel: '#ffffff',
  track: '#e8ebf0',
  states: { running: '#2d6cb0', starting: '#0f7f63', draining: '#b25800', stopped: '#4f5563', 'not-ready': '#c62f3c' },
};

export const DARK: Palette = {
  panel: '#1a1f25',
  track: '#2c333d',
  states: { running: '#62a2e8', starting: '#3cc49d', draining: '#eba23e', stopped: '#a9b1bd', 'not-ready': '#ff7a7a' },
};

/** The CSS variables of a palette: `--running: #…;` and so on. */
export function paletteVariables(p: Palette): string {
  return [`--panel: ${p.panel};`, `--track: ${p.track};`, ...NODE_STATES.map((s) => `--${s}: ${p.states[s]};`)].join(' ');
}
