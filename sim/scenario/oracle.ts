// The oracle: a lower bound on the user-pool node-hours any strategy needs for the traffic, with
// perfect foresight, VMs that start and stop instantly, and nothing ever interrupted.
//
// The demand is the traffic's, the same for every strategy: at each step, MDM's replicas as its HPA
// sets them (a function of the request rate alone), the panel's replicas, and one BG worker for every
// job running at that instant had each job started the moment it arrived (no job waits), at least the
// worker's minimum replicas. Each pod asks for its requests (cpu, memory) and one of the node's pod
// slots (allocatable pods minus the DaemonSet pods every node runs).
//
// The bound: at each step, max(ceil(pods / pods per node), ceil(cpu / cpu per node), ceil(memory /
// memory per node)), times the step, summed. It is a lower bound because at that instant every pod
// of the demand sits on some node, no node holds more than its capacity in any of the three, so no
// fewer nodes can hold them — however they were placed, moved or not. It ignores that a pod stays on
// the node it started on (dynamic bin packing): the true no-interruption optimum can only be higher.
// For these pods it is also nearly tight per instant: 24 MDM pods fill a node's pods, cpu and memory
// at once, so a per-instant exact packing would add at most about one node. A strategy that makes
// pods or jobs wait hosts less than this demand and could, in principle, come in under the bound;
// the tables show its waits beside it.

import { cpuMilli, memoryBytes } from '../../core/quantity';
import type { NodeView, PodView } from '../../core/views';
import { MdmHpa } from './traffic-driver';
import { HOUR, type Traffic } from './traffic';
import { USER_POOL, WORKLOAD_REQUESTS, type WorkloadShape } from './world';

/** What one user node can host after its DaemonSet pods. */
export interface NodeCapacity {
  pods: number;
  cpuMilli: number;
  memoryBytes: number;
}

/** Pods, cpu (millicores) and memory (bytes) asked for at each step. */
export interface Demand {
  pods: Float64Array;
  cpuMilli: Float64Array;
  memoryBytes: Float64Array;
}

/** The fewest nodes that can hold `pods` pods asking `cpu` and `memory` in all, by each measure alone. */
export function nodesFor(pods: number, cpu: number, memory: number, capacity: NodeCapacity): number {
  if (pods <= 0) return 0;
  return Math.max(Math.ceil(pods / capacity.pods), Math.ceil(cpu / capacity.cpuMilli), Math.ceil(memory / capacity.memoryBytes));
}

/** BG jobs running at each step's instant, each from its arrival for its duration. */
export function runningJobs(traffic: Pick<Traffic, 'start' | 'stepMs' | 'jobs'>, steps: number): Int32Array {
  const starts = traffic.jobs.map((j) => j.at).sort((a, b) => a - b);
  const ends = traffic.jobs.map((j) => j.at + j.durationMs).sort((a, b) => a - b);
  const out = new Int32Array(steps);
  let s = 0;
  let e = 0;
  for (let i = 0; i < steps; i++) {
    const t = traffic.start + i * traffic.stepMs;
    while (s < starts.length && starts[s]! <= t) s++;
    while (e < ends.length && ends[e]! <= t) e++;
    out[i] = s - e;
  }
  return out;
}

/** The traffic's demand on the user pool at each step (see the top of this file). */
export function trafficDemand(traffic: Traffic, shape: WorkloadShape, workerMinReplicas: number): Demand {
  const steps = traffic.mdmRps.length;
  const jobs = runningJobs(traffic, steps);
  const hpa = new MdmHpa(traffic, shape);
  const r = (name: keyof typeof WORKLOAD_REQUESTS) => ({
    cpu: cpuMilli(WORKLOAD_REQUESTS[name].cpu),
    memory: memoryBytes(WORKLOAD_REQUESTS[name].memory),
  });
  const panel = r('panel');
  const mdm = r('mdm');
  const bg = r('bg');
  const demand: Demand = { pods: new Float64Array(steps), cpuMilli: new Float64Array(steps), memoryBytes: new Float64Array(steps) };
  for (let i = 0; i < steps; i++) {
    hpa.step(i);
    const m = hpa.replicas;
    const w = Math.max(workerMinReplicas, jobs[i]!);
    const p = shape.panelReplicas;
    demand.pods[i] = m + w + p;
    demand.cpuMilli[i] = m * mdm.cpu + w * bg.cpu + p * panel.cpu;
    demand.memoryBytes[i] = m * mdm.memory + w * bg.memory + p * panel.memory;
  }
  return demand;
}

export interface OracleBound {
  /** The bound's nodes at each step. */
  nodes: Int32Array;
  nodeHours: number;
}

export function oracleBound(demand: Demand, capacity: NodeCapacity, stepMs: number): OracleBound {
  const steps = demand.pods.length;
  const nodes = new Int32Array(steps);
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    nodes[i] = nodesFor(demand.pods[i]!, demand.cpuMilli[i]!, demand.memoryBytes[i]!, capacity);
    sum += nodes[i]!;
  }
  return { nodes, nodeHours: (sum * stepMs) / HOUR };
}

/** A ready user node's allocatable less what its DaemonSet (and mirror) pods take, as the run measures it. */
export function userNodeCapacity(read: { nodes: readonly NodeView[]; pods: readonly PodView[] }): NodeCapacity {
  const node = read.nodes.find((n) => n.pool === USER_POOL && n.ready);
  if (node === undefined) throw new Error('no ready user node to measure the capacity of');
  const capacity = { pods: node.allocatable.pods, cpuMilli: node.allocatable.cpuMilli, memoryBytes: node.allocatable.memoryBytes };
  for (const pod of read.pods) {
    if (pod.node !== node.name || !(pod.daemonSet || pod.mirror)) continue;
    capacity.pods--;
    capacity.cpuMilli -= pod.requests.cpuMilli;
    capacity.memoryBytes -= pod.requests.memoryBytes;
  }
  return capacity;
}
