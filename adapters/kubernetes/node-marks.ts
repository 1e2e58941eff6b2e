// The patch that puts one of the node scaler's placement marks on a node or takes it off: the
// drain-candidate taint (PreferNoSchedule, value the Unix seconds it was chosen at: a taint's value
// must be a label value, which an ISO time is not), the stays label, or the stays taint
// (PreferNoSchedule, value "true"). A node's taints are one list that a merge patch (and a strategic
// one: the list is atomic) replaces whole, so the patch carries the resourceVersion the list was read at: a taint another writer added meanwhile makes it a 409,
// never a loss. Ours is matched by key and effect; no other taint or label is ever touched.

import { DRAIN_CANDIDATE_TAINT, STAYS_LABEL, STAYS_TAINT } from '../../core/annotations';
import type { NodeMark } from '../../core/decision';

interface RawTaint {
  readonly key: string;
  readonly effect: string;
  readonly value?: string | undefined;
  readonly timeAdded?: unknown;
}

/** The parts of a Node object (as the API server or @kubernetes/client-node gives it) a mark reads. */
export interface MarkableNode {
  readonly metadata?:
    { readonly resourceVersion?: string | undefined; readonly labels?: Readonly<Record<string, string>> | undefined } | undefined;
  readonly spec?: { readonly taints?: readonly RawTaint[] | undefined } | undefined;
}

/** The taint marks: their key, and the value a new one carries. */
const TAINTS: Record<Exclude<NodeMark, 'stays'>, { key: string; value: (at: number) => string }> = {
  'drain-candidate': { key: DRAIN_CANDIDATE_TAINT, value: (at) => String(Math.floor(at / 1000)) },
  'stays-taint': { key: STAYS_TAINT, value: () => 'true' },
};

/**
 * The JSON merge patch that makes the node carry the mark (`set`) or not, conditional on the node's
 * resourceVersion; undefined when the node already is so (nothing to send).
 */
export function markPatch(node: MarkableNode, mark: NodeMark, set: boolean, at: number): Record<string, unknown> | undefined {
  const resourceVersion = node.metadata?.resourceVersion;
  if (mark === 'stays') {
    const value = node.metadata?.labels?.[STAYS_LABEL];
    if (set ? value === 'true' : value === undefined) return undefined;
    return { metadata: { resourceVersion, labels: { [STAYS_LABEL]: set ? 'true' : null } } };
  }
  const { key, value } = TAINTS[mark];
  const ours = (t: RawTaint): boolean => t.key === key && t.effect === 'PreferNoSchedule';
  const taints = node.spec?.taints ?? [];
  if (taints.some(ours) === set) return undefined;
  const next = set ? [...taints, { key, value: value(at), effect: 'PreferNoSchedule' }] : taints.filter((t) => !ours(t));
  return { metadata: { resourceVersion }, spec: { taints: next.length > 0 ? next : null } };
}
