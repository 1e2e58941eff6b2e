// The store's journal of writes behind watches: kept only once asked for, replayed after a
// resourceVersion, and bounded (a resourceVersion from before what is kept has expired).

import { expect, it } from 'vitest';
import { ChangeJournal } from '../../../sim/model/change-journal';
import { ObjectStore } from '../../../sim/model/object-store';
import type { KubeObject } from '../../../sim/model/objects';

const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', uid: name, resourceVersion: '', creationTimestamp: '2026-11-01T00:00:00Z' },
  data,
});

it('records nothing until a journal is asked for, then ADDED, MODIFIED and DELETED with their resourceVersions', () => {
  const store = new ObjectStore();
  store.put('ConfigMap', configMap('before'));
  const journal = store.journal();
  const start = Number(store.resourceVersion());
  store.put('ConfigMap', configMap('a'));
  store.put('ConfigMap', configMap('a', { x: '1' }));
  store.put('Lease', { ...configMap('lease'), kind: 'Lease' });
  store.remove('ConfigMap', 'default', 'a');
  const changes = journal.since('ConfigMap', start);
  expect(changes).not.toBe('expired');
  const seen = (changes as Exclude<typeof changes, 'expired'>).map((c) => [
    c.type,
    c.object.metadata.name,
    c.object.metadata.resourceVersion,
  ]);
  expect(seen).toEqual([
    ['ADDED', 'a', String(start + 1)],
    ['MODIFIED', 'a', String(start + 2)],
    ['DELETED', 'a', String(start + 4)],
  ]);
  expect(journal.since('ConfigMap', start - 1)).toBe('expired');
});

it('forgets the oldest writes beyond its capacity and tells listeners of each write of their kind', () => {
  const journal = new ChangeJournal(0, 3);
  const heard: number[] = [];
  const stop = journal.listen('ConfigMap', (change) => heard.push(change.rv));
  for (let rv = 1; rv <= 5; rv++)
    journal.record({ rv, kind: 'ConfigMap', type: 'ADDED', object: configMap(`c${rv}`), previous: undefined });
  stop();
  journal.record({ rv: 6, kind: 'ConfigMap', type: 'ADDED', object: configMap('c6'), previous: undefined });
  expect(heard).toEqual([1, 2, 3, 4, 5]);
  expect(journal.since('ConfigMap', 1)).toBe('expired');
  expect((journal.since('ConfigMap', 3) as { rv: number }[]).map((c) => c.rv)).toEqual([4, 5, 6]);
});
