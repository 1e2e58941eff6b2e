// A Deployment's rollout, once its pod template changed (`kubectl apply` of a new image,
// `kubectl rollout restart`): a new ReplicaSet for the new template, scaled up within maxSurge
// while the old ones are scaled down within maxUnavailable (RollingUpdate, the default: 25 % each),
// or the old ones emptied first (Recreate); the revision annotations kubectl's `rollout history`
// reads; and the status `kubectl rollout status` waits on (updatedReplicas, replicas, available).
//
// A Deployment whose template never changed (everything the simulator runs) never comes here: it
// keeps the one-ReplicaSet path of the Deployment controller, so its writes are what they were.

import { formatTime } from '../../clock';
import { objectKey } from '../../object-store';
import { cloneJson, controllerOf, sameJson, type Deployment, type ReplicaSet } from '../../objects';
import { jsonEqual } from '../../patch';
import { REPLICA_SETS } from '../../resources';
import { replicaSetFor, templateHash } from '../../workloads';
import { deploymentConditions } from '../../workload-status';
import type { ClusterState } from '../state';
import { withStatus, type StoreWrites } from '../writes';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

/** maxSurge / maxUnavailable: an absolute number or a percentage of the desired replicas. */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean, otherwise: string): number {
  const given = typeof value === 'number' || typeof value === 'string' ? value : otherwise;
  if (typeof given === 'number') return Math.max(0, Math.floor(given));
  const match = /^(\d+)%$/.exec(given);
  if (match === null) return /^\d+$/.test(given) ? Number(given) : 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * A pod template as compared for "is this ReplicaSet the Deployment's current one": without the
 * ReplicaSet's pod-template-hash label, and without a null creationTimestamp (what Go writes for
 * an unset one, and what `kubectl rollout undo` copies back into the Deployment).
 */
function comparable(template: ReplicaSet['spec']['template']): unknown {
  const { [HASH_LABEL]: _hash, ...labels } = template.metadata?.labels ?? {};
  const { creationTimestamp: _created, ...metadata } = (template.metadata ?? {}) as Record<string, unknown>;
  return { ...template, metadata: { ...metadata, labels } };
}

function revisionOf(rs: ReplicaSet): number {
  const value = Number(rs.metadata.annotations?.[REVISION] ?? '0');
  return Number.isFinite(value) ? value : 0;
}

