// The overrides in force, each with its Remove button.

import type { Override } from '../../core/memory';
import type { DashboardData } from '../model';
import { api, httpProblem, readJson } from './api';
import { $, el } from './dom';
import { messageOf, plural } from './format';
import { load } from './poll';
import { ms, span, when } from './time';

export function describeOverride(o: Override): string {
  if (o.mode === 'pause') return 'paused';
  if (o.mode === 'pin') return 'pinned at ' + o.count;
  if (typeof o.min === 'number' && typeof o.max === 'number') return 'bounds ' + o.min + '–' + o.max;
  return typeof o.min === 'number' ? 'at least ' + o.min : 'at most ' + o.max;
}

/** Overrides whose Remove asks for confirmation: kept while the data refreshes under it. */
const confirming = new Set<string>();

export function drawOverrides(d: DashboardData): void {
  const body = $('overrides');
  const now = ms(d.now);
  if (!d.overrides.length) {
    body.replaceChildren(el('tr', null, el('td', { colspan: 3, class: 'empty', text: 'None: every scaler follows the policy.' })));
    return;
  }
  body.replaceChildren(
    ...d.overrides.map((o) => {
      const ends = ms(o.expiresAt);
      const button = el('button', { type: 'button', class: 'remove' });
      const cancel = el('button', { type: 'button', class: 'cancel', text: 'Keep', 'aria-label': 'Keep override ' + o.id });
      const show = (asking: boolean) => {
        if (asking) confirming.add(o.id);
        else confirming.delete(o.id);
        if (asking) button.setAttribute('data-state', 'confirm');
        else button.removeAttribute('data-state');
        button.textContent = asking ? 'Remove now?' : 'Remove';
        button.setAttribute('aria-label', (asking ? 'Confirm: remove override ' : 'Remove override ') + o.id);
        cancel.hidden = !asking;
      };
      show(confirming.has(o.id));
      // Removing lets the scaler act again at once: the first click asks, the second removes.
      button.addEventListener('click', () => {
        if (confirming.has(o.id)) void removeOverride(o.id, button);
        else show(true);
      });
      cancel.addEventListener('click', () => show(false));
      return el('tr', { 'data-testid': 'override-row', 'data-override-id': o.id }, [
        el('td', { class: 'holds' }, [
          el('span', { class: 'chip', text: o.scaler }),
          o.worker ? el('span', { class: 'mono', text: ' ' + o.worker }) : null,
          el('div', { class: 'strong', text: describeOverride(o) }),
          el('div', {
            class: 'detail',
            text: 'until ' + when(ends, now) + (isFinite(ends) && isFinite(now) ? ' (' + span(ends - now) + ')' : ''),
          }),
        ]),
        el('td', { class: 'reason' }, [
          el('div', { text: o.reason }),
          el('div', { class: 'detail', text: 'set ' + when(ms(o.createdAt), now) + (o.createdBy ? ' by ' + o.createdBy : '') }),
        ]),
        el('td', { class: 'remove-cell' }, [button, cancel]),
      ]);
    }),
  );
}

/** Who set each ended override and why, and who removed it or that it ran out. */
export function drawEndedOverrides(d: DashboardData): void {
  const now = ms(d.now);
  const ended = d.endedOverrides ?? [];
  $('ended-overrides-count').textContent = ended.length ? plural(ended.length, 'ended override') : 'No ended overrides';
  $('ended-overrides').replaceChildren(
    ...ended.map((e) => {
      const o = e.override;
      const how =
        e.ended === 'removed'
          ? 'removed ' + when(ms(e.endedAt), now) + ' by ' + (e.endedBy ?? 'someone unknown')
          : 'expired ' + when(ms(e.endedAt), now);
      return el('tr', { 'data-testid': 'ended-override', 'data-override-id': o.id, 'data-ended': e.ended }, [
        el('td', { class: 'holds' }, [
          el('span', { class: 'chip', text: o.scaler }),
          o.worker ? el('span', { class: 'mono', text: ' ' + o.worker }) : null,
          el('div', { class: 'strong', text: describeOverride(o) }),
        ]),
        el('td', { class: 'reason' }, [
          el('div', { text: o.reason }),
          el('div', { class: 'detail', text: 'set ' + when(ms(o.createdAt), now) + ' by ' + (o.createdBy ?? 'someone unknown') }),
        ]),
        el('td', { class: 'detail', text: how }),
      ]);
    }),
  );
}

async function removeOverride(id: string, button: HTMLButtonElement): Promise<void> {
  confirming.delete(id);
  button.disabled = true;
  $('overrides-message').textContent = '';
  try {
    const res = await fetch(api('overrides/' + encodeURIComponent(id)), { method: 'DELETE', headers: { accept: 'application/json' } });
    const answer = await readJson(res);
    // Already gone (another tab, expired) is what was asked for.
    if (!res.ok && res.status !== 404)
      $('overrides-message').textContent = 'Could not remove ' + id + ': ' + httpProblem(res.status, answer);
    void load();
  } catch (e) {
    $('overrides-message').textContent = 'Could not remove ' + id + ': ' + messageOf(e);
  }
  button.disabled = false;
}
