// The Azure side of the simulated cluster: AKS agent pools backed by VM scale sets, and each VM's
// power state moving through its lifecycle in simulated time. What a VM's state means for its
// Kubernetes Node (a new node registers, a stopped one goes NotReady) is the cluster's business:
// this module calls a VmLifecycle at each step.

import type { AgentPoolProvisioningState, SimAgentPool, SimVm, VmPowerState } from './compute';
import { nodeName, scaleSetName, type CloudIdentity } from './aks-identity';
import { DEFAULT_VM_SIZE, VM_SIZES } from './vm-sizes';

/** Simulated time as the pools need it (the model's Timeline): the VMs' operations finish on it. */
export interface PoolTimeline {
  now(): number;
  schedule(at: number, run: () => void): void;
}

/** A node taint of a pool, as Kubernetes writes it on the pool's nodes. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** `key=value:NoSchedule` (how AKS node pools declare taints) as a Taint. */
export function parseAksTaint(text: string): Taint {
  const match = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text);
  if (match === null) throw new Error(`node taint "${text}": expected key=value:NoSchedule|PreferNoSchedule|NoExecute`);
  return match[2] === undefined
    ? { key: match[1]!, effect: match[3] as Taint['effect'] }
    : { key: match[1]!, value: match[2], effect: match[3] as Taint['effect'] };
}

export interface VmDurations {
  /** A deallocated VM started until its node is Ready again (Azure: about 1–2 minutes). */
  vmStartMs: number;
  /** A new VM from a raised pool count until its node is Ready (about 3–5 minutes). */
  vmCreateMs: number;
  /** Deallocation until the VM reports deallocated and its node NotReady (about a minute). */
  vmDeallocateMs: number;
  /** Deletion of a VM (pool scaled down in Delete mode) until it is gone with its node. */
  vmDeleteMs: number;
}

export interface AgentPoolSpec {
  name: string;
  mode?: 'System' | 'User';
  count: number;
  vmSize?: string;
  /** Allocatable pods per node: 30 on Azure CNI. */
  maxPods?: number;
  /** AKS's default is Delete; graceful-scaler needs Deallocate to stop and start VMs. */
  scaleDownMode?: 'Delete' | 'Deallocate';
  enableAutoScaling?: boolean;
  /** Node labels of the pool (`clomo/BatchDeployable: 'true'`). */
  labels?: Record<string, string>;
  /** Node taints of the pool, as AKS takes them (`CriticalAddonsOnly=true:NoSchedule`) or as objects. */
  taints?: readonly (string | Taint)[];
}

export interface PoolState {
  readonly name: string;
  readonly mode: 'System' | 'User';
  readonly vmSize: string;
  readonly maxPods: number;
  readonly scaleDownMode: 'Delete' | 'Deallocate';
  readonly enableAutoScaling: boolean;
  readonly scaleSet: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly vms: Map<string, VmState>;
  /** Scale-set instance ids only grow: a deleted instance's id is never reused. */
  nextInstance: number;
  /** Creations and deletions started by a count change and not finished: the pool is "Scaling". */
  scaling: number;
  /** An AKS operation staged by a test (Upgrading, Failed, …): reported instead of the pool's own state. */
  operation?: AgentPoolProvisioningState;
}

export interface VmState {
  readonly instanceId: string;
  readonly instance: number;
  readonly computerName: string;
  powerState: VmPowerState;
  /** Deleted by a pool scale-down; gone when the deletion finishes. */
  deleting: boolean;
  /** The node has registered at least once (a VM deallocated while being created never did). */
  registered: boolean;
  /** Bumped by every operation, so a superseded operation's completion does nothing. */
  op: number;
}

/** What a VM's lifecycle does to Kubernetes; the cluster implements it. */
export interface VmLifecycle {
  /** The VM is up (new or started): its node registers or turns Ready. */
  vmRunning(pool: PoolState, vm: VmState): void;
  /** The OS is gone (deallocation or deletion began): whatever ran on the node dies now. */
  vmPoweredOff(pool: PoolState, vm: VmState, cause: 'vm-deallocated' | 'vm-deleted'): void;
  /** Deallocation finished: the node controller marks the node NotReady, the cloud provider taints it. */
  vmDeallocated(pool: PoolState, vm: VmState): void;
  /** The VM left the scale set: its Node object goes too. */
  vmDeleted(pool: PoolState, vm: VmState): void;
}

/** A refusal with the code ARM would answer, for the ARM test endpoint to pass on. */
export class ComputeRefusal extends Error {
  constructor(
    readonly code: 'InvalidParameter' | 'OperationNotAllowed' | 'NotFound',
    message: string,
  ) {
    super(message);
    this.name = 'ComputeRefusal';
  }
}

