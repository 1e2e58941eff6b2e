// Fetching the data: at start, every `refreshMs`, when the tab is shown again and after an override
// changed; one request at a time. The indicator in the header says how fresh the data on screen is.

import type { DashboardData } from '../model';
import { api, httpProblem, refreshMs } from './api';
import { $ } from './dom';
import { messageOf } from './format';
import { span } from './time';

/** Draws the data; returns what could not be shown, if anything. */
export type Renderer = (d: DashboardData) => string | null;

let renderer: Renderer = () => null;
let data: DashboardData | null = null;
let lastText: string | null = null;
let lastOk = 0;
let lastError: string | null = null;
let inflight = false;
let again = false;
let pollTimer = 0;

/** The data on screen, if any arrived. */
export function latest(): DashboardData | null {
  return data;
}

export function startPolling(render: Renderer): void {
  renderer = render;
  window.setInterval(indicator, 1000);
  void load();
}

function indicator(): void {
  const box = $('last-updated');
  const every = refreshMs ? 'every ' + refreshMs / 1000 + ' s' : 'not refreshing';
  const age = lastOk ? span(Date.now() - lastOk) + ' ago' : 'never';
  if (lastError) {
    box.setAttribute('data-state', 'error');
    box.textContent = 'connection error: ' + lastError + ' · last data ' + age + (refreshMs ? ' · retrying' : '');
  } else if (!lastOk) {
    box.setAttribute('data-state', 'loading');
    box.textContent = 'loading…';
  } else if (refreshMs && Date.now() - lastOk > Math.max(10000, 3 * refreshMs)) {
    box.setAttribute('data-state', 'stale');
    box.textContent = 'updated ' + age + ' (waiting for an answer)';
  } else {
    box.setAttribute('data-state', 'ok');
    box.textContent = 'updated ' + (Date.now() - lastOk < 1500 ? 'just now' : age) + ' · ' + every;
  }
}

/** Fetches the data now (or right after the request under way), and draws it if it changed. */
export async function load(): Promise<void> {
  if (inflight) {
    again = true;
    return;
  }
  inflight = true;
  window.clearTimeout(pollTimer);
  const ctl = new AbortController();
  const timeout = window.setTimeout(() => ctl.abort(), 15000);
  try {
    const res = await fetch(api('dashboard/data'), { headers: { accept: 'application/json' }, cache: 'no-store', signal: ctl.signal });
    const text = await res.text();
    if (!res.ok) {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      throw new Error(httpProblem(res.status, body));
    }
    const parsed = JSON.parse(text) as DashboardData | null;
    lastOk = Date.now();
    lastError = null;
    if (text !== lastText) {
      lastText = text;
      data = parsed;
      const problem = data ? renderer(data) : null;
      if (problem) lastError = problem;
    }
  } catch (e) {
    lastError = (e as { name?: unknown } | null)?.name === 'AbortError' ? 'no answer within 15 s' : messageOf(e);
  }
  window.clearTimeout(timeout);
  inflight = false;
  indicator();
  if (again) {
    again = false;
    void load();
    return;
  }
  if (refreshMs) pollTimer = window.setTimeout(load, refreshMs);
}
