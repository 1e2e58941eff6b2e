// What every check may consult besides its workload: the limits of each disrupter, the PDBs and
// Services that select the workload, the nodes it could move to, and how long its work runs.

import { parseDuration } from '../duration';
import type { Policy } from '../policy';
import { matchesSelector, selectorFromKubernetes } from '../selector';
import type { LabelSelector } from '../views';
import type { AuditObjects, KubeObject, Labels } from './objects';
import { livePods, type Workload } from './workloads';

/** Ours: how long one unit of the workload's work runs (`2h`), declared on the workload or its pod template. */
export const EXPECTED_DURATION = 'graceful-scaler.io/expected-duration';
/** Ours: "true" declares that the work resumes from a checkpoint after an eviction. */
export const RESUMABLE = 'graceful-scaler.io/resumable';

export interface AuditSettings {
  /** The time of the dump (epoch ms), for running Jobs' ages; undefined: ages are not used. */
  now?: number;
  /** cluster-autoscaler `--max-graceful-termination-sec` (AKS profile `max-graceful-termination-sec`). Default 600. */
  caMaxGracefulTerminationSec: number;
  /** AKS `upgradeSettings.drainTimeoutInMinutes` in seconds. Default 30 min. */
  aksDrainTimeoutSec: number;
  /**
   * Work at least this long is "long" (checks 12, 20). Default 600 s, cluster-autoscaler's cap on
   * the grace period: work longer than every disrupter's patience cannot wait out a drain.
   */
  longWorkSec: number;
  /** graceful-scaler's policy: pods with local storage block its drains. */
  protectLocalStorage: boolean;
  /** Deployments graceful-scaler scales by queue depth (`namespace/name`). */
  queueWorkers: ReadonlySet<string>;
}

export const DEFAULT_SETTINGS: AuditSettings = {
  caMaxGracefulTerminationSec: 600,
  aksDrainTimeoutSec: 30 * 60,
  longWorkSec: 600,
  protectLocalStorage: false,
  queueWorkers: new Set(),
};

/** What graceful-scaler's own policy tells the audit: its queue workers, and whether local storage blocks its drains. */
export function policyAuditSettings(policy: Policy): Pick<AuditSettings, 'protectLocalStorage' | 'queueWorkers'> {
  return {
    protectLocalStorage: policy.nodes?.protectLocalStorage ?? false,
    queueWorkers: new Set(policy.workers.map((w) => `${w.namespace}/${w.deployment}`)),
  };
}

export interface Pdb {
  object: KubeObject;
  selector: LabelSelector | undefined;
}

export interface AuditContext {
  settings: AuditSettings;
  objects: AuditObjects;
  pdbs: Pdb[];
  /** The smallest NodePool terminationGracePeriod (seconds), when Karpenter NodePools are in the dump. */
  karpenterGraceSec: number | undefined;
}

export function buildContext(objects: AuditObjects, settings: AuditSettings): AuditContext {
  const pdbs = objects.pdbs.map((object) => ({ object, selector: selectorOf(object.spec?.selector) }));
  let karpenterGraceSec: number | undefined;
  for (const pool of objects.nodePools) {
    const text = pool.spec?.template?.spec?.terminationGracePeriod;
    const ms = typeof text === 'string' ? goDuration(text) : undefined;
    if (ms !== undefined) karpenterGraceSec = Math.min(karpenterGraceSec ?? Infinity, ms / 1000);
  }
  return { settings, objects, pdbs, karpenterGraceSec };
}

/** A Kubernetes label selector, or undefined when null/absent or not understood (then it matches nothing). */
export function selectorOf(raw: unknown): LabelSelector | undefined {
  try {
    return selectorFromKubernetes(raw as Parameters<typeof selectorFromKubernetes>[0]);
  } catch {
    return undefined;
  }
}

/** Go's `time.ParseDuration` forms Karpenter writes (`48h`, `30m`, `1h30m`, `90s`). */
export function goDuration(text: string): number | undefined {
  return parseDuration(text);
}

/** The label sets the workload's pods have: its live pods', or its template's when none runs. */
export function podLabelSets(w: Workload): Labels[] {
  const live = livePods(w);
  return live.length > 0 ? live.map((p) => p.metadata.labels) : [w.template.metadata.labels];
}

