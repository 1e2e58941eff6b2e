// The ways of running the same cluster that the simulation compares, on the same traffic:
// - graceful-scaler: the policy, through the real runner (runTick) on the in-process ports;
// - static: the user pool provisioned for the peak, nothing scaled but MDM's HPA;
// - manual: the seed's first routine — at 21:00 drain (like `kubectl drain`: evict everything,
//   wait up to 15 minutes, then stop the VM whatever still runs) all but a few user nodes, and start
//   them again at 07:30 (up to the static peak's count); 5 nodes stay up at night; the batch pool
//   excluded, as the seed did;
// - cluster-autoscaler-like: scale up on pending pods, scale down a node under 50 % requested
//   utilisation after 10 minutes (drain, wait at most 10 minutes, stop);
// - cluster-autoscaler-like, never interrupting: the same rules with max-graceful-termination-sec
//   raised to the BG workers' 20 hours (AKS lets a cluster autoscaler profile set it), so a drain
//   waits for every pod to end gracefully instead of stopping the VM after 10 minutes;
// - karpenter-like: Karpenter's consolidation (karpenter-like.ts).
// The manual, cluster-autoscaler and Karpenter strategies scale BG workers like KEDA (queue length /
// jobs per worker, 5-minute cooldown), the usual companion of cluster-autoscaler and Karpenter.

import { runTick } from '../../runner/run-tick';
import type { WorkerPolicy } from '../../core/policy';
import { localClock } from '../../core/schedule';
import type { NodeView } from '../../core/views';
import { karpenterLike } from './karpenter-like';
import { driveDrains, kedaLike, startNodesFor, type Drain } from './peer-actions';
import { HOUR, MINUTE } from './traffic';
import type { Strategy } from './simulation';
import { workloadPodsOn, type World } from './world';

export function gracefulScaler(): Strategy {
  return {
    name: 'graceful-scaler',
    initialNodes: ({ policy }) => policy.nodes?.minNodes ?? 1,
    initialBgReplicas: (worker) => worker?.minReplicas ?? 1,
    async step(world, now) {
      const { deps, policy } = world;
      // The Function timers: nodes every minute, workers every 30 s, the descheduler every 10 minutes.
      if (now % (30 * 1000) === 0 && policy.workers.length > 0) await runTick(world.workerDeps, policy, 'workers', { dryRun: false });
      if (now % MINUTE === 0 && policy.nodes) {
        const tick = await runTick(deps, policy, 'nodes', { dryRun: false });
        if (tick.status === 'acted' || tick.status === 'planned') world.forecastNodes = tick.decision.summary.nodes?.forecast?.nodes;
      }
      if (now % (10 * MINUTE) === 0 && policy.descheduler) await runTick(deps, policy, 'descheduler', { dryRun: false });
    },
  };
}

export function staticPeak(): Strategy {
  return {
    name: 'static peak',
    initialNodes: ({ staticNodes }) => staticNodes,
    initialBgReplicas: (worker) => worker?.maxReplicas ?? 1,
    async step() {},
  };
}

function runningUserNodes(world: World): NodeView[] {
  return world.userNodes().filter((n) => n.ready && n.power === 'running');
}

export function manualRoutine(options: { nightNodes?: number; downAt?: number; upAt?: number } = {}): Strategy {
  const downAt = options.downAt ?? 21 * 60;
  const upAt = options.upAt ?? 7 * 60 + 30;
  const drains = new Map<string, Drain>();
  const bg = kedaLike();
  let lastMinute = -1;
  return {
    name: 'manual night stop',
    // The routine starts its week at midnight: the night's nodes.
    initialNodes: ({ policy }) => options.nightNodes ?? Math.max(5, policy.nodes?.minNodes ?? 1),
    initialBgReplicas: (worker: WorkerPolicy | undefined) => worker?.minReplicas ?? 1,
    async step(world, now) {
      bg(world, now);
      const minute = localClock(now, world.policy.timezone, new Set()).minute;
      const nightNodes = options.nightNodes ?? Math.max(5, world.policy.nodes?.minNodes ?? 1);
      if (minute !== lastMinute && minute === downAt) {
        const running = runningUserNodes(world).filter((n) => !n.cordoned);
        for (const node of running.slice(nightNodes)) {
          await world.actions.cordon(node.name, { since: new Date(now).toISOString(), reason: 'nightly kubectl drain' });
          drains.set(node.name, { node, since: now, timeoutMs: 15 * MINUTE });
        }
      }
      if (minute !== lastMinute && minute === upAt) {
        // The day's fleet: as many nodes as static provisioning for the peak would keep.
        const nodes = world.userNodes();
        let running = nodes.filter((n) => n.power !== 'deallocated').length;
        for (const node of nodes) {
          if (node.cordoned && !drains.has(node.name)) await world.actions.uncordon(node.name);
          if (running >= world.staticNodes || node.power !== 'deallocated') continue;
          await world.vms.start(node).catch(() => undefined);
          running++;
        }
      }
      lastMinute = minute;
      await driveDrains(world, drains, now);
    },
  };
}

