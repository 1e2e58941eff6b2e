// A Karpenter-like peer: a NodePool with `consolidationPolicy: WhenEmptyOrUnderutilized`, modelled on
// Karpenter's documented disruption behaviour (karpenter.sh/docs/concepts/disruption, "Consolidation",
// "NodePool Disruption Budgets", "Pod-Level Controls", "Termination Controller"):
// - provisioning: pending pods get nodes at once (the cluster-autoscaler-like arithmetic; one VM size,
//   so no instance-type choice to make);
// - consolidation, while no pod is pending: first every empty node (no running non-DaemonSet pods) is
//   deleted; then nodes whose pods all fit on the free capacity of the other nodes, "preferring to
//   terminate nodes running fewer pods": the longest run of candidates in that order that can go
//   together (multi-node consolidation), else the first that can go alone (single-node). No
//   utilisation threshold: under WhenEmptyOrUnderutilized any node whose pods fit elsewhere is a
//   candidate once `consolidateAfter` (default 0s) has passed since a pod was added or removed. With
//   a single VM size, "replace with a cheaper node" never applies;
// - a node is not a candidate while a pod on it has `karpenter.sh/do-not-disrupt: "true"` or a PDB
//   that allows no disruption now. The BG workers here mark themselves busy with the
//   graceful-scaler busy annotation; a Karpenter user would have them set do-not-disrupt instead, so
//   this peer reads the busy annotation as do-not-disrupt (the workload is unchanged);
// - disruption budget `nodes: 10%` (Karpenter's default): allowed = roundup(total × 10 %) − nodes
//   being deleted − nodes not ready;
// - termination: the node is tainted (cordoned here), its pods evicted through the Eviction API
//   (PDBs respected, retried), do-not-disrupt pods not evicted but waited for; with no
//   terminationGracePeriod (the default) the VM goes only once every pod has left. Karpenter deletes
//   the VM; here it is deallocated, which bills the same and starts again as fast as a new one.

import { BUSY, DO_NOT_DISRUPT } from '../../core/annotations';
import { matchesSelector } from '../../core/selector';
import type { NodeView, PdbView } from '../../core/views';
import type { DeepReadonly, Pod } from '../model/objects';
import type { Strategy } from './simulation';
import { driveDrains, kedaLike, poolNodes, startNodesFor, type Drain } from './peer-actions';
import { podRequests, type Ask } from './user-pool-load';
import { workloadPodsOn, type World } from './world';

export interface KarpenterOptions {
  /** The NodePool disruption budget as a fraction of its nodes; default 0.1 (`nodes: 10%`). */
  budget?: number;
  /** `consolidateAfter`; default 0. */
  consolidateAfterMs?: number;
}

function doNotDisrupt(pod: DeepReadonly<Pod>): boolean {
  if (pod.metadata.deletionTimestamp !== undefined) return false; // ignored for terminating pods
  const a = pod.metadata.annotations;
  return a?.[DO_NOT_DISRUPT] === 'true' || a?.[BUSY] === 'true';
}

interface Room {
  name: string;
  pods: number;
  cpu: number;
  memory: number;
}

/** First fit, largest cpu first, into `rooms` (changed in place when everything fits). */
export function fitsInto(asks: readonly Ask[], rooms: Room[]): boolean {
  const trial = rooms.map((r) => ({ ...r }));
  for (const ask of [...asks].sort((a, b) => b.cpu - a.cpu)) {
    const room = trial.find((r) => r.pods >= 1 && r.cpu >= ask.cpu && r.memory >= ask.memory);
    if (room === undefined) return false;
    room.pods--;
    room.cpu -= ask.cpu;
    room.memory -= ask.memory;
  }
  trial.forEach((r, i) => Object.assign(rooms[i]!, r));
  return true;
}

