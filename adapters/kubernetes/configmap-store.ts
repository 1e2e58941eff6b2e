// Memory and status live in ConfigMaps in our namespace: `kubectl get cm graceful-scaler-state -o yaml`
// shows what the scaler remembers. Writes use optimistic concurrency (resourceVersion; 409 = someone
// else wrote since we read).

import { InputError } from '../../core/errors';
import { emptyMemory, parseMemory, type Memory } from '../../core/memory';
import type { MemoryStore } from '../ports';
import { statusOf, type Clients } from './clients';

const MEMORY_KEY = 'memory.json';

export class ConfigMapMemoryStore implements MemoryStore {
  constructor(
    private readonly clients: Clients,
    private readonly namespace: string,
    private readonly name = 'graceful-scaler-state',
  ) {}

  async load(): Promise<{ memory: Memory; version: string | undefined }> {
    try {
      const cm = await this.clients.core.readNamespacedConfigMap({ name: this.name, namespace: this.namespace });
      const text = cm.data?.[MEMORY_KEY];
      if (!text) return { memory: emptyMemory(), version: cm.metadata?.resourceVersion };
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new InputError(`ConfigMap ${this.namespace}/${this.name} key ${MEMORY_KEY}: not JSON (${(err as Error).message}); fix or delete the key to start afresh`);
      }
      const parsed = parseMemory(raw);
      if (!parsed.ok) throw new InputError(parsed.problems.map((p) => `ConfigMap ${this.namespace}/${this.name} key ${MEMORY_KEY}: ${p}`));
      return { memory: parsed.memory, version: cm.metadata?.resourceVersion };
    } catch (err) {
      if (statusOf(err) === 404) return { memory: emptyMemory(), version: undefined };
      throw err;
    }
  }

  async save(memory: Memory, version: string | undefined): Promise<boolean> {
    const body = {
      metadata: { name: this.name, namespace: this.namespace, ...(version ? { resourceVersion: version } : {}), labels: { 'app.kubernetes.io/managed-by': 'graceful-scaler' } },
      data: { [MEMORY_KEY]: JSON.stringify(memory) },
    };
    try {
      if (version === undefined) await this.clients.core.createNamespacedConfigMap({ namespace: this.namespace, body });
      else await this.clients.core.replaceNamespacedConfigMap({ name: this.name, namespace: this.namespace, body });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw err;
    }
  }
}

/** Like cluster-autoscaler's `cluster-autoscaler-status`: each scaler's last run, for people and dashboards. */
export class ConfigMapStatusWriter {
  constructor(
    private readonly clients: Clients,
    private readonly namespace: string,
    private readonly name = 'graceful-scaler-status',
  ) {}

  async write(scaler: string, status: unknown): Promise<void> {
    // Last writer wins per key: a status is a report, not state; a conflict is retried once with a fresh read.
    for (let attempt = 0; attempt < 3; attempt++) {
      let version: string | undefined;
      let data: Record<string, string> = {};
      try {
        const cm = await this.clients.core.readNamespacedConfigMap({ name: this.name, namespace: this.namespace });
        version = cm.metadata?.resourceVersion;
        data = { ...(cm.data ?? {}) };
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      data[`${scaler}.json`] = JSON.stringify(status, null, 2);
      const body = { metadata: { name: this.name, namespace: this.namespace, ...(version ? { resourceVersion: version } : {}) }, data };
      try {
        if (version === undefined) await this.clients.core.createNamespacedConfigMap({ namespace: this.namespace, body });
        else await this.clients.core.replaceNamespacedConfigMap({ name: this.name, namespace: this.namespace, body });
        return;
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    }
  }
}
