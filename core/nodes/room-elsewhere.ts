// Would the pods a drain evicts find room on the nodes that stay? The count of nodes the load needs
// is arithmetic (pods, cpu and memory summed); the scheduler places pods one by one on nodes whose
// free room comes in pieces (each node's pod limit, its cpu, its memory). When the nodes are packed
// tight, a drain the arithmetic allows evicts pods that fit on no other node: they go Unschedulable,
// the next tick wants a node more and gives the drain back, and every eviction was for nothing (the
// reference week at targetPodsPerNode 24 cancelled a drain every 12 minutes that way).
// cluster-autoscaler checks the same before removing a node (its scale-down simulation,
// `NoPlaceToMovePods`). Pods are placed largest first, each on the first node with room that its
// node selector, required node affinity, taints and required pod anti-affinity allow (its own terms,
// and those of the pods already in that node's topology domain: one replica per node or zone), and
// the room they take is kept for the next candidate of the tick.

import { AntiAffinity } from '../anti-affinity';
import { podKey, roomAt } from '../cluster';
import { hasRoom, selectsNode, toleratesNode, type Room } from '../fit';
import type { NodeView, PodView } from '../views';
import type { NodeTick, Tracked } from './tick';

interface Receiver {
  node: NodeView;
  room: Room;
}

export type Placement = { fits: true } | { fits: false; reason: string };

export class RoomElsewhere {
  private receivers: Receiver[] | undefined;
  /** Nodes chosen to drain this tick: their room is not offered to the next candidate. */
  private readonly leaving = new Set<string>();
  /** Required pod anti-affinity, with the pods placed so far this tick. */
  private readonly antiAffinity: AntiAffinity;

  constructor(private readonly tick: NodeTick) {
    this.antiAffinity = new AntiAffinity(tick.input.index, tick.input.snapshot.nodes, this.leaving);
  }

  /**
   * Places `pods` (the candidate's pods a drain would evict) on the other nodes that take pods. When
   * every one finds room, the room is taken and the candidate leaves the receivers; otherwise nothing
   * is taken and the reason names the first pod left without a place.
   */
  place(candidate: Tracked, pods: readonly PodView[]): Placement {
    const receivers = (this.receivers ??= this.findReceivers());
    this.leaving.add(candidate.node.name);
    const largestFirst = [...pods].sort(
      (a, b) => b.requests.memoryBytes - a.requests.memoryBytes || b.requests.cpuMilli - a.requests.cpuMilli,
    );
    const taken: { r: Receiver; pod: PodView }[] = [];
    for (const pod of largestFirst) {
      const r = receivers.find(
        (r) =>
          !this.leaving.has(r.node.name) &&
          hasRoom(r.room, pod.requests) &&
          selectsNode(pod, r.node) &&
          toleratesNode(pod, r.node) &&
          this.antiAffinity.allows(pod, r.node),
      );
      if (r === undefined) {
        for (const t of taken.reverse()) {
          give(t.r.room, t.pod, +1);
          this.antiAffinity.unplace(t.pod, t.r.node);
        }
        this.leaving.delete(candidate.node.name);
        return { fits: false, reason: this.noPlace(pod, taken.length, largestFirst.length) };
      }
      give(r.room, pod, -1);
      this.antiAffinity.place(pod, r.node);
      taken.push({ r, pod });
    }
    return { fits: true };
  }

  /** Ready, schedulable nodes of any pool that the node planner does not have on their way out. */
  private findReceivers(): Receiver[] {
    const { index, snapshot } = this.tick.input;
    const receivers: Receiver[] = [];
    for (const node of snapshot.nodes) {
      if (!node.ready || node.cordoned) continue;
      const at = index.at(node.name);
      const tracked = this.tick.trackedAt(at);
      if (tracked !== undefined && tracked.state !== 'running') continue;
      receivers.push({ node, room: roomAt(index, at, node) });
    }
    return receivers;
  }

  private noPlace(pod: PodView, placed: number, of: number): string {
    const cpu = (pod.requests.cpuMilli / 1000).toFixed(2);
    const gib = (pod.requests.memoryBytes / 1024 ** 3).toFixed(1);
    const others = this.receivers!.filter((r) => !this.leaving.has(r.node.name)).length;
    return `its pods would not all find room on the ${others} other schedulable nodes (${placed} of ${of} placed; no room for ${podKey(pod)}, ${cpu} cpu, ${gib} GiB, within each node's pods, cpu and memory and what its affinity and taints allow): draining it would leave pods Unschedulable and the node wanted back (NoPlaceToMovePods)`;
  }
}

function give(room: Room, pod: PodView, sign: 1 | -1): void {
  room.pods += sign;
  room.cpuMilli += sign * pod.requests.cpuMilli;
  room.memoryBytes += sign * pod.requests.memoryBytes;
}
