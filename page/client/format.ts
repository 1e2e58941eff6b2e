// Numbers and messages as the page writes them.

/** The data is read defensively: a missing or broken figure counts as 0 rather than breaking a chart. */
export function num(v: unknown): number {
  return typeof v === 'number' && isFinite(v) ? v : 0;
}

/** One decimal: enough for SVG coordinates, and short markup. */
export function r1(v: number): number {
  return Math.round(v * 10) / 10;
}

export function plural(n: number, one: string, many?: string): string {
  return n + ' ' + (n === 1 ? one : many || one + 's');
}

export function gib(bytes: number): string {
  return (bytes / 1073741824).toFixed(1) + ' GiB';
}

export function pct(a: number, b: number): string {
  return b > 0 ? Math.round((a / b) * 100) + '%' : '—';
}

/** What went wrong, from whatever was thrown. */
export function messageOf(e: unknown): string {
  const message = (e as { message?: unknown } | null | undefined)?.message;
  return e && message ? String(message) : String(e);
}
