// AKS nodes of VM scale sets, as the simulated cluster registers them, and their mutators (see aks.ts).

import { SCALE_DOWN_DISABLED, SHUTDOWN_TAINT } from '../../core/annotations';
import type { TaintEffect } from '../../core/views';
import { DEFAULT_IDENTITY, type CloudIdentity } from '../../sim/azure/aks-identity';
import { aksNode as modelAksNode } from '../../sim/model/aks-objects';
import type { Taint } from '../../sim/model/objects';
import {
  AKS_CLUSTER_HASH,
  AKS_NODE_RESOURCE_GROUP,
  AKS_SUBSCRIPTION,
  DEFAULT_TIME,
  PROTECTED_LABEL,
  annotated,
  fnv1a,
  labelled,
  later,
  setCondition,
  uidFor,
  type BuiltNode,
  type Mutator,
} from './aks-common';

function addTaint(node: BuiltNode, taint: Taint): void {
  const taints = (node.spec.taints ??= []);
  if (!taints.some((t) => t.key === taint.key && t.effect === taint.effect)) taints.push(taint);
}

// ---------------------------------------------------------------------------------------------
// Nodes

export interface AksNodeOptions {
  /** Agent pool; read from an AKS node name (`aks-<pool>-<hash>-vmss<instance>`) when not given. */
  pool?: string;
  /** Scale-set instance id (decimal); read from the name's base-36 suffix when not given. */
  instance?: number;
  scaleSet?: string;
  subscription?: string;
  resourceGroup?: string;
  createdAt?: string;
  zone?: string;
  vmSize?: string;
  /** Allocatable; defaults are a Standard_D4s_v5 on Azure CNI: `3860m`, `12880000Ki`, 30 pods. */
  cpu?: string;
  memory?: string;
  pods?: number;
}

/** The name AKS gives instance `instance` of pool `pool`: `aks-user-27531488-vmss00000a` for 10. */
export function aksNodeName(pool: string, instance: number, clusterHash = AKS_CLUSTER_HASH): string {
  return `aks-${pool}-${clusterHash}-vmss${instance.toString(36).padStart(6, '0')}`;
}

export const AKS_NODE_NAME = /^aks-([a-z0-9]+)-(\d+)-vmss([0-9a-z]{6})$/;

/**
 * A Ready AKS node of a VM scale set, as the simulated cluster registers one (the model's aksNode);
 * options or mutators after the name.
 */
export function aksNode(name: string, ...parts: Array<AksNodeOptions | Mutator<BuiltNode>>): BuiltNode {
  const options: AksNodeOptions = Object.assign({}, ...parts.filter((p): p is AksNodeOptions => typeof p !== 'function'));
  const parsed = AKS_NODE_NAME.exec(name);
  const pool = options.pool ?? parsed?.[1] ?? 'user';
  const instance = options.instance ?? (parsed?.[3] !== undefined ? parseInt(parsed[3], 36) : fnv1a(name, 0) % 1000);
  const identity: CloudIdentity = {
    ...DEFAULT_IDENTITY,
    clusterHash: parsed?.[2] ?? AKS_CLUSTER_HASH,
    subscription: options.subscription ?? AKS_SUBSCRIPTION,
  };
  const node = modelAksNode(
    {
      name,
      pool,
      mode: pool === 'system' ? 'System' : 'User',
      instance,
      vmSize: options.vmSize ?? 'Standard_D4s_v5',
      maxPods: options.pods ?? 30,
      labels: {},
      taints: [],
      uid: uidFor('Node', undefined, name),
      createdAt: options.createdAt ?? DEFAULT_TIME,
      // InternalIP 10.224.0.(10 + instance), as the builders have always numbered them.
      ipIndex: instance + 6,
    },
    identity,
  ) as BuiltNode;
  node.metadata.resourceVersion = String(100000 + instance);
  if (options.zone !== undefined) node.metadata.labels!['topology.kubernetes.io/zone'] = options.zone;
  if (options.cpu !== undefined) node.status.allocatable.cpu = options.cpu;
  if (options.memory !== undefined) node.status.allocatable.memory = options.memory;
  if (options.scaleSet !== undefined || options.resourceGroup !== undefined || (parsed !== null && parsed[1] !== pool)) {
    const scaleSet = options.scaleSet ?? (parsed !== null ? name.slice(0, -6) : `aks-${pool}-${AKS_CLUSTER_HASH}-vmss`);
    node.spec.providerID =
      `azure:///subscriptions/${identity.subscription}/resourceGroups/${options.resourceGroup ?? AKS_NODE_RESOURCE_GROUP}/providers/Microsoft.Compute/` +
      `virtualMachineScaleSets/${scaleSet}/virtualMachines/${instance}`;
  }
  for (const part of parts) if (typeof part === 'function') part(node);
  return node;
}

/** `kubectl cordon`: unschedulable, with the taint the node controller adds for it. */
export function cordoned(at: string = DEFAULT_TIME): Mutator<BuiltNode> {
  return (node) => {
    node.spec.unschedulable = true;
    addTaint(node, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: at });
  };
}

function kubeletStopped(node: BuiltNode, at: string): void {
  const message = 'Kubelet stopped posting node status.';
  for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']) {
    setCondition(node.status.conditions, { type, status: 'Unknown', reason: 'NodeStatusUnknown', message });
  }
  addTaint(node, { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: at });
  addTaint(node, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: later(at, 5) });
}

/**
 * A VM deallocated while its Node object stays: conditions Unknown, the unreachable taints, the
 * cloud provider's shutdown taint, and (by default) still cordoned from before it was stopped.
 */
export function deallocated(at: string = DEFAULT_TIME, options: { cordoned?: boolean } = {}): Mutator<BuiltNode> {
  return (node) => {
    if (options.cordoned ?? true) cordoned(later(at, -60))(node);
    kubeletStopped(node, at);
    addTaint(node, { key: SHUTDOWN_TAINT, effect: 'NoSchedule' });
  };
}

/** The kubelet stopped reporting and the VM is not known to be shut down (a crash, a network cut). */
export function unreachable(at: string = DEFAULT_TIME): Mutator<BuiltNode> {
  return (node) => kubeletStopped(node, at);
}

/** The kubelet reports NotReady (a VM that is booting, or a sick node). */
export function notReady(reason = 'KubeletNotReady'): Mutator<BuiltNode> {
  return (node) => {
    setCondition(node.status.conditions, { type: 'Ready', status: 'False', reason, message: 'container runtime network not ready' });
    addTaint(node, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  };
}

/** Labelled `clomo/BatchDeployable=true`: the batch node the scaler must never take away. */
export function protectedBatch(): Mutator<BuiltNode> {
  return labelled({ [PROTECTED_LABEL]: 'true' });
}

export function scaleDownDisabled(): Mutator<BuiltNode> {
  return annotated({ [SCALE_DOWN_DISABLED]: 'true' });
}

export function tainted(key: string, effect: TaintEffect, value?: string): Mutator<BuiltNode> {
  return (node) => addTaint(node, value === undefined ? { key, effect } : { key, value, effect });
}

/** A node that is not a scale-set instance (an availability-set or a virtual node). */
export function providerId(id: string | undefined): Mutator<BuiltNode> {
  return (node) => {
    if (id === undefined) delete node.spec.providerID;
    else node.spec.providerID = id;
  };
}
