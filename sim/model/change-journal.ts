// The store's recent writes, in resourceVersion order, for watches: a watch from resourceVersion N
// replays what was written after N and then hears every write as it happens. Bounded, like etcd's
// compaction: a watch from before the oldest write kept is answered 410 Gone, and the client lists
// again. The store keeps a journal only once someone asked for one (the API server does when it
// starts, so that a watch can follow the resourceVersion of any list it served): the simulator,
// which serves no API, pays nothing.

import type { KubeObject } from './objects';
import type { StoredKind } from './resources';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  /** The resourceVersion this write made. */
  rv: number;
  kind: StoredKind;
  type: ChangeType;
  /** As stored by the write; for DELETED, the last version with the deletion's resourceVersion. */
  object: KubeObject;
  /** The version the write replaced (MODIFIED, DELETED): lets a filtered watch see an object leave its filter. */
  previous: KubeObject | undefined;
}

export type ChangeListener = (change: Change) => void;

/** About an hour of a busy small cluster's writes; the simulator's 150,000-pod worlds never keep one. */
export const DEFAULT_JOURNAL_CAPACITY = 20_000;

export class ChangeJournal {
  private entries: Change[] = [];
  private head = 0;
  private readonly listeners = new Map<StoredKind, Set<ChangeListener>>();

  /** `startRv`: the store's resourceVersion when the journal began; changes after it are kept. */
  constructor(
    private compactedRv: number,
    private readonly capacity = DEFAULT_JOURNAL_CAPACITY,
  ) {}

  record(change: Change): void {
    this.entries.push(change);
    if (this.entries.length - this.head > this.capacity) {
      this.compactedRv = this.entries[this.head]!.rv;
      this.head++;
      // Drop the consumed prefix now and then rather than shifting on every write.
      if (this.head > this.capacity) {
        this.entries = this.entries.slice(this.head);
        this.head = 0;
      }
    }
    const listeners = this.listeners.get(change.kind);
    if (listeners !== undefined) for (const listener of [...listeners]) listener(change);
  }

  /**
   * The changes of `kind` after resourceVersion `rv`, oldest first, or 'expired' when some of them
   * are no longer kept.
   */
  since(kind: StoredKind, rv: number): Change[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    const out: Change[] = [];
    for (let i = this.entries.length - 1; i >= this.head; i--) {
      const change = this.entries[i]!;
      if (change.rv <= rv) break;
      if (change.kind === kind) out.push(change);
    }
    return out.reverse();
  }

  listen(kind: StoredKind, listener: ChangeListener): () => void {
    let set = this.listeners.get(kind);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(kind, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
}