export function clusterAutoscalerLike(
  options: { threshold?: number; unneededMs?: number; maxGraceMs?: number; name?: string } = {},
): Strategy {
  const threshold = options.threshold ?? 0.5;
  const unneededMs = options.unneededMs ?? 10 * MINUTE;
  const maxGraceMs = options.maxGraceMs ?? 10 * MINUTE;
  const drains = new Map<string, Drain>();
  const unneededSince = new Map<string, number>();
  const bg = kedaLike();
  let lastScaleUp = -Infinity;
  return {
    name: options.name ?? 'cluster-autoscaler-like',
    initialNodes: ({ policy }) => policy.nodes?.minNodes ?? 1,
    initialBgReplicas: (worker) => worker?.minReplicas ?? 1,
    async step(world, now) {
      bg(world, now);
      const { cluster, policy } = world;
      const min = policy.nodes?.minNodes ?? 1;
      const max = policy.nodes?.maxNodes ?? 60;
      const nodes = world.userNodes();

      // Scale up: pending pods that a user node could take.
      const pending = cluster.pendingPods().filter((p) => p.spec.nodeSelector === undefined);
      if (pending.length > 0 && now - lastScaleUp >= 30_000) {
        await startNodesFor(world, pending, drains, max);
        lastScaleUp = now;
      }

      // Scale down: under the threshold for long enough, and its pods fit elsewhere.
      const schedulable = nodes.filter((n) => n.ready && !n.cordoned && n.power === 'running');
      let freeSlots = 0;
      const podCount = new Map<string, number>();
      for (const n of schedulable) {
        const count = cluster.podsOnNode(n.name).filter((p) => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed').length;
        podCount.set(n.name, count);
        freeSlots += n.allocatable.pods - count;
      }
      let active = schedulable.length;
      for (const n of schedulable) {
        const usage = cluster.nodeUsage(n.name);
        const util = Math.max(usage.cpu / n.allocatable.cpuMilli, usage.memory / n.allocatable.memoryBytes);
        if (util >= threshold) {
          unneededSince.delete(n.name);
          continue;
        }
        const since = unneededSince.get(n.name) ?? now;
        unneededSince.set(n.name, since);
        if (now - since < unneededMs || active <= min || pending.length > 0) continue;
        const workload = workloadPodsOn(cluster, n.name).length;
        // One non-empty node at a time; empty ones freely.
        if (workload > 0 && drains.size > 0) continue;
        if (freeSlots - (n.allocatable.pods - (podCount.get(n.name) ?? 0)) < workload) continue;
        await world.actions.cordon(n.name, { since: new Date(now).toISOString(), reason: 'cluster-autoscaler scale-down' });
        drains.set(n.name, { node: n, since: now, timeoutMs: maxGraceMs });
        unneededSince.delete(n.name);
        freeSlots -= n.allocatable.pods - (podCount.get(n.name) ?? 0);
        active--;
      }
      await driveDrains(world, drains, now);
    },
  };
}

/** The cluster-autoscaler-like rules with max-graceful-termination-sec at the BG workers' 20 hours: it never stops a VM under a pod still ending. */
export function clusterAutoscalerNeverInterrupting(): Strategy {
  return clusterAutoscalerLike({ maxGraceMs: 20 * HOUR, name: 'CA-like, never interrupting' });
}

export const STRATEGIES: readonly (() => Strategy)[] = [
  gracefulScaler,
  staticPeak,
  manualRoutine,
  clusterAutoscalerLike,
  clusterAutoscalerNeverInterrupting,
  karpenterLike,
];
