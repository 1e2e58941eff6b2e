// Hands off while AKS works on a pool. During an upgrade, a node-image upgrade, a scale or an update,
// AKS surges, cordons, drains and reimages the pool's nodes itself: AKS accepts one operation per
// pool at a time, its surge nodes would read as capacity, its cordons as someone else's, and a VM
// started or deallocated under it races an operation we cannot see (docs/deploy.md, "AKS operations").
// So the node scaler holds, and says why, while any managed pool shows either sign:
// - ARM: the pool's `provisioningState` is not `Succeeded`. The set of values is open-ended, so an
//   unknown or unreadable one counts as busy. `Failed` and `Canceled` are a hold that needs a person:
//   an upgrade stopped on its drain timeout resumes on ANY later PUT of the pool, ours included.
// - Kubernetes: a node carries AKS's upgrade marks (the scale-down-disabled reason `upgrade`, or the
//   `upgrade-status=Quarantined` label), which also catch upgrades the pool state shows only briefly.

import { AKS_SCALE_DOWN_DISABLED_REASON, AKS_UPGRADE_STATUS_LABEL } from '../annotations';
import type { NodeView, PoolView } from '../views';

export interface AksHold {
  pool: string;
  /** The pool's provisioningState, `unknown`, or `upgrading` from the nodes' marks. */
  state: string;
  /** Failed or Canceled: nothing will end the hold but a person. */
  failed: boolean;
  reason: string;
}

const IDLE = 'Succeeded';
const NEEDS_A_PERSON: ReadonlySet<string> = new Set(['Failed', 'Canceled']);

/** The managed pools AKS is working on, each once, in the policy's order. */
export function aksHolds(
  pools: readonly PoolView[] | undefined,
  managedPools: readonly string[],
  managedNodes: readonly NodeView[],
): AksHold[] {
  const holds: AksHold[] = [];
  for (const name of managedPools) {
    const hold = poolHold(pools, name) ?? nodeHold(name, managedNodes);
    if (hold) holds.push(hold);
  }
  return holds;
}

function poolHold(pools: readonly PoolView[] | undefined, name: string): AksHold | undefined {
  // Not read at all (a dump, no ARM access): the nodes' marks are all there is to go by.
  if (pools === undefined) return undefined;
  const pool = pools.find((p) => p.name.toLowerCase() === name.toLowerCase());
  // A managed pool ARM does not list is a configuration problem, refused elsewhere; no state to hold on.
  if (pool === undefined) return undefined;
  const state = pool.provisioningState;
  if (state === IDLE) return undefined;
  if (state === undefined) {
    return {
      pool: name,
      state: 'unknown',
      failed: false,
      reason: `agent pool ${name}: state unknown (${pool.problem ?? 'ARM reported no provisioningState'}); holding until it reads Succeeded`,
    };
  }
  if (NEEDS_A_PERSON.has(state)) {
    return {
      pool: name,
      state,
      failed: true,
      reason:
        `agent pool ${name} is ${state}: an AKS operation ended without finishing. Holding, because any change to the pool ` +
        `(our add-nodes included) would resume a stopped upgrade. A person should look (az aks nodepool show, az aks operation show-latest), ` +
        `finish or reconcile it (az aks nodepool upgrade / update), then the scaler resumes on its own`,
    };
  }
  return {
    pool: name,
    state,
    failed: false,
    reason: `agent pool ${name} is ${state}: AKS is working on the pool (upgrade, scale or update); holding until it is Succeeded`,
  };
}

function nodeHold(pool: string, managedNodes: readonly NodeView[]): AksHold | undefined {
  for (const node of managedNodes) {
    if (node.pool !== pool) continue;
    if (node.annotations[AKS_SCALE_DOWN_DISABLED_REASON] === 'upgrade') {
      return {
        pool,
        state: 'upgrading',
        failed: false,
        reason: `node ${node.name} of pool ${pool} carries AKS's upgrade mark (${AKS_SCALE_DOWN_DISABLED_REASON}=upgrade); holding while AKS upgrades the pool`,
      };
    }
    if (node.labels[AKS_UPGRADE_STATUS_LABEL] === 'Quarantined') {
      return {
        pool,
        state: 'quarantined',
        failed: true,
        reason: `node ${node.name} of pool ${pool} is quarantined by an AKS upgrade that could not drain it (${AKS_UPGRADE_STATUS_LABEL}=Quarantined); holding until a person resolves the upgrade and removes the label`,
      };
    }
  }
  return undefined;
}
