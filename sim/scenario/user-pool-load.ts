// What the run's own pods ask of the user pool right now — workload pods (not DaemonSet or mirror
// pods, not finished, not terminating, bound or pending) that a user node could take (no node
// selector: the batch Job's pods select the protected pool) — and which user nodes are cordoned,
// both kept on every write rather than found by a walk over every pod at every step.

import { AGENT_POOL_LABEL } from '../../core/annotations';
import { cpuMilli, memoryBytes } from '../../core/quantity';
import type { SimCluster } from '../model/cluster';
import { controllerOf, type DeepReadonly, type Node, type Pod } from '../model/objects';
import { USER_POOL } from './world';

export interface Ask {
  cpu: number;
  memory: number;
}

/** A pod's requested cpu (millicores) and memory (bytes), summed over its containers. */
export function podRequests(pod: DeepReadonly<Pod>): Ask {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec.containers) {
    cpu += cpuMilli(c.resources?.requests?.cpu ?? '0');
    memory += memoryBytes(c.resources?.requests?.memory ?? '0');
  }
  return { cpu, memory };
}

function askOf(pod: DeepReadonly<Pod>): Ask | undefined {
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp !== undefined) return undefined;
  if (pod.spec.nodeSelector !== undefined || controllerOf(pod)?.kind === 'DaemonSet') return undefined;
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return undefined;
  return podRequests(pod);
}

export class UserPoolLoad {
  pods = 0;
  cpuMilli = 0;
  memoryBytes = 0;
  /** User nodes with spec.unschedulable. */
  readonly cordoned = new Set<string>();
  private readonly asks = new Map<string, Ask>();

  constructor(cluster: SimCluster) {
    cluster.observe('Pod', (key, object) => this.podWritten(key, object as DeepReadonly<Pod> | undefined));
    cluster.observe('Node', (key, object) => {
      const node = object as DeepReadonly<Node> | undefined;
      if (node !== undefined && node.metadata.labels?.[AGENT_POOL_LABEL] === USER_POOL && node.spec.unschedulable === true)
        this.cordoned.add(key);
      else this.cordoned.delete(key);
    });
  }

  private podWritten(key: string, pod: DeepReadonly<Pod> | undefined): void {
    const before = this.asks.get(key);
    if (before !== undefined) {
      this.pods--;
      this.cpuMilli -= before.cpu;
      this.memoryBytes -= before.memory;
      this.asks.delete(key);
    }
    const ask = pod === undefined ? undefined : askOf(pod);
    if (ask === undefined) return;
    this.pods++;
    this.cpuMilli += ask.cpu;
    this.memoryBytes += ask.memory;
    this.asks.set(key, ask);
  }
}
