// Fills the status page's override form as a person would, field by field, and submits it.

import type { Page } from 'playwright-core';

export interface OverrideFormInput {
  scaler: string;
  /** Only offered with scaler "workers"; "" is every worker. */
  worker?: string;
  mode: 'pause' | 'pin' | 'bounds';
  count?: number | string;
  min?: number | string;
  max?: number | string;
  /** Left at the form's default ("2h") when not given. */
  for?: string;
  reason: string;
}

export async function submitOverrideForm(page: Page, input: OverrideFormInput): Promise<void> {
  await page.selectOption('#f-scaler', input.scaler);
  if (input.worker !== undefined) await page.selectOption('#f-worker', input.worker);
  await page.selectOption('#f-mode', input.mode);
  const fields = { count: input.count, min: input.min, max: input.max, for: input.for };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) await page.fill(`#f-${name}`, String(value));
  await page.fill('#f-reason', input.reason);
  await page.click('#f-submit');
}