/** PDBs of the namespace whose selector matches the workload's pods. */
export function pdbsFor(ctx: AuditContext, w: Workload): Pdb[] {
  const sets = podLabelSets(w);
  return ctx.pdbs.filter(
    (p) => p.object.metadata.namespace === w.ref.namespace && p.selector !== undefined && sets.some((l) => matchesSelector(p.selector!, l)),
  );
}

/** Services of the namespace whose (non-empty) selector matches the workload's pods. */
export function servicesFor(ctx: AuditContext, w: Workload): KubeObject[] {
  const sets = podLabelSets(w);
  return ctx.objects.services.filter((s) => {
    const selector = s.spec?.selector as Record<string, string> | undefined;
    if (s.metadata.namespace !== w.ref.namespace || !selector || Object.keys(selector).length === 0) return false;
    return sets.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
  });
}

export function annotation(w: Workload, key: string): string | undefined {
  return w.template.metadata.annotations[key] ?? w.object?.metadata.annotations[key];
}

export function graceSeconds(w: Workload): { value: number; set: boolean } {
  const g = w.template.spec.terminationGracePeriodSeconds;
  return typeof g === 'number' ? { value: g, set: true } : { value: 30, set: false };
}

export interface WorkLength {
  seconds: number;
  /** How it is known, for the evidence. */
  source: string;
  path: string;
  object?: string;
  /** The value at the path, when it is not the length itself (a start time). */
  value?: unknown;
}

/**
 * How long the workload's work runs, from the most explicit source: our annotation; a Job's
 * activeDeadlineSeconds (the longest a run may take, so the run its author expects); the longest
 * finished run of a CronJob's Jobs; the age of a running Job's pod (a lower bound). Undefined when
 * nothing says.
 */
export function workLength(ctx: AuditContext, w: Workload): WorkLength | undefined {
  const declared = annotation(w, EXPECTED_DURATION);
  if (declared !== undefined) {
    const ms = parseDuration(declared);
    if (ms !== undefined) {
      const onTemplate = w.template.metadata.annotations[EXPECTED_DURATION] !== undefined;
      return {
        seconds: ms / 1000,
        source: 'declared',
        path: onTemplate
          ? `${w.templatePath === '' ? '' : `${w.templatePath}.`}metadata.annotations.${EXPECTED_DURATION}`
          : `metadata.annotations.${EXPECTED_DURATION}`,
        object: undefined,
      };
    }
  }
  const deadline = w.job?.spec.activeDeadlineSeconds;
  if (typeof deadline === 'number')
    return { seconds: deadline, source: 'activeDeadlineSeconds', path: `${w.job!.path}.activeDeadlineSeconds` };
  let longest: WorkLength | undefined;
  for (const job of w.jobs) {
    const start = job.status?.startTime as number | undefined;
    const end = job.status?.completionTime as number | undefined;
    if (typeof start === 'number' && typeof end === 'number' && (!longest || end - start > longest.seconds * 1000)) {
      longest = {
        seconds: (end - start) / 1000,
        source: 'longest finished run',
        path: 'status.startTime..status.completionTime',
        object: `Job ${job.metadata.namespace}/${job.metadata.name}`,
        value: `${new Date(start).toISOString()}..${new Date(end).toISOString()}`,
      };
    }
  }
  if (longest) return longest;
  const now = ctx.settings.now;
  if (now !== undefined && w.job) {
    for (const pod of livePods(w)) {
      const start = pod.status?.startTime as number | undefined;
      if (typeof start === 'number' && now > start && (!longest || now - start > longest.seconds * 1000)) {
        longest = {
          seconds: Math.round((now - start) / 1000),
          source: 'running for at least',
          path: 'status.startTime',
          object: `Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
          value: new Date(start).toISOString(),
        };
      }
    }
  }
  return longest;
}

export function isQueueWorker(ctx: AuditContext, w: Workload): boolean {
  if (ctx.settings.queueWorkers.has(`${w.ref.namespace}/${w.ref.name}`) && w.ref.kind === 'Deployment') return true;
  return (
    w.template.metadata.annotations['graceful-scaler.io/busy'] !== undefined ||
    w.pods.some((p) => p.metadata.annotations['graceful-scaler.io/busy'] !== undefined)
  );
}
