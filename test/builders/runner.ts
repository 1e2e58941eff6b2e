// A runner on doubles: every port answers from the snapshot given, actions are recorded as text, and
// the Logger keeps every record with its structured data (what Application Insights would receive).
//
//   const r = buildRunner(buildSnapshot({ nodes }), { pools: [{ name: 'user', provisioningState: 'Upgrading' }] });
//   await runTick(r.deps, policy, 'nodes', { dryRun: false });
//   r.records.find((x) => x.data?.metric === 'graceful-scaler.tick')

import { emptyMemory, type Memory } from '../../core/memory';
import type { PoolView, Snapshot } from '../../core/views';
import type { Logger, NodeVms, StatusSink } from '../../runner/ports';
import type { RunnerDeps } from '../../runner/run-tick';
import { readerOf, vmStateOf } from './fresh-reads';
import { NOW } from './views';

export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  message: string;
  data: Record<string, unknown> | undefined;
}

export interface RunnerDouble {
  deps: RunnerDeps;
  /** `cordon n1`, `add user 2`, …, in order. */
  calls: string[];
  /** The placement marks written, `n1 +stays`, `n3 -drain-candidate`, in order (kept apart from `calls`). */
  marks: string[];
  records: LogRecord[];
  memory(): Memory;
}

export interface RunnerOptions {
  memory?: Memory;
  /** What NodeVms.poolStates answers; a function to throw or change it. */
  pools?: PoolView[] | (() => Promise<PoolView[] | undefined>);
  leaseFree?: boolean;
  now?: number;
  /** A moving clock (wins over `now`). */
  clock?: () => number;
  status?: StatusSink;
}

export function capturingLogger(records: LogRecord[]): Logger {
  const keep = (level: LogRecord['level']) => (message: string, data?: Record<string, unknown>) =>
    void records.push({ level, message, data });
  return { info: keep('info'), warn: keep('warn'), error: keep('error') };
}

export function buildRunner(snapshot: Snapshot, options: RunnerOptions = {}): RunnerDouble {
  const calls: string[] = [];
  const marks: string[] = [];
  const records: LogRecord[] = [];
  let memory = options.memory ?? emptyMemory();
  let version = 0;
  const pools = options.pools;
  const vms: NodeVms = {
    start: async (n) => void calls.push(`start ${n.name}`),
    deallocate: async (n) => void calls.push(`deallocate ${n.name}`),
    addNodes: async (p, c) => void calls.push(`add ${p} ${c}`),
    state: vmStateOf,
    poolStates: typeof pools === 'function' ? pools : async () => pools,
  };
  const deps: RunnerDeps = {
    reader: readerOf(() => snapshot),
    queues: { read: async (names) => snapshot.queues.filter((q) => names.includes(q.name)) },
    actions: {
      cordon: async (n) => void calls.push(`cordon ${n}`),
      uncordon: async (n) => void calls.push(`uncordon ${n}`),
      evict: async (ns, p) => {
        calls.push(`evict ${ns}/${p}`);
        return 'evicted';
      },
      scale: async (ns, d, r) => void calls.push(`scale ${ns}/${d} ${r}`),
      setDeletionCost: async (ns, p, c) => void calls.push(`cost ${ns}/${p} ${c}`),
      markNode: async (n, mark, set) => {
        marks.push(`${n} ${set ? '+' : '-'}${mark}`);
        return 'marked';
      },
    },
    vms,
    memory: {
      load: async () => ({ memory: structuredClone(memory), version: String(version) }),
      save: async (m, v) => {
        if (v !== String(version)) return false;
        memory = structuredClone(m);
        version++;
        return true;
      },
    },
    lease: { acquire: async () => options.leaseFree ?? true, release: async () => {} },
    events: { emit: async () => {} },
    status: options.status,
    log: capturingLogger(records),
    clock: options.clock ?? (() => options.now ?? NOW),
    holder: 'test-1',
    // A Lease held by another is waited for in simulated time: the tick backs off at once.
    timing: (() => {
      let wall = 0;
      return { now: () => wall, sleep: async (ms: number) => void (wall += ms), random: () => 0.5, tickId: () => 't1' };
    })(),
  };
  return { deps, calls, marks, records, memory: () => memory };
}
