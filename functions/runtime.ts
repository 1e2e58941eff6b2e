// What every Function needs: the validated policy and the runner's ports. Built once per worker
// process, lazily (Flex Consumption gives the host 30 s to start: no SDK client at import time).
// Tests and the simulator install their own runtime instead.

import type { Policy } from '../core/policy';
import type { MemoryStore } from '../adapters/ports';
import type { RunnerDeps } from '../runner/run-tick';

export interface Runtime {
  policy: Policy;
  deps: RunnerDeps;
  /** The same store the runner uses; the overrides endpoints edit memory through it. */
  memory: MemoryStore;
  /** Makes override ids; random in production, predictable in tests. */
  newId: () => string;
  /** What the status page says it looks at: "AKS cluster prod-aks", "simulated cluster, 60× real time". */
  source: string;
}

let current: Promise<Runtime> | undefined;
let factory: (() => Promise<Runtime>) | undefined;

/** Installs how the runtime is built (production wiring at startup, or a test/simulator runtime). */
export function setRuntimeFactory(make: () => Promise<Runtime>): void {
  factory = make;
  current = undefined;
}

export function getRuntime(): Promise<Runtime> {
  if (!factory) throw new Error('graceful-scaler: no runtime configured (functions/index.ts installs the production one)');
  // A failed build is not cached: the next invocation tries again (a transient ARM or DNS error).
  current ??= factory().catch((err: unknown) => {
    current = undefined;
    throw err;
  });
  return current;
}
