// A runner on doubles that records every write to the cluster or the VMs (reads are free), the
// memory it saves, what it logs and the status it writes.

import { emptyMemory, type Memory } from '../../core/memory';
import type { Snapshot } from '../../core/views';
import type { MemoryStore, NodeVms, StatusSink } from '../../runner/ports';
import type { RunnerDeps } from '../../runner/run-tick';
import { readerOf, vmStateOf } from '../builders/fresh-reads';
import { NOW } from '../builders/views';

export class Store implements MemoryStore {
  constructor(public memory: Memory = emptyMemory()) {}
  async load() {
    return { memory: structuredClone(this.memory), version: '1' };
  }
  async save(memory: Memory) {
    this.memory = structuredClone(memory);
    return true;
  }
}

/**
 * Records every write the runner makes to the cluster or the VMs; reads are free. The placement
 * marks (node taint and label patches, and their Events) are recorded apart, in `marks`.
 */
export function harness(snapshot: Snapshot, memory?: Memory, vms: Partial<NodeVms> = {}) {
  const writes: string[] = [];
  const marks: string[] = [];
  const logs: string[] = [];
  const statuses: Record<string, unknown> = {};
  let reads = 0;
  const store = new Store(memory);
  const status: StatusSink = {
    write: async (scaler, s) => void (statuses[scaler] = s),
    read: async () => ({}),
  };
  const deps: RunnerDeps = {
    reader: readerOf(() => {
      reads++;
      return snapshot;
    }),
    queues: { read: async (names) => snapshot.queues.filter((q) => names.includes(q.name)) },
    actions: {
      cordon: async (n) => void writes.push(`cordon ${n}`),
      uncordon: async (n) => void writes.push(`uncordon ${n}`),
      evict: async (ns, p) => {
        writes.push(`evict ${ns}/${p}`);
        return 'evicted';
      },
      scale: async (ns, d, r) => void writes.push(`scale ${ns}/${d} ${r}`),
      setDeletionCost: async (ns, p, c) => void writes.push(`cost ${ns}/${p} ${c}`),
      markNode: async (n, mark, set) => {
        marks.push(`mark ${n} ${set ? '+' : '-'}${mark}`);
        return 'marked';
      },
    },
    vms: {
      start: async (n) => void writes.push(`start ${n.name}`),
      deallocate: async (n) => void writes.push(`deallocate ${n.name}`),
      addNodes: async (p, c) => void writes.push(`add ${p} ${c}`),
      state: vmStateOf,
      // No ARM in these tests: the pools' states are not known, as with a Kubernetes dump.
      poolStates: async () => undefined,
      ...vms,
    },
    memory: store,
    lease: { acquire: async () => true, release: async () => {} },
    events: { emit: async (ref, e) => void (e.action === 'mark-node' ? marks : writes).push(`event ${e.reason} ${ref.name}`) },
    status,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`), error: (m) => logs.push(`ERROR ${m}`) },
    clock: () => NOW,
    holder: 'test-1',
  };
  return { deps, writes, marks, logs, store, statuses, reads: () => reads };
}
