// The records of the status history, as stored and as the status page reads them. Types only, so the
// page's browser script can be checked against them without the runner's Node-side code.

import type { Override } from '../core/memory';

/** One action carried out by a tick, with its outcome and reason. */
export interface TimelineEntry {
  at: string;
  scaler: string;
  type: string;
  target: string;
  rule: string;
  /**
   * deferred: not started, the tick's deadline had passed. observed: its scaler was in observe
   * mode; recorded, not carried out.
   */
  outcome: 'done' | 'refused' | 'failed' | 'deferred' | 'observed';
  reason: string;
  detail?: string;
}

/** Node counts after a node-scaler tick. */
export interface NodeSample {
  at: string;
  running: number;
  starting: number;
  draining: number;
  stopped: number;
  desired: number;
  minNodes: number;
  /**
   * Every pool's VMs, `[billed, deallocated]` by pool name (billed: not deallocated), for the cost
   * over time. Stored only when they changed since the previous sample (runner/history-vms.ts);
   * samples read through mergeHistories all carry them, except those stored before they were recorded.
   */
  vms?: Record<string, [billed: number, deallocated: number]>;
}

/** One worker's figures after a worker-scaler tick. */
export interface WorkerSample {
  at: string;
  name: string;
  replicas: number;
  desired: number;
  queueDepth: number;
}

/** An override that no longer holds: who set it and why, who removed it or that it ran out, and when. */
export interface EndedOverride {
  override: Override;
  endedAt: string;
  /** `removed`: a person took it back (DELETE /api/overrides/{id}); `expired`: its time ran out. */
  ended: 'removed' | 'expired';
  /** Who removed it, as the request identified them; absent for an expiry. */
  endedBy?: string;
}

export interface ScalerHistory {
  nodes: NodeSample[];
  workers: WorkerSample[];
  actions: TimelineEntry[];
  /** Absent in histories stored before overrides were recorded. */
  overrides?: EndedOverride[];
}
