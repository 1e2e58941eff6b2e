// 7. A PDB that allows no disruption, by its spec (maxUnavailable 0, minAvailable = every pod) or
// at the time of the dump (status.disruptionsAllowed 0): every eviction of its pods is refused, so
// their nodes never drain by eviction.

import type { Draft } from './kit';
import { pdbRef, verdicts, type Check } from './kit';
import { allowedBySpec, selectedBy } from './pdb-selection';

export const pdbAllowsNoDisruption: Check = {
  info: {
    number: 7,
    id: 'pdb-allows-no-disruption',
    title: 'PodDisruptionBudget allowing 0 disruptions',
    severity: 'blocks',
    help: 'A PodDisruptionBudget whose spec allows no pod down (maxUnavailable: 0, or minAvailable equal to the number of pods) refuses every eviction (HTTP 429): graceful-scaler and Karpenter wait, cluster-autoscaler gives up on the node (NotEnoughPdb), the descheduler skips the pods, kubectl drain retries forever and an AKS upgrade fails after its drain timeout (platform-initiated upgrades may override the budget). Allow at least one pod down, and run enough replicas for that to be safe.',
  },
  pdb(pdb, _ctx, workloads) {
    const spec = pdb.object.spec as { minAvailable?: number | string; maxUnavailable?: number | string } | undefined;
    const selected = selectedBy(pdb, workloads);
    if (selected.workloads.length === 0) return [];
    const bySpec = allowedBySpec(spec, selected.expected);
    const status = pdb.object.status as
      { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number } | undefined;
    const names = selected.workloads.map((w) => `${w.ref.kind} ${w.ref.name}`).join(', ');
    const refuses = verdicts({
      'graceful-scaler': ['refuses', 'its evictions get 429; the drain waits and is given back'],
      'cluster-autoscaler': ['refuses', 'NotEnoughPdb: the node is not scaled down'],
      karpenter: ['refuses', 'evictions get 429; the node is not consolidated (only a NodePool terminationGracePeriod forces it)'],
      descheduler: ['refuses', 'evictions get 429'],
      drain: ['refuses', 'kubectl drain retries forever; an AKS upgrade fails after the drain timeout'],
    });
    const out: Draft[] = [];
    if (bySpec !== undefined && bySpec <= 0) {
      const field = spec?.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
      out.push({
        message: `PodDisruptionBudget ${pdb.object.metadata.namespace}/${pdb.object.metadata.name} allows no pod of ${names} down (${field}: ${String(spec?.[field])} with ${selected.expected} pod(s))`,
        evidence: [
          { path: `spec.${field}`, value: spec?.[field] },
          { path: 'pods it selects', value: selected.expected },
        ],
        verdicts: refuses,
        fix: {
          type: 'merge',
          target: pdbRef(pdb),
          patch: { spec: { maxUnavailable: 1, minAvailable: null } },
          description: 'allow one pod down at a time (and run at least two replicas)',
        },
      });
    } else if (status?.disruptionsAllowed === 0 && (status.expectedPods ?? selected.expected) > 0) {
      out.push({
        message: `PodDisruptionBudget ${pdb.object.metadata.namespace}/${pdb.object.metadata.name} allowed no disruption when the dump was taken (${status.currentHealthy ?? '?'} healthy of ${status.desiredHealthy ?? '?'} desired): its pods are not healthy enough`,
        evidence: [
          { path: 'status.disruptionsAllowed', value: 0 },
          { path: 'status.currentHealthy', value: status.currentHealthy ?? null },
          { path: 'status.desiredHealthy', value: status.desiredHealthy ?? null },
        ],
        verdicts: refuses,
      });
    }
    return out;
  },
};
