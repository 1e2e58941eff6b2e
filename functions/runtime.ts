// What every Function needs: the validated policy and the runner's ports. Built once per worker
// process, lazily (Flex Consumption gives the host 30 s to start: no SDK client at import time).
// Tests and the simulator install their own runtime instead.

import type { Policy } from '../core/policy';
import type { AuditReader, MemoryStore } from '../runner/ports';
import type { RunnerDeps } from '../runner/run-tick';

export interface Runtime {
  policy: Policy;
  deps: RunnerDeps;
  /** The same store the runner uses; the overrides endpoints edit memory through it. */
  memory: MemoryStore;
  /** Reads the whole objects the drain audit looks at (GET /api/audit), on request only. */
  audit: AuditReader;
  /** Makes override ids; random in production, predictable in tests. */
  newId: () => string;
  /** What the status page says it looks at: "AKS cluster prod-aks", "simulated cluster, 60× real time". */
  source: string;
  /**
   * How long one status-page document serves every open page (ms). Each document is a full read of
   * the cluster: on a large cluster, a few open pages polling every 2 s must not become the API
   * server's biggest client. 0 in the simulator.
   */
  dashboardCacheMs?: number;
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
