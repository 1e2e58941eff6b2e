// Node → NodeView: pool, allocatable, readiness and power (a deallocated VM's shutdown taint), and
// the scale-set instance behind it (its providerID).

import {
  AGENT_POOL_LABEL,
  AKS_SCALE_DOWN_DISABLED_REASON,
  DO_NOT_DISRUPT,
  LEGACY_AGENT_POOL_LABEL,
  SCALE_DOWN_DISABLED,
  SHUTDOWN_TAINT,
} from '../../../core/annotations';
import type { NodeView, Taint, TaintEffect, VmRef } from '../../../core/views';
import {
  EFFECTS,
  annotationsAt,
  arrayAt,
  conditionOf,
  done,
  expected,
  isObject,
  objectAt,
  optionalBoolean,
  optionalString,
  quantityAt,
  requiredString,
  rootObject,
  stringMapAt,
  timeAt,
  type Problems,
} from './fields';

const NO_TAINTS: readonly Taint[] = Object.freeze([]);

// The annotations the core reads; everything else (last-applied-configuration can be kilobytes)
// is dropped at the edge.
const NODE_ANNOTATIONS: ReadonlySet<string> = new Set([SCALE_DOWN_DISABLED, DO_NOT_DISRUPT, AKS_SCALE_DOWN_DISABLED_REASON]);

// azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachineScaleSets/<vmss>/virtualMachines/<id>
// ARM paths are case-insensitive, and AKS writes the resource group in lower case.
const VMSS_PROVIDER_ID =
  /^azure:\/\/\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/([^/]+)\/virtualMachines\/([^/]+)$/i;

/** The scale-set instance named by an AKS node's `spec.providerID`; undefined for anything else. */
export function parseProviderId(providerId: string): VmRef | undefined {
  const match = VMSS_PROVIDER_ID.exec(providerId);
  if (match === null) return undefined;
  const [, subscription, resourceGroup, scaleSet, instanceId] = match;
  if (subscription === undefined || resourceGroup === undefined || scaleSet === undefined || instanceId === undefined) {
    return undefined;
  }
  return { subscription, resourceGroup, scaleSet, instanceId };
}

function taintsAt(problems: Problems, value: unknown): readonly Taint[] {
  const list = arrayAt(problems, value, 'spec.taints');
  if (list === undefined || list.length === 0) return NO_TAINTS;
  const taints: Taint[] = [];
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!isObject(raw)) {
      expected(problems, raw, 'an object', 'spec.taints', i);
      continue;
    }
    const key = requiredString(problems, raw.key, 'spec.taints', i, '.key');
    const value = optionalString(problems, raw.value, 'spec.taints', i, '.value');
    const effect = raw.effect;
    if (typeof effect !== 'string' || !EFFECTS.has(effect)) {
      expected(problems, effect, 'NoSchedule, PreferNoSchedule or NoExecute', 'spec.taints', i, '.effect');
      continue;
    }
    const taint: Taint = { key, effect: effect as TaintEffect };
    if (value !== undefined && value !== '') taint.value = value;
    taints.push(taint);
  }
  return taints;
}

export function projectNode(raw: unknown): NodeView {
  const node = rootObject(raw, 'Node');
  const problems: Problems = [];
  // Read in document order (metadata, spec, status), so problems are listed as a person reads the object.
  const metadata = objectAt(problems, node.metadata, 'metadata');
  const name = requiredString(problems, metadata.name, 'metadata.name');
  const labels = stringMapAt(problems, metadata.labels, 'metadata.labels');
  const annotations = annotationsAt(problems, metadata.annotations, 'metadata.annotations', NODE_ANNOTATIONS);
  const createdAt = timeAt(problems, metadata.creationTimestamp, 'metadata.creationTimestamp', true) ?? 0;

  const spec = objectAt(problems, node.spec, 'spec');
  const providerId = optionalString(problems, spec.providerID, 'spec.providerID');
  const taints = taintsAt(problems, spec.taints);
  const cordoned = optionalBoolean(problems, spec.unschedulable, 'spec.unschedulable') === true;

  const status = objectAt(problems, node.status, 'status');
  const allocatable = objectAt(problems, status.allocatable, 'status.allocatable');
  const pods = quantityAt(problems, allocatable.pods, 'status.allocatable.pods');
  const cpu = quantityAt(problems, allocatable.cpu, 'status.allocatable.cpu');
  const memory = quantityAt(problems, allocatable.memory, 'status.allocatable.memory');
  const ready = conditionOf(problems, status.conditions, 'Ready')?.status === 'True';

  let power: NodeView['power'] = 'unknown';
  if (ready) power = 'running';
  else if (taints.some((taint) => taint.key === SHUTDOWN_TAINT)) power = 'deallocated';

  return done(problems, {
    name,
    pool: labels[AGENT_POOL_LABEL] ?? labels[LEGACY_AGENT_POOL_LABEL],
    labels,
    annotations,
    taints,
    cordoned,
    ready,
    allocatable: { pods: Math.round(pods), cpuMilli: Math.round(cpu * 1000), memoryBytes: Math.round(memory) },
    createdAt,
    vm: providerId === undefined ? undefined : parseProviderId(providerId),
    power,
  });
}
