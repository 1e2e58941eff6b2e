// Where the page's calls go and how their failures read. The page is opened as
// /api/dashboard?code=<function key>[&refresh=<seconds>]; both parameters are read once, at start.

const params = new URL(location.href).searchParams;
const code = params.get('code');

/** How often the data is fetched again: every 2 s, or `?refresh=` seconds (0: never, at least 0.5 s). */
export const refreshMs = refreshFrom(params);

function refreshFrom(query: URLSearchParams): number {
  if (!query.has('refresh')) return 2000;
  const r = Number(query.get('refresh'));
  if (!(isFinite(r) && r >= 0)) return 2000;
  return r === 0 ? 0 : Math.max(500, r * 1000);
}

// Relative to the page, so /api/dashboard calls /api/dashboard/data and /api/overrides; the
// function key the page was opened with goes along on every call.
export function api(path: string): string {
  const base = new URL(location.href);
  base.search = '';
  base.hash = '';
  base.pathname = base.pathname.replace(/\/+$/, '') || '/';
  const url = new URL(path, base);
  if (code) url.searchParams.set('code', code);
  return url.toString();
}

export function httpProblem(status: number, body: unknown): string {
  if (status === 401 || status === 403) return 'HTTP ' + status + ': the function key is missing or wrong (open the page with ?code=…)';
  const error = (body as { error?: unknown } | null | undefined)?.error;
  const text = body && typeof error === 'string' ? error : '';
  return 'HTTP ' + status + (text ? ': ' + text : '');
}

/** The answer's JSON, or null when it is not JSON (a proxy's error page, an empty body). */
export async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
