// The runner's fresh reads (re-checks before a destructive call) answered from a snapshot, for port
// doubles: the node and its pods as the snapshot has them, a VM's power as its node view says.

import type { NodeView, Snapshot } from '../../core/views';
import type { ClusterReader, VmState } from '../../runner/ports';

export function readerOf(snapshot: () => Omit<Snapshot, 'queues'>): ClusterReader {
  return {
    readCluster: async () => snapshot(),
    readNode: async (name) => snapshot().nodes.find((n) => n.name === name),
    readPodsOn: async (node) => snapshot().pods.filter((p) => p.node === node),
  };
}

export async function vmStateOf(node: NodeView): Promise<VmState> {
  return { power: node.power === 'unknown' ? 'unknown' : node.power, busy: false };
}
