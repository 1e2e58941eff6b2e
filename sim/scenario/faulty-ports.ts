// The runner's Kubernetes-side ports with seeded faults (faults.ts) between them and the simulated
// cluster, each answering a fault as its production adapter does: a write's 409 on the memory
// ConfigMap is a lost race (save returns false), on the Lease another holder, elsewhere a failure;
// an eviction's 404 after a lost answer is 'gone'. The memory lives as JSON text with a version, as
// in its ConfigMap, so a person (or the soak) can delete it or write garbage into it.

import type { NodeMark } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { memoryFromText } from '../../adapters/kubernetes/configmap-store';
import type {
  ClusterReader,
  EventSink,
  EvictionOutcome,
  KubernetesActions,
  LeaseLock,
  MarkOutcome,
  MemoryStore,
  ObjectRef,
  QueueDepths,
  StatusSink,
} from '../../runner/ports';
import { QueueNotFoundError } from '../../runner/ports';
import { withRetries } from '../../runner/retry';
import type { InMemoryLease } from './in-process-ports';
import { EVICT_FAULTS, READ_FAULTS, statusError, statusOfError, WRITE_FAULTS, type Faults } from './faults';

export class FaultyReader implements ClusterReader {
  constructor(
    private readonly inner: ClusterReader,
    private readonly faults: Faults,
  ) {}

  readCluster(): ReturnType<ClusterReader['readCluster']> {
    return this.faults.kube('list nodes, pods, PDBs and Deployments', READ_FAULTS, () => this.inner.readCluster());
  }

  readNode(name: string): Promise<Awaited<ReturnType<ClusterReader['readNode']>>> {
    return this.faults.kube(`get node ${name}`, READ_FAULTS, () => this.inner.readNode(name));
  }

  readPodsOn(node: string): ReturnType<ClusterReader['readPodsOn']> {
    return this.faults.kube(`list pods on ${node}`, READ_FAULTS, () => this.inner.readPodsOn(node));
  }
}

export class FaultyActions implements KubernetesActions {
  constructor(
    private readonly inner: KubernetesActions,
    private readonly faults: Faults,
  ) {}

  cordon(node: string, drain: { since: string; reason: string }): Promise<void> {
    return this.faults.kube(`cordon ${node}`, WRITE_FAULTS, () => this.inner.cordon(node, drain));
  }

  uncordon(node: string): Promise<void> {
    return this.faults.kube(`uncordon ${node}`, WRITE_FAULTS, () => this.inner.uncordon(node));
  }

  async evict(namespace: string, pod: string): Promise<EvictionOutcome> {
    try {
      return await this.faults.kube(`evict ${namespace}/${pod}`, EVICT_FAULTS, () => this.inner.evict(namespace, pod));
    } catch (err) {
      if (statusOfError(err) === 404) return 'gone';
      throw err;
    }
  }

  scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    return this.faults.kube(`scale ${namespace}/${deployment}`, WRITE_FAULTS, () => this.inner.scale(namespace, deployment, replicas));
  }

  setDeletionCost(namespace: string, pod: string, cost: number): Promise<void> {
    return this.faults.kube(`set the deletion cost of ${namespace}/${pod}`, WRITE_FAULTS, () =>
      this.inner.setDeletionCost(namespace, pod, cost),
    );
  }

  async markNode(node: string, mark: NodeMark, set: boolean, at: number): Promise<MarkOutcome> {
    try {
      return await this.faults.kube(`mark node ${node} (${mark})`, WRITE_FAULTS, () => this.inner.markNode(node, mark, set, at));
    } catch (err) {
      // As the adapter: its patch is conditional, so a 409 means "read again next tick".
      if (statusOfError(err) === 409) return 'conflict';
      throw err;
    }
  }
}

/** The memory ConfigMap: JSON text and a resourceVersion, read as the ConfigMap adapter reads it. */
export class ConfigMapText {
  text: string | undefined;
  version = 0;

  /** `kubectl delete configmap graceful-scaler-state` */
  delete(): void {
    this.text = undefined;
    this.version = 0;
  }

  /** `kubectl edit`: the text replaced by whatever a person typed. */
  edit(text: string): void {
    this.text = text;
    this.version++;
  }

  private parsed: { text: string | undefined; read: { memory: Memory; unreadable?: string } } | undefined;

  /**
   * As the ConfigMap adapter reads it. The same text gives the same (shared) Memory, as the
   * simulator's in-memory store does: the runner never edits a Memory it loaded.
   */
  read(): { memory: Memory; unreadable?: string } {
    if (this.parsed === undefined || this.parsed.text !== this.text) {
      this.parsed = { text: this.text, read: memoryFromText(this.text, 'ConfigMap graceful-scaler-state key memory.json') };
    }
    return this.parsed.read;
  }
}

