// The form that sets an override: its choices from the data, the fields each mode needs, and the
// problems the API finds, each marked on its field.

import type { Override } from '../../core/memory';
import type { DashboardData } from '../model';
import { api, httpProblem, readJson } from './api';
import { $, el } from './dom';
import { messageOf } from './format';
import { describeOverride } from './overrides';
import { latest, load } from './poll';
import { ms, when } from './time';

const FIELDS = ['scaler', 'worker', 'mode', 'count', 'min', 'max', 'for', 'reason'];

/** Replaces the options only when they changed, keeping what the person chose. */
function fillSelect(select: HTMLSelectElement, values: string[], labels?: string[]): void {
  const key = values.join('\n');
  if (select.getAttribute('data-values') === key) return;
  const keep = select.value;
  select.replaceChildren(...values.map((v, i) => el('option', { value: v, text: labels ? labels[i] : v })));
  select.setAttribute('data-values', key);
  if (values.indexOf(keep) >= 0) select.value = keep;
}

export function drawForm(d: DashboardData): void {
  fillSelect($<HTMLSelectElement>('f-scaler'), d.form.scalers);
  fillSelect($<HTMLSelectElement>('f-worker'), [''].concat(d.form.workers), ['all workers'].concat(d.form.workers));
  syncForm();
}

/** Shows the fields the chosen scaler and mode take. */
export function syncForm(): void {
  const mode = $<HTMLSelectElement>('f-mode').value;
  $('w-worker').hidden = $<HTMLSelectElement>('f-scaler').value !== 'workers';
  $('w-count').hidden = mode !== 'pin';
  $('w-min').hidden = mode !== 'bounds';
  $('w-max').hidden = mode !== 'bounds';
}

/** The API's problems read `field: what is wrong` (or `min/max: …`); each named field is marked. */
function showProblems(problems: string[]): void {
  $('override-problems').replaceChildren(...problems.map((p) => el('li', { text: p })));
  const bad = new Set<string>();
  for (const p of problems) for (const field of p.split(':')[0]!.split('/')) bad.add(field.trim());
  for (const field of FIELDS) {
    const input = $('f-' + field);
    if (bad.has(field) || (field === 'for' && bad.has('expiresAt'))) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/** A number when it is one; otherwise the text as typed, for the API to name the problem. */
function numberOrText(v: string): number | string | undefined {
  const t = v.trim();
  return t === '' ? undefined : isFinite(Number(t)) ? Number(t) : t;
}

interface OverrideRequest {
  scaler: string;
  worker?: string;
  mode?: string;
  count?: number | string | undefined;
  min?: number | string | undefined;
  max?: number | string | undefined;
  for?: string;
  reason?: string;
}

type OverrideAnswer = { override?: Override; problems?: unknown } | null;

export async function submitOverride(ev: Event): Promise<void> {
  ev.preventDefault();
  const scaler = $<HTMLSelectElement>('f-scaler').value;
  const mode = $<HTMLSelectElement>('f-mode').value;
  const worker = $<HTMLSelectElement>('f-worker').value;
  const body: OverrideRequest = { scaler };
  if (scaler === 'workers' && worker) body.worker = worker;
  body.mode = mode;
  if (mode === 'pin') body.count = numberOrText($<HTMLInputElement>('f-count').value);
  if (mode === 'bounds') {
    body.min = numberOrText($<HTMLInputElement>('f-min').value);
    body.max = numberOrText($<HTMLInputElement>('f-max').value);
  }
  body.for = $<HTMLInputElement>('f-for').value.trim();
  body.reason = $<HTMLInputElement>('f-reason').value.trim();
  $('override-status').textContent = '';
  if (!body.reason) {
    showProblems(['reason: required, a few words on why (shown in every decision while the override holds)']);
    return;
  }
  showProblems([]);
  const button = $<HTMLButtonElement>('f-submit');
  button.disabled = true;
  try {
    const res = await fetch(api('overrides'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await readJson(res)) as OverrideAnswer;
    if (res.status === 201) {
      $<HTMLInputElement>('f-reason').value = '';
      const o = answer?.override;
      const current = latest();
      $('override-status').textContent = o
        ? 'Override set: ' +
          o.scaler +
          ' ' +
          describeOverride(o) +
          ' until ' +
          when(ms(o.expiresAt), ms(current ? current.now : o.createdAt)) +
          '.'
        : 'Override set.';
      void load();
    } else if (res.status === 400 && answer && Array.isArray(answer.problems)) {
      showProblems(answer.problems.map(String));
    } else {
      showProblems([httpProblem(res.status, answer)]);
    }
  } catch (e) {
    showProblems(['connection: ' + messageOf(e)]);
  }
  button.disabled = false;
}
