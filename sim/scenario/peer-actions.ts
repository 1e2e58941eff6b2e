// What the peer strategies (strategies.ts, karpenter-like.ts) do alike: scale BG workers as KEDA
// would, start nodes for pending pods, and drive their drains.

import type { NodeView } from '../../core/views';
import { cpuMilli, memoryBytes } from '../../core/quantity';
import type { DeepReadonly, Pod } from '../model/objects';
import { MINUTE } from './traffic';
import { workloadPodsOn, type World } from './world';

/** KEDA-like: replicas = ceil(messages / jobsPerWorker) within min..max, down only after a 5-minute cooldown. */
export function kedaLike(): (world: World, now: number) => void {
  let lastActive = 0;
  let current: number | undefined;
  return (world, now) => {
    const worker = world.worker;
    if (!worker) return;
    let messages = 0;
    for (const name of worker.queues) {
      const q = world.queues.get(name);
      if (q) messages += q.visibleCount + q.inFlightCount;
    }
    const desired = Math.max(worker.minReplicas, Math.min(worker.maxReplicas, Math.ceil(messages / worker.jobsPerWorker)));
    current ??= world.cluster.deployment(worker.namespace, worker.deployment)?.spec.replicas ?? desired;
    if (desired >= current) lastActive = now;
    if (desired > current || (desired < current && now - lastActive >= 5 * MINUTE)) {
      world.cluster.replaceScale({ namespace: worker.namespace, name: worker.deployment }, { spec: { replicas: desired } });
      current = desired;
    }
  };
}

export interface Drain {
  node: NodeView;
  since: number;
  timeoutMs: number;
}

/**
 * Evicts what is left on draining nodes (retrying PDB refusals; pods `evictable` refuses are left to
 * end by themselves) and stops those empty or past their timeout.
 */
export async function driveDrains(
  world: World,
  drains: Map<string, Drain>,
  now: number,
  evictable: (pod: DeepReadonly<Pod>) => boolean = () => true,
): Promise<void> {
  for (const [name, drain] of drains) {
    const left = workloadPodsOn(world.cluster, name);
    for (const pod of left) {
      if (pod.metadata.deletionTimestamp === undefined && evictable(pod)) world.actions.evictNow(pod.metadata.namespace, pod.metadata.name);
    }
    const stillThere = workloadPodsOn(world.cluster, name);
    if (stillThere.length === 0 || now - drain.since >= drain.timeoutMs) {
      try {
        await world.vms.deallocate(drain.node);
      } catch {
        // refused: try again next step
        continue;
      }
      drains.delete(name);
    }
  }
}

const DS_PODS = 6;

/** User nodes counted against the pool's maximum: every VM not deallocated, or not known to be. */
export function poolNodes(nodes: readonly NodeView[]): { running: NodeView[]; starting: number } {
  return {
    running: nodes.filter(
      (n) => n.power === 'running' || n.power === 'starting' || n.power === 'unknown' || (!n.ready && n.power !== 'deallocated'),
    ),
    starting: nodes.filter((n) => n.power === 'starting' || (n.power !== 'deallocated' && !n.ready)).length,
  };
}

/**
 * Scale up for pending pods: as many nodes as they need by pods, cpu and memory (less those already
 * starting), deallocated VMs first, then new ones; never above `max` counted in `running`.
 */
export async function startNodesFor(
  world: World,
  pending: readonly DeepReadonly<Pod>[],
  drains: ReadonlyMap<string, Drain>,
  max: number,
): Promise<void> {
  const nodes = world.userNodes();
  const { running, starting } = poolNodes(nodes);
  const sample = nodes[0];
  const podsPerNode = (sample?.allocatable.pods ?? 30) - DS_PODS;
  let cpu = 0;
  let mem = 0;
  for (const p of pending) {
    for (const c of p.spec.containers) {
      cpu += cpuMilli(c.resources?.requests?.cpu ?? '0') ?? 0;
      mem += memoryBytes(c.resources?.requests?.memory ?? '0') ?? 0;
    }
  }
  const alloc = sample?.allocatable ?? { cpuMilli: 3860, memoryBytes: 12 * 2 ** 30 };
  const needed = Math.max(
    Math.ceil(pending.length / podsPerNode),
    Math.ceil(cpu / (alloc.cpuMilli - 230)),
    Math.ceil(mem / (alloc.memoryBytes - 260 * 2 ** 20)),
  );
  let toAdd = Math.min(needed - starting, max - running.length);
  for (const node of nodes) {
    if (toAdd <= 0) break;
    if (node.power !== 'deallocated' || drains.has(node.name)) continue;
    await world.vms.start(node).catch(() => undefined);
    if (node.cordoned) await world.actions.uncordon(node.name);
    toAdd--;
  }
  if (toAdd > 0) await world.vms.addNodes('user', toAdd).catch(() => undefined);
}
