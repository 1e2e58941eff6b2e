// Which workloads and pods a PDB selects: shared by the PDB checks (7, 8, 18).

import { matchesSelector } from '../../selector';
import { podLabelSets, type Pdb } from '../context';
import { livePods, type Workload } from '../workloads';

export interface Selected {
  workloads: Workload[];
  /** Pods the budget counts: live pods, or for a workload without pods in the dump its replicas. */
  expected: number;
}

export function selectedBy(pdb: Pdb, workloads: readonly Workload[]): Selected {
  const ns = pdb.object.metadata.namespace;
  const selector = pdb.selector;
  if (!selector) return { workloads: [], expected: 0 };
  const chosen = workloads.filter((w) => w.ref.namespace === ns && podLabelSets(w).some((l) => matchesSelector(selector, l)));
  let expected = 0;
  for (const w of chosen) {
    const live = livePods(w).filter((p) => matchesSelector(selector, p.metadata.labels)).length;
    expected += live > 0 ? Math.max(live, w.replicas ?? 0) : (w.replicas ?? (w.pods.length === 0 ? 1 : 0));
  }
  return { workloads: chosen, expected };
}

/** `{minAvailable: 2}` → the number of pods that may be down given `expected` pods; percentages round as the disruption controller does. */
export function allowedBySpec(
  spec: { minAvailable?: number | string; maxUnavailable?: number | string } | undefined,
  expected: number,
): number | undefined {
  const pct = (v: string) => Number(v.slice(0, -1)) / 100;
  if (spec?.maxUnavailable !== undefined) {
    const v = spec.maxUnavailable;
    return typeof v === 'number' ? v : Math.ceil(pct(v) * expected);
  }
  if (spec?.minAvailable !== undefined) {
    const v = spec.minAvailable;
    return expected - (typeof v === 'number' ? v : Math.ceil(pct(v) * expected));
  }
  return undefined;
}
