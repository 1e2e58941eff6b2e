// Where the simulated API server keeps its objects: one collection per stored kind, keyed as etcd
// keys them (`<namespace>/<name>`, or `<name>` for cluster-scoped kinds), with one cluster-wide
// resourceVersion counter. Lists come out in key order, as from etcd, which is what makes `continue`
// tokens work: a page resumes after the last key it returned.
//
// Sorting 150,000 keys costs ~100 ms, so the sorted key array is kept until a key is added or
// removed; updates in place (most writes) keep it.

import { badRequest } from './api-errors';
import { ChangeJournal } from './change-journal';
import type { KubeObject } from './objects';
import { storageResource, type StoredKind } from './resources';

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** Hears every write of one kind: the object as stored, or undefined when it was removed. */
export type StoreObserver = (key: string, object: KubeObject | undefined) => void;

class Collection {
  readonly objects = new Map<string, KubeObject>();
  readonly observers: StoreObserver[] = [];
  private sorted: string[] | undefined;

  constructor(readonly namespaced: boolean) {}

  set(key: string, object: KubeObject): void {
    if (!this.objects.has(key)) this.sorted = undefined;
    this.objects.set(key, object);
    for (const observer of this.observers) observer(key, object);
  }

  delete(key: string): KubeObject | undefined {
    const object = this.objects.get(key);
    if (object !== undefined) {
      this.objects.delete(key);
      this.sorted = undefined;
      for (const observer of this.observers) observer(key, undefined);
    }
    return object;
  }

  sortedKeys(): readonly string[] {
    if (this.sorted === undefined) this.sorted = [...this.objects.keys()].sort(compareKeys);
    return this.sorted;
  }
}