const OFF: ReadonlySet<VmPowerState> = new Set(['deallocating', 'deallocated', 'stopping', 'stopped']);
const MAX_COUNT = 1000;

export class AgentPools {
  private readonly byName = new Map<string, PoolState>();
  private readonly byScaleSet = new Map<string, PoolState>();

  constructor(
    private readonly timeline: PoolTimeline,
    private readonly durations: VmDurations,
    private readonly identity: CloudIdentity,
    private readonly lifecycle: VmLifecycle,
  ) {}

  /** Adds a pool whose `count` VMs are already running (a cluster that has been up for a while). */
  addPool(spec: AgentPoolSpec): PoolState {
    if (this.byName.has(spec.name)) throw new ComputeRefusal('InvalidParameter', `agent pool "${spec.name}" already exists`);
    if (!/^[a-z][a-z0-9]{0,11}$/.test(spec.name)) {
      throw new ComputeRefusal(
        'InvalidParameter',
        `agent pool name "${spec.name}": lowercase letters and digits, starting with a letter, at most 12`,
      );
    }
    const vmSize = spec.vmSize ?? DEFAULT_VM_SIZE;
    if (VM_SIZES[vmSize] === undefined)
      throw new ComputeRefusal('InvalidParameter', `VM size "${vmSize}" is not simulated: one of ${Object.keys(VM_SIZES).join(', ')}`);
    const pool: PoolState = {
      name: spec.name,
      mode: spec.mode ?? 'User',
      vmSize,
      maxPods: spec.maxPods ?? 30,
      scaleDownMode: spec.scaleDownMode ?? 'Delete',
      enableAutoScaling: spec.enableAutoScaling ?? false,
      scaleSet: scaleSetName(spec.name, this.identity),
      labels: { ...spec.labels },
      taints: (spec.taints ?? []).map((t) => (typeof t === 'string' ? parseAksTaint(t) : { ...t })),
      vms: new Map(),
      nextInstance: 0,
      scaling: 0,
    };
    this.byName.set(pool.name, pool);
    this.byScaleSet.set(pool.scaleSet, pool);
    for (let i = 0; i < spec.count; i++) {
      const vm = this.newVm(pool, 'running');
      vm.registered = true;
      this.lifecycle.vmRunning(pool, vm);
    }
    return pool;
  }

  pool(name: string): PoolState | undefined {
    return this.byName.get(name);
  }

  poolOfScaleSet(scaleSet: string): PoolState | undefined {
    return this.byScaleSet.get(scaleSet.toLowerCase()) ?? this.byScaleSet.get(scaleSet);
  }

  allPools(): PoolState[] {
    return [...this.byName.values()];
  }

  /** AKS counts the nodes that are running or on their way; deallocated ones are kept aside. */
  count(pool: PoolState): number {
    let n = 0;
    for (const vm of pool.vms.values()) if (!vm.deleting && !OFF.has(vm.powerState)) n++;
    return n;
  }

  describe(pool: PoolState): SimAgentPool {
    return {
      name: pool.name,
      count: this.count(pool),
      mode: pool.mode,
      vmSize: pool.vmSize,
      maxPods: pool.maxPods,
      scaleDownMode: pool.scaleDownMode,
      enableAutoScaling: pool.enableAutoScaling,
      scaleSet: pool.scaleSet,
      provisioningState: pool.operation ?? (pool.scaling > 0 ? 'Scaling' : 'Succeeded'),
    };
  }

  /** Stages an AKS operation on the pool (undefined: it ended); nothing else of the pool changes. */
  setOperation(name: string, state: AgentPoolProvisioningState | undefined): void {
    const pool = this.byName.get(name);
    if (pool === undefined) throw new ComputeRefusal('NotFound', `agent pool "${name}" not found`);
    if (state === undefined || state === 'Succeeded') delete pool.operation;
    else pool.operation = state;
  }

  vms(scaleSet: string): SimVm[] | undefined {
    const pool = this.poolOfScaleSet(scaleSet);
    if (pool === undefined) return undefined;
    return [...pool.vms.values()]
      .sort((a, b) => a.instance - b.instance)
      .map((vm) => ({ instanceId: vm.instanceId, computerName: vm.computerName, powerState: vm.powerState }));
  }

  /** How many of the scale set's VMs are in each power state; undefined when no such scale set exists. */
  powerStates(scaleSet: string): Map<VmPowerState, number> | undefined {
    const pool = this.poolOfScaleSet(scaleSet);
    if (pool === undefined) return undefined;
    const counts = new Map<VmPowerState, number>();
    for (const vm of pool.vms.values()) counts.set(vm.powerState, (counts.get(vm.powerState) ?? 0) + 1);
    return counts;
  }

