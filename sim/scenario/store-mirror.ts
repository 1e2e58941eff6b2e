// The objects of one kind that a filter accepts, each with its view, kept on every write of the
// model instead of found by a walk over every pod: a simulated week reads the cluster some 30,000
// times, while only a few pods change between two reads.
//
// Order is the store's own (what `cluster.pods()` walks), so a reader built on a mirror hands the
// core the very snapshot a walk would. The store keeps a Map, whose order is that of each key's
// first write since it was last deleted; the mirror numbers keys the same way and keeps the
// accepted ones in that order.

import type { KubeObject } from '../model/objects';
import type { StoreObserver } from '../model/object-store';
import type { StoredKind } from '../model/resources';

/** What a mirror follows: a SimCluster, or its ObjectStore. */
export interface Observable {
  observe(kind: StoredKind, observer: StoreObserver): () => void;
}

interface Entry<V> {
  key: string;
  object: KubeObject;
  /** The key's place in the store's order. */
  order: number;
  /** Made when first read; dropped when the object is written again. */
  view: V | undefined;
  /** Where the view sits in `list` (while `list` is kept). */
  index: number;
}

export class StoreMirror<T, V> {
  /** Every key stored now, numbered in the store's order. */
  private readonly order = new Map<string, number>();
  private nextOrder = 0;
  /** The accepted objects, in the store's order once `sorted`. */
  private accepted = new Map<string, Entry<V>>();
  /** At least the highest order among the accepted: a key accepted below it breaks the order. */
  private highest = -1;
  private sorted = true;
  /** The views as last handed out; undefined when only a walk over the accepted can make them again. */
  private list: readonly V[] | undefined;
  /** Entries written since, in place (or appended at the end), whose views `list` still lacks. */
  private changed: Entry<V>[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: Observable,
    private readonly kind: StoredKind,
    private readonly accept: (object: T) => boolean,
    /** Makes an object's view; `key` is its store key (`namespace/name`). */
    private readonly project: (object: T, key: string) => V,
  ) {}

  /**
   * The accepted objects' views, in store order. The array is never changed afterwards (a write
   * makes the next call hand out another one), so a caller may walk it while writing to the model.
   */
  views(): readonly V[] {
    this.unsubscribe ??= this.source.observe(this.kind, (key, object) => this.written(key, object));
    if (this.list === undefined) return (this.list = this.build());
    if (this.changed.length > 0) this.list = this.patched(this.list);
    return this.list;
  }

  /** Stops following the model's writes; the next read starts over from what is stored. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.order.clear();
    this.accepted.clear();
    this.highest = -1;
    this.sorted = true;
    this.list = undefined;
    this.changed = [];
  }

  private written(key: string, object: KubeObject | undefined): void {
    const entry = this.accepted.get(key);
    if (object === undefined) {
      this.order.delete(key);
      if (entry !== undefined) this.drop(key);
      return;
    }
    let order = this.order.get(key);
    if (order === undefined) {
      order = this.nextOrder++;
      this.order.set(key, order);
    }
    const accepted = this.accept(object as T);
    if (entry !== undefined) {
      if (!accepted) return this.drop(key);
      // Written in place: the same key keeps its place.
      entry.object = object;
      entry.view = undefined;
      if (this.list !== undefined) this.changed.push(entry);
      return;
    }
    if (!accepted) return;
    const added: Entry<V> = { key, object, order, view: undefined, index: -1 };
    this.accepted.set(key, added);
    if (order > this.highest) {
      // After every accepted key (a new key always is): appended.
      this.highest = order;
      if (this.list !== undefined) this.changed.push(added);
    } else {
      // An object accepted again below others (a changed label): its place is found by sorting.
      this.sorted = false;
      this.list = undefined;
      this.changed = [];
    }
  }

  private drop(key: string): void {
    this.accepted.delete(key);
    this.list = undefined;
    this.changed = [];
  }

  /** A copy of the list with the views of the entries written since (appended ones at the end). */
  private patched(list: readonly V[]): V[] {
    const next = list.slice();
    // Every changed entry is still accepted: a drop discards the list, and a build starts afresh.
    for (const entry of this.changed) {
      entry.view ??= this.project(entry.object as T, entry.key);
      if (entry.index < 0) entry.index = next.length;
      next[entry.index] = entry.view;
    }
    this.changed = [];
    return next;
  }

  private build(): V[] {
    if (!this.sorted) {
      this.accepted = new Map([...this.accepted].sort((a, b) => a[1].order - b[1].order));
      this.sorted = true;
    }
    const views: V[] = [];
    for (const entry of this.accepted.values()) {
      entry.view ??= this.project(entry.object as T, entry.key);
      entry.index = views.length;
      views.push(entry.view);
    }
    this.changed = [];
    return views;
  }
}
