// The objects AKS writes, as the simulated cluster creates them: a scale-set node with the labels,
// providerID, capacity and conditions a real AKS node carries (see test/fixtures/aks-object-shapes.json),
// the conditions and taints of a node whose VM is gone, and the DaemonSets every AKS node runs.

import { nodeResourceGroup, scaleSetName, type CloudIdentity } from '../azure/aks-identity';
import { DEFAULT_VM_SIZE, VM_SIZES } from '../azure/vm-sizes';
import type { Condition, Node, Taint } from './objects';

// One definition of the names the core reads, so the simulator cannot drift from them.
import { AGENT_POOL_LABEL, SHUTDOWN_TAINT } from '../../core/annotations';
export const POOL_LABEL = AGENT_POOL_LABEL;
export { SHUTDOWN_TAINT };
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export interface DaemonSetSpec {
  name: string;
  cpu: string;
  memory: string;
}

/** The DaemonSets AKS runs on every Linux node of an Azure CNI cluster, and their requests. */
export const AKS_DAEMONSETS: readonly DaemonSetSpec[] = [
  { name: 'kube-proxy', cpu: '10m', memory: '20Mi' },
  { name: 'azure-cns', cpu: '10m', memory: '20Mi' },
  { name: 'azure-ip-masq-agent', cpu: '100m', memory: '50Mi' },
  { name: 'cloud-node-manager', cpu: '50m', memory: '50Mi' },
  { name: 'csi-azuredisk-node', cpu: '30m', memory: '60Mi' },
  { name: 'csi-azurefile-node', cpu: '30m', memory: '60Mi' },
];

export interface AksNodeInput {
  name: string;
  pool: string;
  mode: 'System' | 'User';
  instance: number;
  vmSize: string;
  maxPods: number;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  uid: string;
  createdAt: string;
  /** Last octets of the node's InternalIP (10.224.x.y). */
  ipIndex: number;
}

export function readyConditions(at: string): Condition[] {
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
      lastHeartbeatTime: at,
      lastTransitionTime: at,
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
      lastHeartbeatTime: at,
      lastTransitionTime: at,
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
      lastHeartbeatTime: at,
      lastTransitionTime: at,
    },
    {
      type: 'Ready',
      status: 'True',
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
      lastHeartbeatTime: at,
      lastTransitionTime: at,
    },
  ];
}

/** What the node lifecycle controller writes when the kubelet stops posting status. */
export function unknownConditions(previous: readonly Condition[], at: string): Condition[] {
  return previous.map((c) => ({
    type: c.type,
    status: 'Unknown',
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
    ...(c.lastHeartbeatTime !== undefined ? { lastHeartbeatTime: c.lastHeartbeatTime } : {}),
    lastTransitionTime: at,
  }));
}

export function aksNode(input: AksNodeInput, identity: CloudIdentity): Node {
  const size = VM_SIZES[input.vmSize] ?? VM_SIZES[DEFAULT_VM_SIZE]!;
  const pods = String(input.maxPods);
  const zone = `${identity.location}-${(input.instance % 3) + 1}`;
  const version = identity.kubernetesVersion;
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: input.name,
      uid: input.uid,
      resourceVersion: '',
      creationTimestamp: input.createdAt,
      labels: {
        agentpool: input.pool,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': input.vmSize,
        'beta.kubernetes.io/os': 'linux',
        [POOL_LABEL]: input.pool,
        'kubernetes.azure.com/cluster': nodeResourceGroup(identity),
        'kubernetes.azure.com/mode': input.mode === 'System' ? 'system' : 'user',
        'kubernetes.azure.com/node-image-version': 'AKSUbuntu-2204gen2containerd-202611.10.0',
        'kubernetes.azure.com/os-sku': 'Ubuntu',
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': input.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        'node.kubernetes.io/instance-type': input.vmSize,
        'topology.kubernetes.io/region': identity.location,
        'topology.kubernetes.io/zone': zone,
        ...input.labels,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      // AKS writes the node resource group in lower case here.
      providerID:
        `azure:///subscriptions/${identity.subscription}/resourceGroups/${nodeResourceGroup(identity).toLowerCase()}` +
        `/providers/Microsoft.Compute/virtualMachineScaleSets/${scaleSetName(input.pool, identity)}/virtualMachines/${input.instance}`,
      ...(input.taints.length > 0 ? { taints: input.taints.map((t) => ({ ...t })) } : {}),
    },
    status: {
      capacity: { cpu: size.capacity.cpu, 'ephemeral-storage': '129886128Ki', memory: size.capacity.memory, pods },
      allocatable: { cpu: size.allocatable.cpu, 'ephemeral-storage': '119703055367', memory: size.allocatable.memory, pods },
      conditions: readyConditions(input.createdAt),
      addresses: [
        { type: 'InternalIP', address: `10.224.${Math.floor(input.ipIndex / 250)}.${(input.ipIndex % 250) + 4}` },
        { type: 'Hostname', address: input.name },
      ],
      nodeInfo: {
        kubeletVersion: `v${version}`,
        kubeProxyVersion: `v${version}`,
        containerRuntimeVersion: 'containerd://1.7.29-1',
        osImage: 'Ubuntu 22.04.5 LTS',
        kernelVersion: '5.15.0-1079-azure',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  };
  return node;
}
