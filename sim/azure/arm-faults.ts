// Faults a test injects into the ARM test endpoint: throttling, an exact ARM error for a matching
// request, or a long-running operation that ends `Failed`. Each fault fires a number of times and is
// then used up, so a test states exactly how many answers go wrong.

export interface ArmRequestMatch {
  /** HTTP method, case-insensitive; any when absent. */
  method?: string;
  /** A substring of, or a pattern tested against, the request path (without the query). */
  path?: string | RegExp;
}

export type ArmFault =
  /** 429 `TooManyRequests` with `Retry-After: <retryAfterSeconds>` (fractions allowed, for fast tests). */
  | { kind: 'throttle'; match?: ArmRequestMatch; times?: number; retryAfterSeconds: number }
  /** Any ARM error answer, e.g. `{ status: 500, code: 'InternalServerError' }`. */
  | { kind: 'error'; match?: ArmRequestMatch; times?: number; status: number; code: string; message: string }
  /**
   * The long-running operation started by a matching request ends `Failed` with this error and changes
   * nothing. `status` is what its `Location` answers once failed (default 409).
   */
  | { kind: 'fail-operation'; match?: ArmRequestMatch; times?: number; code: string; message: string; status?: number };

interface Armed {
  fault: ArmFault;
  left: number;
}

export class ArmFaults {
  private readonly armed: Armed[] = [];

  add(fault: ArmFault): void {
    this.armed.push({ fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.armed.length = 0;
  }

  /** The first armed fault of these kinds matching the request, consumed once. */
  take<K extends ArmFault['kind']>(kinds: readonly K[], method: string, path: string): Extract<ArmFault, { kind: K }> | undefined {
    for (const entry of this.armed) {
      if (entry.left <= 0 || !(kinds as readonly string[]).includes(entry.fault.kind)) continue;
      if (!matches(entry.fault.match, method, path)) continue;
      entry.left -= 1;
      return entry.fault as Extract<ArmFault, { kind: K }>;
    }
    return undefined;
  }
}

function matches(match: ArmRequestMatch | undefined, method: string, path: string): boolean {
  if (match === undefined) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? path.includes(match.path) : match.path.test(path);
}