export function karpenterLike(options: KarpenterOptions = {}): Strategy {
  const budget = options.budget ?? 0.1;
  const consolidateAfterMs = options.consolidateAfterMs ?? 0;
  const drains = new Map<string, Drain>();
  /** Per node: its workload pods' names as last seen, and since when they have not changed. */
  const settled = new Map<string, { pods: string; since: number }>();
  const bg = kedaLike();
  return {
    name: 'karpenter-like',
    initialNodes: ({ policy }) => policy.nodes?.minNodes ?? 1,
    initialBgReplicas: (worker) => worker?.minReplicas ?? 1,
    async step(world, now) {
      bg(world, now);
      const { cluster } = world;
      const max = world.policy.nodes?.maxNodes ?? 60;
      const pending = cluster.pendingPods().filter((p) => p.spec.nodeSelector === undefined);
      if (pending.length > 0) await startNodesFor(world, pending, drains, max);
      else await consolidate(world, now);
      await driveDrains(world, drains, now, (pod) => !doNotDisrupt(pod));
    },
  };

  async function consolidate(world: World, now: number): Promise<void> {
    const { cluster } = world;
    const nodes = world.userNodes();
    const { running } = poolNodes(nodes);
    const notReady = running.filter((n) => !n.ready && !drains.has(n.name)).length;
    let allowed = Math.ceil(running.length * budget) - drains.size - notReady;
    const schedulable = nodes.filter((n) => n.ready && !n.cordoned && n.power === 'running' && !drains.has(n.name));
    if (consolidateAfterMs > 0) {
      for (const n of schedulable) {
        const names = workloadPodsOn(cluster, n.name)
          .map((p) => p.metadata.name)
          .join(',');
        const seen = settled.get(n.name);
        if (seen === undefined || seen.pods !== names) settled.set(n.name, { pods: names, since: now });
      }
    }
    if (allowed <= 0) return;
    const podsOf = new Map(schedulable.map((n) => [n.name, workloadPodsOn(cluster, n.name)]));
    let pdbs: PdbView[] | undefined;
    const blocked = (pod: DeepReadonly<Pod>) => {
      pdbs ??= world.reader.readNow().pdbs;
      const labels = pod.metadata.labels ?? {};
      return pdbs.some(
        (b) =>
          b.namespace === pod.metadata.namespace &&
          b.disruptionsAllowed <= 0 &&
          b.selector !== undefined &&
          matchesSelector(b.selector, labels),
      );
    };
    const candidates = schedulable
      .filter((n) => consolidateAfterMs === 0 || now - settled.get(n.name)!.since >= consolidateAfterMs)
      .filter((n) => !podsOf.get(n.name)!.some((p) => doNotDisrupt(p) || blocked(p)))
      .sort((a, b) => podsOf.get(a.name)!.length - podsOf.get(b.name)!.length);

    const chosen: NodeView[] = [];
    for (const n of candidates) {
      if (allowed <= 0 || podsOf.get(n.name)!.length > 0) break;
      chosen.push(n);
      allowed--;
    }
    const rest = candidates.slice(chosen.length);
    if (allowed > 0 && rest.length > 0) {
      const rooms = (except: ReadonlySet<string>): Room[] =>
        schedulable
          .filter((n) => !except.has(n.name))
          .map((n) => {
            const used = cluster.nodeUsage(n.name);
            return {
              name: n.name,
              pods: n.allocatable.pods - used.pods,
              cpu: n.allocatable.cpuMilli - used.cpu,
              memory: n.allocatable.memoryBytes - used.memory,
            };
          });
      // Multi-node: the longest run in order whose pods fit on the nodes that stay.
      const gone = new Set(chosen.map((n) => n.name));
      let multi: NodeView[] = [];
      for (let k = 1; k <= Math.min(rest.length, allowed); k++) {
        const set = new Set([...gone, ...rest.slice(0, k).map((n) => n.name)]);
        const asks = rest.slice(0, k).flatMap((n) => podsOf.get(n.name)!.map(podRequests));
        if (!fitsInto(asks, rooms(set))) break;
        multi = rest.slice(0, k);
      }
      // Single-node: the first that fits alone.
      if (multi.length === 0) {
        const single = rest.find((n) => fitsInto(podsOf.get(n.name)!.map(podRequests), rooms(new Set([...gone, n.name]))));
        if (single !== undefined) multi = [single];
      }
      chosen.push(...multi);
    }
    for (const n of chosen) {
      await world.actions.cordon(n.name, { since: new Date(now).toISOString(), reason: 'karpenter consolidation' });
      drains.set(n.name, { node: n, since: now, timeoutMs: Infinity });
    }
  }
}