export class FaultyMemoryStore implements MemoryStore {
  constructor(
    private readonly configMap: ConfigMapText,
    private readonly faults: Faults,
  ) {}

  load(): ReturnType<MemoryStore['load']> {
    return this.faults.kube('read ConfigMap graceful-scaler-state', READ_FAULTS, () => {
      const { version } = this.configMap;
      return Promise.resolve({ ...this.configMap.read(), version: version === 0 ? undefined : String(version) });
    });
  }

  async save(memory: Memory, version: string | undefined): Promise<boolean> {
    try {
      await this.faults.kube('replace ConfigMap graceful-scaler-state', WRITE_FAULTS, () => {
        const current = this.configMap.version === 0 ? undefined : String(this.configMap.version);
        // Create on an existing ConfigMap or replace with a stale resourceVersion: 409, as the API server.
        if (version !== current) return Promise.reject(statusError(409, 'replace ConfigMap graceful-scaler-state'));
        this.configMap.edit(JSON.stringify(memory));
        return Promise.resolve();
      });
      return true;
    } catch (err) {
      if (statusOfError(err) === 409) return false;
      throw err;
    }
  }
}

export class FaultyLease implements LeaseLock {
  constructor(
    private readonly inner: InMemoryLease,
    private readonly faults: Faults,
  ) {}

  async acquire(name: string, holder: string, durationSeconds: number): Promise<boolean> {
    try {
      return await this.faults.kube(`take Lease ${name}`, WRITE_FAULTS, () => this.inner.acquire(name, holder, durationSeconds));
    } catch (err) {
      // As the Lease adapter: a 409 is a race lost to another holder (it reads back whether we hold it).
      if (statusOfError(err) === 409) return this.inner.heldBy(name, holder);
      throw err;
    }
  }

  release(name: string, holder: string): Promise<void> {
    return this.faults
      .kube(`release Lease ${name}`, WRITE_FAULTS, () => this.inner.release(name, holder))
      .catch((err: unknown) => {
        if (statusOfError(err) === 409) return;
        throw err;
      });
  }
}

export class FaultyStatus implements StatusSink {
  constructor(
    private readonly inner: StatusSink,
    private readonly faults: Faults,
  ) {}

  write(scaler: string, status: unknown, history: (previous: unknown) => unknown): Promise<void> {
    return this.faults.kube('write ConfigMap graceful-scaler-status', WRITE_FAULTS, () => this.inner.write(scaler, status, history));
  }

  read(): ReturnType<StatusSink['read']> {
    return this.faults.kube('read ConfigMap graceful-scaler-status', READ_FAULTS, () => this.inner.read());
  }
}

/**
 * A status sink that keeps each scaler's last record only: the soak checks no status page, and the
 * bounded history's JSON round trip at every tick would be most of a soak's time.
 */
export class LastStatus implements StatusSink {
  private readonly last = new Map<string, unknown>();

  write(scaler: string, status: unknown): Promise<void> {
    this.last.set(scaler, status);
    return Promise.resolve();
  }

  read(): ReturnType<StatusSink['read']> {
    return Promise.resolve(Object.fromEntries([...this.last].map(([scaler, last]) => [scaler, { last, history: undefined }])));
  }
}

export class FaultyEvents implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly faults: Faults,
  ) {}

  emit(ref: ObjectRef, event: Parameters<EventSink['emit']>[1]): Promise<void> {
    return this.faults.kube(`create Event on ${ref.kind} ${ref.name}`, WRITE_FAULTS, () => this.inner.emit(ref, event));
  }
}

/** Storage Queues: 500, 503 ServerBusy and timeouts, retried as the SDK's bounded policy does (adapters/queues.ts). */
export class FaultyQueues implements QueueDepths {
  constructor(
    private readonly inner: QueueDepths,
    private readonly faults: Faults,
  ) {}

  read(names: readonly string[]): ReturnType<QueueDepths['read']> {
    const what = `queue depths of ${names.join(', ')}`;
    return withRetries(
      what,
      async () => {
        this.faults.gate(what);
        const fault = this.faults.roll(['500', '503', 'timeout'] as const);
        if (fault === undefined) return this.inner.read(names);
        this.faults.tally.add(`queue ${fault}`, what);
        if (fault === 'timeout') await this.faults.wall.sleep(5_000);
        throw Object.assign(new Error(`${what}: ${fault === 'timeout' ? 'timed out' : `HTTP ${fault}`} (injected)`), {
          statusCode: fault === 'timeout' ? 408 : Number(fault),
        });
      },
      (err) =>
        err instanceof QueueNotFoundError
          ? undefined
          : [408, 500, 503].includes((err as { statusCode?: number }).statusCode ?? 0)
            ? { reason: 'storage' }
            : undefined,
      { ...this.faults.retries, attempts: 4, budgetMs: 17_000 },
    );
  }
}