export class Rollouts {
  /** Deployments with a rollout under way: synced here until the old ReplicaSets are empty. */
  private readonly rolling = new Set<string>();

  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
  ) {}

  /**
   * Whether this Deployment is rolling out (its template changed, or it was and has not finished).
   * A paused one starts no rollout: its template change waits for `rollout resume`.
   */
  owns(key: string, deployment: Deployment): boolean {
    if (deployment.spec.paused === true) return this.rolling.has(key);
    return this.state.templateChanged.delete(key) ? (this.rolling.add(key), true) : this.rolling.has(key);
  }

  sync(deployment: Deployment): void {
    const state = this.state;
    const key = objectKey(deployment.metadata.namespace, deployment.metadata.name);
    const owned = state.store
      .page('ReplicaSet', { namespace: deployment.metadata.namespace })
      .items.filter((rs) => controllerOf(rs)?.uid === deployment.metadata.uid) as ReplicaSet[];
    // Paused mid-rollout: every ReplicaSet stays as it is until resumed.
    if (deployment.spec.paused === true) return;
    const wanted = comparable(deployment.spec.template);
    // Key order aside: `rollout undo` sends the template back with its keys in another order.
    let current = owned.find((rs) => jsonEqual(comparable(rs.spec.template), wanted));
    const desired = deployment.spec.replicas ?? 1;
    if (current === undefined) current = this.createReplicaSet(deployment, owned);
    else current = this.makeLatest(current, owned);
    state.replicaSetOfDeployment.set(key, objectKey(current.metadata.namespace, current.metadata.name));
    const currentUid = current.metadata.uid;
    const olds = owned
      .filter((rs) => rs.metadata.uid !== currentUid)
      .sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));

    if (deployment.spec.strategy !== undefined && (deployment.spec.strategy as { type?: string }).type === 'Recreate') {
      const stillRunning = olds.some((rs) => (rs.spec.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
      for (const rs of olds) if ((rs.spec.replicas ?? 0) > 0) this.scale(rs, 0, desired);
      if (!stillRunning) current = this.scale(current, desired, desired);
    } else current = this.rollingUpdate(deployment, current, olds, desired);

    const all = [
      current,
      ...olds.map((rs) => state.store.getByKey<ReplicaSet>('ReplicaSet', objectKey(rs.metadata.namespace, rs.metadata.name)) ?? rs),
    ];
    const done = all.every((rs) => rs === current || ((rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0));
    const complete = done && (current.status?.availableReplicas ?? 0) >= desired && (current.spec.replicas ?? 0) === desired;
    if (complete) this.rolling.delete(key);
    this.writeStatus(deployment, current, all, complete);
  }

  private rollingUpdate(deployment: Deployment, current: ReplicaSet, olds: ReplicaSet[], desired: number): ReplicaSet {
    const strategy = (deployment.spec.strategy as { rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } | undefined)
      ?.rollingUpdate;
    const surge = resolveIntOrPercent(strategy?.maxSurge, desired, true, '25%');
    let unavailable = resolveIntOrPercent(strategy?.maxUnavailable, desired, false, '25%');
    if (surge === 0 && unavailable === 0) unavailable = 1;
    const total = (): number => [current, ...olds].reduce((sum, rs) => sum + (rs.spec.replicas ?? 0), 0);
    const currentReplicas = current.spec.replicas ?? 0;
    if (currentReplicas > desired) current = this.scale(current, desired, desired);
    else if (currentReplicas < desired) {
      const room = desired + surge - total();
      if (room > 0) current = this.scale(current, Math.min(desired, currentReplicas + room), desired);
    }
    // Old pods go only while enough pods stay available: what is not yet available of the new
    // ReplicaSet does not count towards the minimum.
    const newUnavailable = Math.max(0, (current.spec.replicas ?? 0) - (current.status?.availableReplicas ?? 0));
    let budget = total() - (desired - unavailable) - newUnavailable;
    for (let i = 0; i < olds.length && budget > 0; i++) {
      const rs = olds[i]!;
      const replicas = rs.spec.replicas ?? 0;
      if (replicas === 0) continue;
      const down = Math.min(replicas, budget);
      olds[i] = this.scale(rs, replicas - down, desired);
      budget -= down;
    }
    return current;
  }

  /** A rollback to an old ReplicaSet's template brings that ReplicaSet back as the newest revision. */
  private makeLatest(rs: ReplicaSet, owned: readonly ReplicaSet[]): ReplicaSet {
    const latest = Math.max(0, ...owned.map(revisionOf));
    if (revisionOf(rs) === latest) return rs;
    const next = cloneJson(rs);
    next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(latest + 1) };
    return this.writes.updateObject(REPLICA_SETS, rs, next) as ReplicaSet;
  }

  private createReplicaSet(deployment: Deployment, owned: readonly ReplicaSet[]): ReplicaSet {
    const store = this.state.store;
    let hash = templateHash(deployment.spec.template);
    // A name taken by another template (a hash collision) gets another hash, as collisionCount does.
    for (
      let collision = 1;
      store.get('ReplicaSet', deployment.metadata.namespace, `${deployment.metadata.name}-${hash}`) !== undefined;
      collision++
    )
      hash = templateHash({ ...deployment.spec.template, collision } as never);
    const rs = replicaSetFor(deployment, hash);
    rs.spec.replicas = 0;
    const revision = String(Math.max(0, ...owned.map(revisionOf)) + 1);
    rs.metadata.annotations = { ...rs.metadata.annotations, [REVISION]: revision };
    return this.writes.createObject(REPLICA_SETS, rs) as ReplicaSet;
  }

  private scale(rs: ReplicaSet, replicas: number, desired: number): ReplicaSet {
    if ((rs.spec.replicas ?? 0) === replicas) return rs;
    const next = cloneJson(rs);
    next.spec.replicas = replicas;
    next.metadata.annotations = { ...next.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(desired) };
    return this.writes.updateObject(REPLICA_SETS, rs, next) as ReplicaSet;
  }

  private writeStatus(deployment: Deployment, current: ReplicaSet, all: readonly ReplicaSet[], complete: boolean): void {
    const now = formatTime(this.state.now());
    const sum = (field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number =>
      all.reduce((total, rs) => total + (rs.status?.[field] ?? 0), 0);
    const desired = deployment.spec.replicas ?? 1;
    const available = sum('availableReplicas');
    const strategy = deployment.spec.strategy as { rollingUpdate?: { maxUnavailable?: unknown } } | undefined;
    const enough = available >= desired - resolveIntOrPercent(strategy?.rollingUpdate?.maxUnavailable, desired, false, '25%');
    const conditions = deploymentConditions(deployment, enough, current.metadata.name, complete, now);
    const status: NonNullable<Deployment['status']> = { observedGeneration: deployment.metadata.generation ?? 1 };
    const replicas = sum('replicas');
    if (replicas > 0) status.replicas = replicas;
    if ((current.status?.replicas ?? 0) > 0) status.updatedReplicas = current.status!.replicas;
    if (sum('readyReplicas') > 0) status.readyReplicas = sum('readyReplicas');
    if (available > 0) status.availableReplicas = available;
    if (desired - available > 0) status.unavailableReplicas = desired - available;
    status.conditions = conditions;
    if (!sameJson(deployment.status, status)) this.state.store.put('Deployment', withStatus(deployment, status));
    const revision = current.metadata.annotations?.[REVISION];
    if (revision !== undefined && deployment.metadata.annotations?.[REVISION] !== revision) {
      const latest = this.state.store.get<Deployment>('Deployment', deployment.metadata.namespace, deployment.metadata.name)!;
      const next = cloneJson(latest);
      next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: revision };
      this.state.store.put('Deployment', next);
    }
  }
}
