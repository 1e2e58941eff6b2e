import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../../sim/model/object-store';
import type { KubeObject } from '../../../sim/model/objects';
import { SeededRandom } from '../../../sim/model/random';
import { StoreMirror } from '../../../sim/scenario/store-mirror';

function pod(name: string, app: string, version: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'clomo', uid: name, resourceVersion: '', creationTimestamp: '', labels: { app } },
    spec: { version },
  };
}

const isBg = (p: KubeObject) => p.metadata.labels?.app === 'bg';
const describePod = (p: KubeObject) => `${p.metadata.name}@${String((p.spec as { version: number }).version)}`;

/** What a walk over the store finds: the mirror must always answer the same, in the same order. */
function walk(store: ObjectStore): string[] {
  return [...store.values('Pod')].filter(isBg).map(describePod);
}

describe('StoreMirror', () => {
  it('follows creates, updates, relabels and deletes in the order a walk over the store sees', () => {
    const store = new ObjectStore();
    const random = new SeededRandom(7);
    for (let i = 0; i < 10; i++) store.put('Pod', pod(`p${i}`, i % 2 === 0 ? 'bg' : 'mdm', 0));
    const mirror = new StoreMirror<KubeObject, string>(store, 'Pod', isBg, describePod);
    expect(mirror.views()).toEqual(walk(store));
    let version = 0;
    for (let step = 0; step < 3000; step++) {
      const name = `p${Math.floor(random.next() * 20)}`;
      const exists = store.get('Pod', 'clomo', name) !== undefined;
      const r = random.next();
      if (exists && r < 0.2) store.remove('Pod', 'clomo', name);
      else store.put('Pod', pod(name, r < 0.6 ? 'bg' : 'mdm', ++version));
      if (random.next() < 0.3) expect(mirror.views()).toEqual(walk(store));
    }
    expect(mirror.views()).toEqual(walk(store));
  });

  it('hands out arrays that later writes leave as they were', () => {
    const store = new ObjectStore();
    store.put('Pod', pod('a', 'bg', 1));
    const mirror = new StoreMirror<KubeObject, string>(store, 'Pod', isBg, describePod);
    const before = mirror.views();
    store.put('Pod', pod('a', 'bg', 2));
    store.put('Pod', pod('b', 'bg', 1));
    expect(before).toEqual(['a@1']);
    expect(mirror.views()).toEqual(['a@2', 'b@1']);
  });

  it('projects an object once, until it is written again', () => {
    const store = new ObjectStore();
    store.put('Pod', pod('a', 'bg', 1));
    store.put('Pod', pod('b', 'bg', 1));
    let projected = 0;
    const mirror = new StoreMirror<KubeObject, object>(store, 'Pod', isBg, () => ({ n: ++projected }));
    const first = mirror.views();
    store.put('Pod', pod('b', 'bg', 2));
    const second = mirror.views();
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(projected).toBe(3);
  });
});
