// Where on the page a finding of the drain audit is, and which finding a scaler's reason points at.
// A refusal that names an audit check reads "… pod clomo/report-7f9c has no controller … (audit
// check 1)": the pod and the check lead to the finding about that pod's workload (the finding
// names its workload and up to three of its pods; a controller's pods are named after it). Pure, so
// the unit tests run it without a browser.

import type { AuditReport, Finding, ObjectRef } from '../../core/audit/types';

/** `audit-1-pod-clomo-report`: check, kind, namespace and name, made safe for an id. */
function slug(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

export function subjectKey(s: ObjectRef): string {
  return s.namespace === '' ? s.kind + ' ' + s.name : s.kind + ' ' + s.namespace + '/' + s.name;
}

/** The anchor of the workload's card: `audit-w-deployment-clomo-web`. */
export function workloadAnchor(s: ObjectRef): string {
  return 'audit-w-' + slug(s.kind, s.namespace, s.name);
}

/** One anchor per finding, in the report's order; a second finding of a check on one subject gets `-2`. */
export function findingAnchors(findings: readonly Finding[]): string[] {
  const used = new Map<string, number>();
  return findings.map((f) => {
    const base = 'audit-' + f.check + '-' + slug(f.subject.kind, f.subject.namespace, f.subject.name);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : base + '-' + n;
  });
}

/** A reason's reference to the audit: the check, the pod it is about (when named), where it is in the text. */
export interface AuditMention {
  check: number;
  namespace: string | undefined;
  pod: string | undefined;
  /** `audit check 1` inside the reason, without its parentheses. */
  start: number;
  end: number;
}

// As core/cluster.ts writes a blocking pod (`pod <namespace>/<name> …`) and core/audit/scaler-reasons.ts the check.
const MENTION = /\(audit check (\d+)\)/g;
const POD = /\bpod ([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)/g;

export function auditMentions(reason: string): AuditMention[] {
  const out: AuditMention[] = [];
  for (const m of reason.matchAll(MENTION)) {
    const at = m.index;
    // The pod named last before the mention is the one it is about.
    let namespace: string | undefined;
    let pod: string | undefined;
    for (const p of reason.slice(0, at).matchAll(POD)) {
      namespace = p[1];
      pod = p[2];
    }
    out.push({ check: Number(m[1]), namespace, pod, start: at + 1, end: at + m[0].length - 1 });
  }
  return out;
}

/** What a mention links to: the finding, else the card of the pod's workload, else the audit section. */
export interface LinkTargets {
  target(mention: Pick<AuditMention, 'check' | 'namespace' | 'pod'>): string;
}

/** How a pod belongs to a finding's subject: named by it, listed in it, or named after it (a controller's pods). */
function podScore(f: Finding, namespace: string, pod: string): number {
  if (f.subject.namespace !== namespace) return 0;
  if (f.subject.kind === 'Pod') return f.subject.name === pod ? 3 : 0;
  if (f.pods.includes(pod)) return 2;
  return pod.startsWith(f.subject.name + '-') ? 1 : 0;
}

export function linkTargets(report: Pick<AuditReport, 'findings'> | null): LinkTargets {
  const findings = report?.findings ?? [];
  const anchors = findingAnchors(findings);
  return {
    target({ check, namespace, pod }) {
      if (namespace === undefined || pod === undefined) {
        const i = findings.findIndex((f) => f.check === check);
        return i >= 0 && findings.filter((f) => f.check === check).length === 1 ? anchors[i]! : 'audit';
      }
      // The best match of the check; a longer subject name wins between two prefixes (web, web-api).
      let best = -1;
      let bestScore = 0;
      let workload: ObjectRef | undefined;
      let workloadScore = 0;
      findings.forEach((f, i) => {
        const score = podScore(f, namespace, pod);
        if (score === 0) return;
        const rank = score * 1000 + f.subject.name.length;
        if (f.check === check && rank > bestScore) {
          best = i;
          bestScore = rank;
        }
        if (rank > workloadScore) {
          workload = f.subject;
          workloadScore = rank;
        }
      });
      if (best >= 0) return anchors[best]!;
      return workload ? workloadAnchor(workload) : 'audit';
    },
  };
}
