// What the top of the status page says about scalers that do not act: in observe mode the page's
// "would do" and timeline are all it does, and a person must not read them as things done.

import type { Policy } from '../core/policy';
import { SCALER_NAMES } from '../core/scalers';
import type { ModeBanner } from './model';

export function modeBanners(policy: Pick<Policy, 'modes'>): ModeBanner[] {
  const banners: ModeBanner[] = [];
  for (const scaler of SCALER_NAMES) {
    const mode = policy.modes[scaler];
    if (mode === 'observe') {
      banners.push({
        scaler,
        mode,
        text: `${scaler}: observe mode — decisions are planned and recorded, nothing is done. Switch to act with modes.${scaler} or its GRACEFUL_SCALER_MODE_* app setting.`,
      });
    } else if (mode === 'off') {
      banners.push({ scaler, mode, text: `${scaler}: off — its timer does nothing. "Would do" shows what it would plan.` });
    }
  }
  return banners;
}
