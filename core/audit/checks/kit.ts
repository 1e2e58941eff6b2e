// What every check file shares: its shape, how a finding is made, verdicts in one line each.

import type { AuditContext, Pdb } from '../context';
import type { KubeObject } from '../objects';
import type { CheckInfo, Disrupter, Effect, Evidence, Finding, Fix, Verdicts } from '../types';
import { isFinishedPod, livePods, type Workload } from '../workloads';

export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const SAFE_TO_EVICT_LOCAL_VOLUMES = 'cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes';
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

export interface Draft {
  message: string;
  evidence: Evidence[];
  verdicts: Verdicts;
  fix?: Fix;
  pods?: string[];
  heuristic?: boolean;
}

/** A check looks at one workload or at one PDB; the audit asks it about each in turn. */
export interface Check {
  info: CheckInfo;
  workload?: (w: Workload, ctx: AuditContext) => Draft[];
  pdb?: (pdb: Pdb, ctx: AuditContext, workloads: readonly Workload[]) => Draft[];
}

export function verdicts(v: Record<Disrupter, [Effect, string]>): Verdicts {
  const out = {} as Record<Disrupter, { effect: Effect; why: string }>;
  for (const [d, [effect, why]] of Object.entries(v) as [Disrupter, [Effect, string]][]) out[d] = { effect, why };
  return out;
}

/** What becomes of a Job's pod: graceful-scaler never evicts one; every other disrupter does, with `why`. */
export function jobVerdicts(why: string): Verdicts {
  const disrupts: [Effect, string] = ['disrupts', why];
  return verdicts({
    'graceful-scaler': ['ok', "never evicts a Job's pod (job-pod): its node waits"],
    'cluster-autoscaler': disrupts,
    karpenter: disrupts,
    descheduler: disrupts,
    drain: disrupts,
  });
}

export function toFinding(info: CheckInfo, subject: Finding['subject'], d: Draft): Finding {
  return {
    check: info.number,
    checkId: info.id,
    severity: info.severity,
    subject,
    pods: d.pods ?? [],
    message: d.message,
    evidence: d.evidence,
    verdicts: d.verdicts,
    ...(d.fix ? { fix: d.fix } : {}),
    ...(d.heuristic ? { heuristic: true } : {}),
  };
}

/** A workload whose pods a drain evicts: not a DaemonSet, and not one whose every pod has finished. */
export function isEvicted(w: Workload): boolean {
  if (w.shape === 'DaemonSet') return false;
  return w.pods.length === 0 || w.pods.some((p) => !isFinishedPod(p));
}

/** Up to three pod names, for the finding. */
export function somePods(w: Workload): string[] {
  return livePods(w)
    .slice(0, 3)
    .map((p) => p.metadata.name);
}

export function podRef(pod: KubeObject): string {
  return `Pod ${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function pdbRef(pdb: Pdb): { apiVersion: string; kind: string; namespace: string; name: string } {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: pdb.object.metadata.namespace, name: pdb.object.metadata.name };
}

/** Deep merge of plain objects (two patches of the same object into one). */
export function mergeObjects(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? mergeObjects(prev, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The labels a new PDB selects the workload by: its own selector's matchLabels, else its template's labels. */
export function selectorLabels(w: Workload): Record<string, string> {
  const own = w.object?.spec?.selector?.matchLabels as Record<string, string> | undefined;
  if (own && Object.keys(own).length > 0) return { ...own };
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.template.metadata.labels)) {
    // Labels a controller adds per pod or per revision select one generation, not the workload.
    if (
      k !== 'pod-template-hash' &&
      k !== 'controller-revision-hash' &&
      !k.startsWith('statefulset.kubernetes.io/') &&
      !k.startsWith('batch.kubernetes.io/') &&
      k !== 'controller-uid' &&
      k !== 'job-name'
    )
      labels[k] = v;
  }
  return labels;
}

export function newPdb(w: Workload, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: w.ref.name, namespace: w.ref.namespace },
    spec: { ...spec, selector: { matchLabels: selectorLabels(w) }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  };
}
