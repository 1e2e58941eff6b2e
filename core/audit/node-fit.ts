// Which nodes a pod template could run on, by the rules that do not depend on free room: Ready and
// schedulable, its nodeSelector, its required node affinity, the taints it tolerates. Enough to
// say "nowhere else to go"; the scheduler's resource fit is not the audit's business.

import { termMatches } from '../fit';
import type { KubeObject, PodSpec, Toleration } from './objects';

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

export function schedulableNodes(nodes: readonly KubeObject[]): KubeObject[] {
  return nodes.filter((n) => isReady(n) && n.spec?.unschedulable !== true);
}

/** Whether the selector, affinity and tolerations of `spec` let it onto `node`. */
export function fits(spec: PodSpec, node: KubeObject): boolean {
  const labels = node.metadata.labels;
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length > 0 && !terms.some((t) => termMatches(t, labels, node.metadata.name))) return false;
  const taints: Taint[] = node.spec?.taints ?? [];
  return taints.every((t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerates(spec.tolerations ?? [], t));
}
