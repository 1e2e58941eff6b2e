// The banners at the top: one per scaler that does not act (observe or off), and one per refusal of
// nonsense input, so nobody takes a planned action for a done one, or a silent scaler for a content one.

import type { DashboardData } from '../model';
import { $, el } from './dom';

export function drawBanners(d: DashboardData): void {
  const modes = d.banners.map((b) =>
    el('div', {
      class: 'banner banner-' + b.mode,
      'data-testid': 'mode-banner',
      'data-scaler': b.scaler,
      'data-mode': b.mode,
      role: 'status',
      text: b.text,
    }),
  );
  const refused = d.refused.map((r) =>
    el('div', { class: 'banner banner-refused', 'data-testid': 'refused-banner', 'data-scaler': r.scaler, role: 'alert' }, [
      el('b', { text: r.scaler + ' refused: ' }),
      el('span', { text: r.field + ': ' + r.problem + '; ' + r.fix }),
    ]),
  );
  $('banners').replaceChildren(...modes, ...refused);
}
