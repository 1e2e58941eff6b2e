// policy/v1 Eviction, as the API server's eviction subresource: a 429 when the pod's PDB allows no
// disruption, a 500 when more than one PDB selects the pod, a 404 when the pod is gone; an allowed
// eviction is a graceful delete and takes one from the PDB's disruptionsAllowed.

import { badRequest, internalError, notFound } from '../api-errors';
import { formatTime } from '../clock';
import { budgetRefusal, evictionVerdict, withDisruption } from '../disruption';
import { objectKey } from '../object-store';
import { isRecord, type Pod, type PodDisruptionBudget } from '../objects';
import { PODS } from '../resources';
import type { DisruptionController } from './disruption-controller';
import type { PodLifecycle } from './pod-lifecycle';
import type { ClusterState } from './state';
import { checkPreconditions, type DeleteOptions } from './writes';

/** `dryRun: ["All"]`, as DeleteOptions carry it; any other value is refused, as by the API server. */
export function isDryRun(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value) && value.length === 0) return false;
  if (Array.isArray(value) && value.every((v) => v === 'All')) return true;
  throw badRequest(`Invalid value: ${JSON.stringify(value)}: supported values: "All"`);
}

export class Eviction {
  constructor(
    private readonly state: ClusterState,
    private readonly pods: PodLifecycle,
    private readonly disruption: DisruptionController,
  ) {}

  /** A dry run (`deleteOptions.dryRun: ["All"]` or the `dryRun` flag) makes every check and changes nothing. */
  evict(ref: { namespace: string; name: string }, body: unknown = {}, dryRunFlag = false): void {
    const state = this.state;
    const key = objectKey(ref.namespace, ref.name);
    if (!isRecord(body)) throw badRequest('the body of an eviction must be a policy/v1 Eviction');
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (typeof meta.name === 'string' && meta.name !== '' && meta.name !== ref.name)
      throw badRequest('name in URL does not match name in Eviction object');
    if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== ref.namespace) {
      throw badRequest('namespace in URL does not match namespace in Eviction object');
    }
    const options = isRecord(body.deleteOptions) ? (body.deleteOptions as DeleteOptions & { dryRun?: unknown }) : {};
    const dryRun = dryRunFlag || isDryRun(options.dryRun);
    const pod = state.store.getByKey<Pod>('Pod', key);
    if (pod === undefined) throw notFound(PODS, ref.name);
    checkPreconditions(PODS, pod, options.preconditions);

    // Finished, not yet running or already going: no budget to check (canIgnorePDB).
    const phase = pod.status.phase ?? 'Pending';
    if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined) {
      if (dryRun) return;
      this.pods.deletePod(key, options.gracePeriodSeconds, 'EvictionByEvictionAPI');
      return;
    }
    const pdbs = state.pdbIndex.selecting(key, pod.metadata.namespace);
    if (pdbs.length > 1)
      throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (dryRun && pdbs.length === 0) return;
    const pdbKey = pdbs[0];
    if (pdbKey !== undefined) {
      this.disruption.refresh(pdbKey);
      const pdb = state.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', pdbKey)!;
      const verdict = evictionVerdict(pod, pdb);
      if (verdict === 'refused') throw budgetRefusal(pdb);
      if (dryRun) return;
      if (verdict === 'takes-a-disruption')
        state.store.put('PodDisruptionBudget', withDisruption(pdb, pod.metadata.name, formatTime(state.now())));
    }
    this.pods.deletePod(key, options.gracePeriodSeconds, 'EvictionByEvictionAPI');
  }
}
