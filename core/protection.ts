// A protected node is never cordoned for scale-down, drained or stopped (invariant 2). The seed's
// batch nodes carry `clomo/BatchDeployable`; the ecosystem's annotations say the same thing.

import { DO_NOT_DISRUPT, IGNORE_NODE, SCALE_DOWN_DISABLED } from './annotations';
import type { NodeView } from './views';

export type ProtectionRule = 'protected-label' | 'scale-down-disabled' | 'do-not-disrupt' | 'ignored';

export interface Protection {
  rule: ProtectionRule;
  detail: string;
}

/** `key` means "label present", `key=value` means "label has this value". */
function hasProtectedLabel(node: NodeView, spec: string): boolean {
  const eq = spec.indexOf('=');
  if (eq < 0) return Object.prototype.hasOwnProperty.call(node.labels, spec);
  return node.labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

export function nodeProtection(node: NodeView, protectedLabels: readonly string[]): Protection | undefined {
  if (node.annotations[IGNORE_NODE] === 'true' || node.labels[IGNORE_NODE] === 'true') {
    return { rule: 'ignored', detail: `${IGNORE_NODE}=true: graceful-scaler leaves this node alone` };
  }
  for (const spec of protectedLabels) {
    if (hasProtectedLabel(node, spec)) return { rule: 'protected-label', detail: `labelled ${spec}` };
  }
  if (node.annotations[SCALE_DOWN_DISABLED] === 'true' || node.labels[SCALE_DOWN_DISABLED] === 'true') {
    return { rule: 'scale-down-disabled', detail: `${SCALE_DOWN_DISABLED}=true` };
  }
  if (node.annotations[DO_NOT_DISRUPT] === 'true' || node.labels[DO_NOT_DISRUPT] === 'true') {
    return { rule: 'do-not-disrupt', detail: `${DO_NOT_DISRUPT}=true` };
  }
  return undefined;
}