  /**
   * Sets the pool's count. Up: in Deallocate mode deallocated VMs are started first (as AKS does),
   * then new VMs are created. Down: the newest VMs go (deleted, or deallocated in Deallocate mode).
   */
  setCount(name: string, count: number): void {
    const pool = this.byName.get(name);
    if (pool === undefined) throw new ComputeRefusal('NotFound', `agent pool "${name}" not found`);
    if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
      throw new ComputeRefusal('InvalidParameter', `count ${count}: expected an integer from 0 to ${MAX_COUNT}`);
    }
    if (pool.mode === 'System' && count < 1)
      throw new ComputeRefusal('InvalidParameter', `system agent pool "${name}" needs at least one node`);
    if (pool.enableAutoScaling)
      throw new ComputeRefusal('OperationNotAllowed', `agent pool "${name}" has the cluster autoscaler enabled: its count cannot be set`);
    let delta = count - this.count(pool);
    const byInstance = [...pool.vms.values()].sort((a, b) => a.instance - b.instance);
    if (delta > 0 && pool.scaleDownMode === 'Deallocate') {
      for (const vm of byInstance) {
        if (delta === 0) break;
        if (!vm.deleting && (vm.powerState === 'deallocated' || vm.powerState === 'stopped')) {
          this.beginStart(pool, vm, true);
          delta--;
        }
      }
    }
    for (; delta > 0; delta--) {
      const vm = this.newVm(pool, 'starting');
      this.track(pool, vm, this.durations.vmCreateMs, true, () => {
        vm.powerState = 'running';
        vm.registered = true;
        this.lifecycle.vmRunning(pool, vm);
      });
    }
    for (const vm of byInstance.reverse()) {
      if (delta >= 0) break;
      if (vm.deleting || OFF.has(vm.powerState)) continue;
      if (pool.scaleDownMode === 'Deallocate') this.beginDeallocate(pool, vm, true);
      else this.beginDelete(pool, vm);
      delta++;
    }
  }

  start(scaleSet: string, instanceId: string): boolean {
    const pool = this.poolOfScaleSet(scaleSet);
    const vm = pool?.vms.get(instanceId);
    if (pool === undefined || vm === undefined || vm.deleting) return false;
    // Starting a VM that is running or starting is a no-op that succeeds, as in Azure.
    if (vm.powerState === 'running' || vm.powerState === 'starting') return true;
    this.beginStart(pool, vm, false);
    return true;
  }

  deallocate(scaleSet: string, instanceId: string): boolean {
    const pool = this.poolOfScaleSet(scaleSet);
    const vm = pool?.vms.get(instanceId);
    if (pool === undefined || vm === undefined || vm.deleting) return false;
    if (vm.powerState === 'deallocated' || vm.powerState === 'deallocating') return true;
    this.beginDeallocate(pool, vm, false);
    return true;
  }

  private newVm(pool: PoolState, powerState: VmPowerState): VmState {
    const instance = pool.nextInstance++;
    const vm: VmState = {
      instanceId: String(instance),
      instance,
      computerName: nodeName(pool.name, instance, this.identity),
      powerState,
      deleting: false,
      registered: false,
      op: 0,
    };
    pool.vms.set(vm.instanceId, vm);
    return vm;
  }

  /** Runs `done` after `ms` unless another operation on the VM superseded this one. */
  private track(pool: PoolState, vm: VmState, ms: number, scaling: boolean, done: () => void): void {
    const op = ++vm.op;
    if (scaling) pool.scaling++;
    this.timeline.schedule(this.timeline.now() + ms, () => {
      if (scaling) pool.scaling--;
      if (vm.op === op) done();
    });
  }

  private beginStart(pool: PoolState, vm: VmState, scaling: boolean): void {
    vm.powerState = 'starting';
    this.track(pool, vm, vm.registered ? this.durations.vmStartMs : this.durations.vmCreateMs, scaling, () => {
      vm.powerState = 'running';
      vm.registered = true;
      this.lifecycle.vmRunning(pool, vm);
    });
  }

  private beginDeallocate(pool: PoolState, vm: VmState, scaling: boolean): void {
    vm.powerState = 'deallocating';
    this.lifecycle.vmPoweredOff(pool, vm, 'vm-deallocated');
    this.track(pool, vm, this.durations.vmDeallocateMs, scaling, () => {
      vm.powerState = 'deallocated';
      this.lifecycle.vmDeallocated(pool, vm);
    });
  }

  private beginDelete(pool: PoolState, vm: VmState): void {
    vm.deleting = true;
    vm.powerState = 'stopping';
    this.lifecycle.vmPoweredOff(pool, vm, 'vm-deleted');
    this.track(pool, vm, this.durations.vmDeleteMs, true, () => {
      pool.vms.delete(vm.instanceId);
      this.lifecycle.vmDeleted(pool, vm);
    });
  }
}
