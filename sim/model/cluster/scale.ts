// The scale subresource of Deployments (autoscaling/v1 Scale): read, replace, patch.

import { badRequest, conflict, invalid, notFound } from '../api-errors';
import { cloneJson, isRecord, type Deployment } from '../objects';
import { applyPatch, type PatchType } from '../patch';
import { DEPLOYMENTS } from '../resources';
import { scaleOf, type Scale } from '../workloads';
import type { ClusterState } from './state';
import type { StoreWrites } from './writes';

export class ScaleSubresource {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
  ) {}

  get(ref: { namespace: string; name: string }): Scale {
    const deployment = this.state.store.get<Deployment>('Deployment', ref.namespace, ref.name);
    if (deployment === undefined) throw notFound(DEPLOYMENTS, ref.name);
    return scaleOf(deployment);
  }

  replace(ref: { namespace: string; name: string }, body: unknown): Scale {
    const deployment = this.state.store.get<Deployment>('Deployment', ref.namespace, ref.name);
    if (deployment === undefined) throw notFound(DEPLOYMENTS, ref.name);
    if (!isRecord(body) || !isRecord(body.spec)) throw badRequest('the body of a scale update must be an autoscaling/v1 Scale');
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (typeof meta.name === 'string' && meta.name !== ref.name)
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${ref.name})`);
    if (
      typeof meta.resourceVersion === 'string' &&
      meta.resourceVersion !== '' &&
      meta.resourceVersion !== deployment.metadata.resourceVersion
    ) {
      throw conflict(DEPLOYMENTS, ref.name);
    }
    const replicas = body.spec.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid({ group: 'autoscaling', kind: 'Scale', plural: 'scales' }, ref.name, [
        { field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
      ]);
    }
    const next = cloneJson(deployment);
    next.spec.replicas = replicas;
    const stored = this.writes.updateObject(DEPLOYMENTS, deployment, next) as Deployment;
    return scaleOf(stored);
  }

  patch(ref: { namespace: string; name: string }, patch: unknown, type: PatchType): Scale {
    const current = this.get(ref);
    const patched = applyPatch(current, patch, type);
    if (isRecord(patched) && isRecord(patched.metadata) && patched.metadata.resourceVersion === current.metadata.resourceVersion) {
      patched.metadata.resourceVersion = '';
    }
    return this.replace(ref, patched);
  }
}
