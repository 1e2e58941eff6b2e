// The node planner's test world: a quiet night of four nodes, and a plan of the node scaler alone.

import type { Action, Decision } from '../../../core/decision';
import type { Memory } from '../../../core/memory';
import { plan } from '../../../core/plan';
import type { Policy } from '../../../core/policy';
import type { ControllerNames, NodeView, PodView } from '../../../core/views';
import {
  MINUTE,
  NOW,
  at,
  buildMemory,
  buildNode,
  buildPdb,
  buildPod,
  buildPolicy,
  buildSnapshot,
  daemon,
  onNode,
  podsOf,
} from '../../builders/views';

/** Monday 07:35 in Tokyo: inside the Mon-Fri 07:30-21:00 window (minimum 5). */
export const MORNING = Date.parse('2026-11-30T07:35:00+09:00');

export function planNodes(
  nodes: NodeView[],
  pods: PodView[],
  opts: { memory?: Memory; now?: number; policy?: Policy; pdbs?: ReturnType<typeof buildPdb>[]; controllers?: ControllerNames } = {},
): Decision {
  return plan({
    snapshot: buildSnapshot({ nodes, pods, pdbs: opts.pdbs ?? [], ...(opts.controllers ? { controllers: opts.controllers } : {}) }),
    policy: opts.policy ?? buildPolicy(),
    memory: opts.memory ?? buildMemory(),
    now: opts.now ?? NOW,
    scalers: ['nodes'],
  });
}

const brief = (a: Action): string => {
  switch (a.type) {
    case 'evict':
      return `evict ${a.namespace}/${a.pod}`;
    case 'add-nodes':
      return `add-nodes ${a.pool} ${a.count}`;
    case 'scale':
      return `scale ${a.deployment} ${a.replicas}`;
    case 'set-deletion-cost':
      return `cost ${a.pod} ${a.cost}`;
    case 'mark-node':
      return `mark ${a.node} ${a.set ? '+' : '-'}${a.mark}`;
    default:
      return `${a.type} ${a.node}`;
  }
};
/** What the node scaler does to capacity and drains; the placement marks it keeps on nodes are `marks`. */
export const actions = (d: Decision) => d.actions.filter((a) => a.type !== 'mark-node').map(brief);
/** The placement marks (drain-candidate taint, stays label) put on or taken off, `mark n3 +drain-candidate`. */
export const marks = (d: Decision) => d.actions.filter((a) => a.type === 'mark-node').map(brief);
export const skipsOf = (d: Decision, rule: string) => d.skipped.filter((s) => s.rule === rule);

/** Four nodes with a DaemonSet pod each and 5, 5, 2 and 1 workload pods: 13 pods, so 2 nodes suffice at night. */
export function quietNight() {
  const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n));
  const pods = [
    ...nodes.map((n) => buildPod(`kube-proxy-${n.name}`, daemon, onNode(n.name))),
    ...podsOf('mdm', 'n1', 5),
    ...podsOf('mdm', 'n2', 5),
    ...podsOf('mdm', 'n3', 2),
    ...podsOf('panel', 'n4', 1),
  ];
  return { nodes, pods };
}

/** Memory holding one override of the node scaler (a pause for the hour, unless told otherwise). */
export const override = (o: Partial<Memory['overrides'][number]>) =>
  buildMemory((m) => {
    m.overrides.push({
      id: 'o1',
      scaler: 'nodes',
      mode: 'pause',
      reason: 'maintenance',
      createdAt: at(NOW - MINUTE),
      expiresAt: at(NOW + 60 * MINUTE),
      ...o,
    });
  });

/** Memory whose recommendations have been 2 for the whole 10-minute delay. */
export const lowForTenMinutes = (m: Memory) => {
  m.nodes.recommendations = [
    { at: at(NOW - 11 * MINUTE), value: 2 },
    { at: at(NOW - 5 * MINUTE), value: 2 },
  ];
};
