// Kubernetes resource quantities (`3860m`, `12880000Ki`, `1e3`, `0.5`) as plain numbers in base
// units. Floats are exact enough here: the largest figures we meet (a node's memory in bytes) are
// far below 2^53, and every consumer rounds to millicores or bytes.

// A negative scale divides: 3860 / 1000 is the double nearest 3.86, while 3860 * 0.001 is not.
const SCALES: Readonly<Record<string, number>> = {
  '': 1,
  n: -1e9,
  u: -1e6,
  m: -1e3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

// <sign><digits>[.<digits>] then either a decimal exponent (`e3`, `E-2`) or an SI suffix. `1E` is
// one exa while `1E3` is a thousand: the exponent alternative needs digits, so it is tried first.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

// Pods of a cluster share a handful of request strings (`250m`, `512Mi`); remembering them saves
// a regex match per container across 150,000 pods. Bounded so a stream of odd values cannot grow it.
const CACHE_LIMIT = 4096;
const cache = new Map<string, number | undefined>();

/** A quantity in base units (cores, bytes, count), or undefined when it is not a quantity. */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const cached = cache.get(text);
  if (cached !== undefined || cache.has(text)) return cached;
  const value = parseUncached(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, value);
  return value;
}

function parseUncached(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (match === null) return undefined;
  const mantissa = Number(match[1]);
  const exponent = match[2] === undefined ? undefined : Number(match[2]);
  const scale = exponent === undefined ? SCALES[match[3] ?? ''] : exponent < 0 ? -(10 ** -exponent) : 10 ** exponent;
  if (scale === undefined) return undefined;
  const value = scale < 0 ? mantissa / -scale : mantissa * scale;
  return Number.isFinite(value) ? value : undefined;
}

/** CPU in millicores; an absent or unparsable quantity counts as none. */
export function cpuMilli(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const cores = parseQuantity(quantity);
  return cores === undefined ? 0 : Math.round(cores * 1000);
}

/** Memory in bytes; an absent or unparsable quantity counts as none. */
export function memoryBytes(quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const bytes = parseQuantity(quantity);
  return bytes === undefined ? 0 : Math.round(bytes);
}