/** Byte order, as etcd compares keys (localeCompare would not). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index in sorted `keys` whose key is greater than `key` (strictly, unless `inclusive`). */
function lowerBound(keys: readonly string[], key: string, inclusive: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid]!;
    if (k < key || (!inclusive && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface PageRequest {
  /** Only this namespace (namespaced kinds). */
  namespace?: string;
  /** Keys to consider instead of the whole collection (an index hit); any order. */
  candidates?: Iterable<string>;
  filter?: (object: KubeObject) => boolean;
  /** At most this many items; 0 or undefined: all. */
  limit?: number;
  /** Resume after this key (exclusive). */
  after?: string;
}

export interface Page {
  items: KubeObject[];
  /** Set when the page stopped at the limit with keys left: the last key looked at. */
  lastKey?: string;
  /** Keys left after this page, when no filter was applied (the API server only knows it then). */
  remaining?: number;
}

export class ObjectStore {
  private revision = 0;
  private readonly collections = new Map<StoredKind, Collection>();
  /** Kept once asked for (watches): one check per write until then. */
  private changes: ChangeJournal | undefined;

  private collection(kind: StoredKind): Collection {
    let collection = this.collections.get(kind);
    if (collection === undefined) {
      collection = new Collection(storageResource(kind).namespaced);
      this.collections.set(kind, collection);
    }
    return collection;
  }

  /** The current cluster-wide resourceVersion, as lists report it. */
  resourceVersion(): string {
    return String(this.revision);
  }

  get<T extends KubeObject = KubeObject>(kind: StoredKind, namespace: string | undefined, name: string): T | undefined {
    return this.collection(kind).objects.get(objectKey(namespace, name)) as T | undefined;
  }

  getByKey<T extends KubeObject = KubeObject>(kind: StoredKind, key: string): T | undefined {
    return this.collection(kind).objects.get(key) as T | undefined;
  }

  /**
   * Stores `object` (a fresh object nobody else holds) under its namespace/name with the next
   * resourceVersion, replacing any previous version, and returns it.
   */
  put<T extends KubeObject>(kind: StoredKind, object: T): T {
    object.metadata.resourceVersion = String(++this.revision);
    const collection = this.collection(kind);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = this.changes === undefined ? undefined : collection.objects.get(key);
    collection.set(key, object);
    this.changes?.record({ rv: this.revision, kind, type: previous === undefined ? 'ADDED' : 'MODIFIED', object, previous });
    return object;
  }

  remove<T extends KubeObject = KubeObject>(kind: StoredKind, namespace: string | undefined, name: string): T | undefined {
    const removed = this.collection(kind).delete(objectKey(namespace, name));
    // A delete is a write: it moves the cluster's resourceVersion on, as in etcd.
    if (removed !== undefined) {
      this.revision++;
      if (this.changes !== undefined) {
        const last = { ...removed, metadata: { ...removed.metadata, resourceVersion: String(this.revision) } };
        this.changes.record({ rv: this.revision, kind, type: 'DELETED', object: last, previous: removed });
      }
    }
    return removed as T | undefined;
  }

  /** The journal of writes from now on, for watches (started on the first call). */
  journal(): ChangeJournal {
    this.changes ??= new ChangeJournal(this.revision);
    return this.changes;
  }

  size(kind: StoredKind): number {
    return this.collection(kind).objects.size;
  }

  values<T extends KubeObject = KubeObject>(kind: StoredKind): IterableIterator<T> {
    return this.collection(kind).objects.values() as IterableIterator<T>;
  }

  /**
   * Calls `observer` with every object of `kind` stored now, in the collection's order, then with
   * every write of one as it happens. Replaying sets and deletes in the order they happen keeps a
   * Map in the same order as the collection's own, which is the order `values` walks.
   */
  observe(kind: StoredKind, observer: StoreObserver): () => void {
    const collection = this.collection(kind);
    for (const [key, object] of collection.objects) observer(key, object);
    collection.observers.push(observer);
    return () => {
      const at = collection.observers.indexOf(observer);
      if (at >= 0) collection.observers.splice(at, 1);
    };
  }

  /** One page of a list, in key order. */
  page(kind: StoredKind, request: PageRequest): Page {
    const collection = this.collection(kind);
    const prefix =
      collection.namespaced && request.namespace !== undefined && request.namespace !== '' ? `${request.namespace}/` : undefined;
    let keys: readonly string[];
    let start: number;
    let end: number;
    if (request.candidates !== undefined) {
      const picked: string[] = [];
      for (const key of request.candidates) if (prefix === undefined || key.startsWith(prefix)) picked.push(key);
      keys = picked.sort(compareKeys);
      start = 0;
      end = keys.length;
    } else {
      keys = collection.sortedKeys();
      // Keys of one namespace are contiguous: "<ns>/" up to "<ns>0" ('0' follows '/').
      start = prefix === undefined ? 0 : lowerBound(keys, prefix, true);
      end = prefix === undefined ? keys.length : lowerBound(keys, `${prefix.slice(0, -1)}0`, true);
    }
    if (request.after !== undefined) start = Math.max(start, lowerBound(keys, request.after, false));
    const limit = request.limit !== undefined && request.limit > 0 ? request.limit : Number.POSITIVE_INFINITY;
    const items: KubeObject[] = [];
    let i = start;
    for (; i < end && items.length < limit; i++) {
      const object = collection.objects.get(keys[i]!);
      if (object === undefined) continue;
      if (request.filter === undefined || request.filter(object)) items.push(object);
    }
    const page: Page = { items };
    if (i < end) {
      page.lastKey = keys[i - 1]!;
      if (request.filter === undefined && request.candidates === undefined) page.remaining = end - i;
    }
    return page;
  }
}

/**
 * The `continue` token of a list page: opaque to clients, as the API server's (base64 of its
 * resourceVersion and the key to resume after, `\u0000` marking "strictly after").
 */
export function encodeContinue(token: { rv: number; start: string }): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: `${token.start}\u0000` }), 'utf8').toString('base64');
}

/** The token's resourceVersion and resume key; a 400, as from the API server, for one it did not make. */
export function decodeContinue(text: string): { rv: number; start: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { v, rv, start } = parsed as Record<string, unknown>;
      if (v === 'meta.k8s.io/v1' && typeof rv === 'number' && typeof start === 'string' && start.endsWith('\u0000'))
        return { rv, start: start.slice(0, -1) };
    }
  } catch {
    // not JSON: answered below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
