// Nonsense in, no action out. Before any planner runs, the input is checked for what cannot be a
// real cluster or a policy that fits it: a snapshot without nodes (a dump of only Deployments or
// Events), a pool or selector that matches nothing, a worker whose Deployment or queue does not
// exist. A planner fed that would still plan confidently (add five nodes to a pool that does not
// exist), so the scaler concerned is refused instead, with the field at fault and what to do.

import type { Refusal } from './decision';
import type { Policy } from './policy';
import type { ScalerName } from './scalers';
import { matchesSelector } from './selector';
import type { NodeView, Snapshot } from './views';

const AGENTPOOL = 'kubernetes.azure.com/agentpool';

/** Every problem of the scalers asked for, in scaler order; empty when each may be planned. */
export function checkSanity(snapshot: Snapshot, policy: Policy, scalers: readonly ScalerName[]): Refusal[] {
  const refused: Refusal[] = [];
  for (const scaler of scalers) {
    if (!hasSection(policy, scaler)) continue;
    if (snapshot.nodes.length === 0) {
      refused.push({
        scaler,
        field: 'snapshot.nodes',
        problem: 'the cluster as read has no nodes at all',
        fix: 'read the whole cluster (kubectl get nodes,pods,poddisruptionbudgets,deployments -A -o json); a dump of only Deployments or Events is not a cluster',
      });
      continue;
    }
    if (scaler === 'nodes') refused.push(...checkPools(snapshot, policy));
    if (scaler === 'workers') refused.push(...checkWorkers(snapshot, policy));
    if (scaler === 'descheduler') refused.push(...checkDescheduler(snapshot, policy));
  }
  return refused;
}

function hasSection(policy: Policy, scaler: ScalerName): boolean {
  return scaler === 'nodes'
    ? policy.nodes !== undefined
    : scaler === 'workers'
      ? policy.workers.length > 0
      : policy.descheduler !== undefined;
}

function listed(names: Iterable<string>): string {
  const all = [...new Set(names)].sort();
  return all.length === 0 ? 'none' : all.join(', ');
}

// graceful-scaler deallocates nodes rather than deleting them, so a pool it manages always has Node
// objects, stopped ones included: a pool without any is a typo or the wrong cluster.
function checkPools(snapshot: Snapshot, policy: Policy): Refusal[] {
  const wanted = policy.nodes?.pools ?? [];
  // Asked every node tick, over thousands of nodes: each managed pool is usually found among the
  // first few, and every pool of the cluster is gathered only to name them in a refusal.
  if (wanted.every((pool) => snapshot.nodes.some((n) => n.pool === pool))) return [];
  const pools = poolsOf(snapshot.nodes);
  return wanted.flatMap((pool, i) =>
    pools.has(pool)
      ? []
      : [
          {
            scaler: 'nodes' as const,
            field: `nodes.pools[${i}]`,
            problem: `no node is in agent pool "${pool}" (label ${AGENTPOOL})`,
            fix: `name a pool this cluster has (${listed(pools)}); a managed pool keeps its nodes, stopped ones included`,
          },
        ],
  );
}

/** The pools the nodes are in: a plain loop, as an array per node (flatMap) cost 2 ms at 5,000 nodes. */
function poolsOf(nodes: readonly NodeView[]): Set<string> {
  const pools = new Set<string>();
  for (const n of nodes) if (n.pool !== undefined) pools.add(n.pool);
  return pools;
}

function checkWorkers(snapshot: Snapshot, policy: Policy): Refusal[] {
  const refused: Refusal[] = [];
  const missing = new Set(snapshot.missingQueues ?? []);
  policy.workers.forEach((w, i) => {
    if (!snapshot.workloads.some((d) => d.namespace === w.namespace && d.name === w.deployment)) {
      const there = snapshot.workloads.filter((d) => d.namespace === w.namespace).map((d) => d.name);
      refused.push({
        scaler: 'workers',
        field: `workers[${i}].deployment`,
        problem: `worker ${w.name}: no Deployment ${w.namespace}/${w.deployment} in the cluster`,
        fix: `correct workers[${i}].namespace or .deployment (Deployments in ${w.namespace}: ${listed(there)}), or deploy it first`,
      });
    }
    w.queues.forEach((q, j) => {
      if (!missing.has(q)) return;
      refused.push({
        scaler: 'workers',
        field: `workers[${i}].queues[${j}]`,
        problem: `worker ${w.name}: the storage account has no queue named ${q}`,
        fix: `correct the queue name, or point QUEUES_CONNECTION_STRING / QUEUES_ACCOUNT_URL at the account that has it`,
      });
    });
  });
  return refused;
}

function checkDescheduler(snapshot: Snapshot, policy: Policy): Refusal[] {
  const d = policy.descheduler;
  if (!d) return [];
  const refused: Refusal[] = [];
  if (!snapshot.nodes.some((n) => matchesSelector(d.nodeSelector, n.labels))) {
    refused.push({
      scaler: 'descheduler',
      field: 'descheduler.nodeSelector',
      problem: `no node matches "${d.nodeSelectorText}"`,
      fix: `correct the selector (the cluster's pools: ${listed(snapshot.nodes.flatMap((n) => (n.pool ? [n.pool] : [])))}, label ${AGENTPOOL}), or "" for every node`,
    });
  }
  if (!snapshot.pods.some((p) => matchesSelector(d.podSelector, p.labels))) {
    refused.push({
      scaler: 'descheduler',
      field: 'descheduler.podSelector',
      problem: `no pod matches "${d.podSelectorText}"`,
      fix: "label the pods that may be moved (in their Deployment's pod template), or correct the selector",
    });
  }
  return refused;
}
