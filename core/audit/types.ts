// What the audit reports: findings per workload, each with its evidence, what every disrupter would
// do, and the fix as a patch a person can apply.

import type { KubeObject } from './objects';

export type Severity = 'blocks' | 'not-graceful' | 'advice';

/** Most severe first: the order of the report and of `--fail-on`. */
export const SEVERITIES: readonly Severity[] = ['blocks', 'not-graceful', 'advice'];

export const SEVERITY_TITLE: Readonly<Record<Severity, string>> = {
  blocks: 'blocks scale-down',
  'not-graceful': 'evictable but not graceful',
  advice: 'advice',
};

/** Who may take a pod off its node. */
export type Disrupter = 'graceful-scaler' | 'cluster-autoscaler' | 'karpenter' | 'descheduler' | 'drain';

export const DISRUPTERS: readonly Disrupter[] = ['graceful-scaler', 'cluster-autoscaler', 'karpenter', 'descheduler', 'drain'];

export const DISRUPTER_TITLE: Readonly<Record<Disrupter, string>> = {
  'graceful-scaler': 'graceful-scaler',
  'cluster-autoscaler': 'cluster-autoscaler on AKS',
  karpenter: 'Karpenter / AKS NAP',
  descheduler: 'descheduler',
  drain: 'kubectl drain / AKS upgrade',
};

/**
 * What a disrupter does with the workload: `refuses` to move it (its node stays: no scale-down, or a
 * drain that fails), `waits` for it to finish, `disrupts` it (evicts or kills it, and the work, the
 * data or the requests in flight are lost), or handles it `ok`.
 */
export type Effect = 'refuses' | 'waits' | 'disrupts' | 'ok';

export interface Verdict {
  effect: Effect;
  why: string;
}

export type Verdicts = Readonly<Record<Disrupter, Verdict>>;

export interface Evidence {
  /** Where the value is, on the subject or on the named object: `spec.template.spec.terminationGracePeriodSeconds`. */
  path: string;
  value: unknown;
  /** Set when the field belongs to another object than the subject: `Pod clomo/report-1`. */
  object?: string;
}

export interface ObjectRef {
  apiVersion?: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * A fix: a strategic merge patch or JSON merge patch of `target` (as `kubectl patch --type`), a new
 * object to create, an object that replaces `target`, or `target` to delete.
 */
export type Fix =
  | { type: 'strategic' | 'merge'; target: ObjectRef; patch: Record<string, unknown>; description: string }
  | { type: 'create'; manifest: Record<string, unknown>; description: string }
  | { type: 'replace'; target: ObjectRef; manifest: Record<string, unknown>; description: string }
  | { type: 'delete'; target: ObjectRef; description: string };

export interface Finding {
  check: number;
  checkId: string;
  severity: Severity;
  /** The workload (top controller, or the bare pod) or, for a PDB's own problem, the PDB. */
  subject: ObjectRef;
  /** Some of its pods, when they are what was seen. */
  pods: string[];
  message: string;
  evidence: Evidence[];
  verdicts: Verdicts;
  /** Absent when no patch can express the fix (the message says what to do). */
  fix?: Fix;
  /** The finding is a guess from a pattern (check 17): say so wherever it is shown. */
  heuristic?: boolean;
}

export interface CheckInfo {
  number: number;
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters and what to do: SARIF's rule help, docs/audit.md's paragraph. */
  help: string;
}

export interface AuditReport {
  checks: readonly CheckInfo[];
  workloads: number;
  pdbs: number;
  findings: Finding[];
  counts: Readonly<Record<Severity, number>>;
}

export type { KubeObject };
