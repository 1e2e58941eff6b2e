// Memory and status live in ConfigMaps in our namespace: `kubectl get cm graceful-scaler-state -o yaml`
// shows what the scaler remembers. Writes use optimistic concurrency (resourceVersion; 409 = someone
// else wrote since we read). Each call is retried on transient failures (Clients.call): a write whose
// answer was lost is safe to send again, since the retry gets a 409 and the caller re-reads.

import { ensureError } from '../../core/errors';
import { emptyMemory, parseMemory, type Memory } from '../../core/memory';
import type { MemoryStore, ObjectRef, StatusSink } from '../../runner/ports';
import { statusOf, type Clients } from './clients';

const MEMORY_KEY = 'memory.json';

/**
 * The memory stored as `text` (absent or empty: nothing remembered yet); `where` names it in messages.
 * Text that is not valid memory (a hand edit, a truncated value) reads as nothing remembered, with
 * `unreadable` saying why: failing every tick until a person fixes it would leave the cluster
 * unscaled at the morning surge, and starting afresh is what deleting the ConfigMap does, which is
 * safe (drains are mirrored in node annotations, and a start or a pool growth is observed again).
 * The next save replaces the text.
 */
export function memoryFromText(text: string | undefined, where: string): { memory: Memory; unreadable?: string } {
  if (!text) return { memory: emptyMemory() };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return {
      memory: emptyMemory(),
      unreadable: `${where}: not JSON (${ensureError(err).message}); starting afresh, the next save replaces it`,
    };
  }
  const parsed = parseMemory(raw);
  if (!parsed.ok)
    return {
      memory: emptyMemory(),
      unreadable: `${where}: ${parsed.problems.slice(0, 5).join('; ')}; starting afresh, the next save replaces it`,
    };
  return { memory: parsed.memory };
}

export class ConfigMapMemoryStore implements MemoryStore {
  constructor(
    private readonly clients: Clients,
    private readonly namespace: string,
    private readonly name = 'graceful-scaler-state',
  ) {}

  async load(): Promise<{ memory: Memory; version: string | undefined; unreadable?: string }> {
    try {
      const cm = await this.clients.call(`read ConfigMap ${this.name}`, () =>
        this.clients.core.readNamespacedConfigMap({ name: this.name, namespace: this.namespace }),
      );
      return {
        ...memoryFromText(cm.data?.[MEMORY_KEY], `ConfigMap ${this.namespace}/${this.name} key ${MEMORY_KEY}`),
        version: cm.metadata?.resourceVersion,
      };
    } catch (err) {
      if (statusOf(err) === 404) return { memory: emptyMemory(), version: undefined };
      throw err;
    }
  }

  async save(memory: Memory, version: string | undefined): Promise<boolean> {
    const body = {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(version ? { resourceVersion: version } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'graceful-scaler' },
      },
      data: { [MEMORY_KEY]: JSON.stringify(memory) },
    };
    try {
      if (version === undefined)
        await this.clients.call(`create ConfigMap ${this.name}`, () =>
          this.clients.core.createNamespacedConfigMap({ namespace: this.namespace, body }),
        );
      else
        await this.clients.call(`replace ConfigMap ${this.name}`, () =>
          this.clients.core.replaceNamespacedConfigMap({ name: this.name, namespace: this.namespace, body }),
        );
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }
}

/**
 * Like cluster-autoscaler's `cluster-autoscaler-status`: each scaler's last run (`<scaler>.json`, pretty
 * for `kubectl get -o yaml`) and its bounded history (`<scaler>.history.json`, compact), for people,
 * dashboards and the status page.
 */
export class ConfigMapStatusWriter implements StatusSink {
  readonly ref: ObjectRef;

  constructor(
    private readonly clients: Clients,
    private readonly namespace: string,
    private readonly name = 'graceful-scaler-status',
  ) {
    this.ref = { kind: 'ConfigMap', name, namespace };
  }

  async write(scaler: string, status: unknown, history: (previous: unknown) => unknown): Promise<void> {
    // A status is a report, not state: on a conflict the history is recomputed from a fresh read; after
    // three conflicts this tick's report is dropped (the next tick writes its own).
    for (let attempt = 0; attempt < 3; attempt++) {
      const { data, version } = await this.load();
      data[`${scaler}.json`] = JSON.stringify(status, null, 2);
      data[`${scaler}.history.json`] = JSON.stringify(history(parseOrUndefined(data[`${scaler}.history.json`])));
      const body = { metadata: { name: this.name, namespace: this.namespace, ...(version ? { resourceVersion: version } : {}) }, data };
      try {
        if (version === undefined)
          await this.clients.call(`create ConfigMap ${this.name}`, () =>
            this.clients.core.createNamespacedConfigMap({ namespace: this.namespace, body }),
          );
        else
          await this.clients.call(`replace ConfigMap ${this.name}`, () =>
            this.clients.core.replaceNamespacedConfigMap({ name: this.name, namespace: this.namespace, body }),
          );
        return;
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    }
  }

  async read(): Promise<Record<string, { last: unknown; history: unknown }>> {
    const { data } = await this.load();
    const out: Record<string, { last: unknown; history: unknown }> = {};
    for (const key of Object.keys(data)) {
      const scaler = /^([a-z]+)\.json$/.exec(key)?.[1];
      if (scaler === undefined) continue;
      out[scaler] = { last: parseOrUndefined(data[key]), history: parseOrUndefined(data[`${scaler}.history.json`]) };
    }
    return out;
  }

  private async load(): Promise<{ data: Record<string, string>; version: string | undefined }> {
    try {
      const cm = await this.clients.call(`read ConfigMap ${this.name}`, () =>
        this.clients.core.readNamespacedConfigMap({ name: this.name, namespace: this.namespace }),
      );
      return { data: { ...(cm.data ?? {}) }, version: cm.metadata?.resourceVersion };
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      return { data: {}, version: undefined };
    }
  }
}

/** A hand-edited or truncated value reads as absent rather than failing the tick or the page. */
function parseOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
