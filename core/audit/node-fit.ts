// Which nodes a pod template could run on, by the rules that do not depend on free room: Ready and
// schedulable, its nodeSelector, its required node affinity, the taints it tolerates. Enough to
// say "nowhere else to go"; the scheduler's resource fit is not the audit's business.

import type { KubeObject, NodeSelectorRequirement, PodSpec, Toleration } from './objects';

interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

function isReady(node: KubeObject): boolean {
  const conditions: { type?: string; status?: string }[] = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  // A node written by hand without status is taken as Ready.
  return ready === undefined ? conditions.length === 0 : ready.status === 'True';
}

function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key === undefined || t.key === '') return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** One node selector requirement against a node's labels (also the simulated scheduler's, for preferred terms). */
export function requirementHolds(r: NodeSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return v !== undefined && values.includes(v);
    case 'NotIn':
      return v === undefined || !values.includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
      return v !== undefined && Number(v) > Number(values[0]);
    case 'Lt':
      return v !== undefined && Number(v) < Number(values[0]);
    default:
      return false;
  }
}

export function schedulableNodes(nodes: readonly KubeObject[]): KubeObject[] {
  return nodes.filter((n) => isReady(n) && n.spec?.unschedulable !== true);
}

/** Whether the selector, affinity and tolerations of `spec` let it onto `node`. */
export function fits(spec: PodSpec, node: KubeObject): boolean {
  const labels = node.metadata.labels;
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length > 0 && !terms.some((t) => (t.matchExpressions ?? []).every((r) => requirementHolds(r, labels)))) return false;
  const taints: Taint[] = node.spec?.taints ?? [];
  return taints.every((t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(spec.tolerations ?? [], t));
}
