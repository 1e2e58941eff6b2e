// Watches over HTTP, as client-go's reflectors use them: initial ADDED events without a
// resourceVersion, a replay from one, 410 Gone from one too old, filtered watches seeing an object
// leave as DELETED, bookmarks, and Table events for `kubectl get -w`.

import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SimCluster } from '../../../sim/model/cluster';
import { CONFIG_MAPS, NODES } from '../../../sim/model/resources';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { smallCluster } from '../../builders/sim-cluster';

interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    [k: string]: unknown;
  };
}

let cluster: SimCluster;
let server: KubeApiServer;
beforeEach(async () => {
  cluster = smallCluster(1);
  server = await startKubeApiServer(cluster);
});
afterEach(async () => server.close());

/** Reads watch events from `path` until `enough` says so (or the stream ends). */
async function watch(path: string, enough: (events: WatchEvent[]) => boolean, headers: Record<string, string> = {}): Promise<WatchEvent[]> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}${path}`, { signal: abort.signal, headers });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const events: WatchEvent[] = [];
  let buffer = '';
  while (!enough(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line !== '') events.push(JSON.parse(line) as WatchEvent);
  }
  abort.abort();
  return events;
}

const configMap = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels }, data: {} });

it('without a resourceVersion, starts with an ADDED event per object, then follows writes', async () => {
  cluster.create(CONFIG_MAPS, configMap('first'), 'default');
  const events = watch('/api/v1/namespaces/default/configmaps?watch=true', (e) => e.length >= 2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  cluster.create(CONFIG_MAPS, configMap('second'), 'default');
  expect((await events).map((e) => [e.type, e.object.metadata?.name])).toEqual([
    ['ADDED', 'first'],
    ['ADDED', 'second'],
  ]);
});

it('from a resourceVersion, replays what was written after it; from one too old, answers 410 Gone', async () => {
  const listed = (await (await fetch(`${server.url}/api/v1/namespaces/default/configmaps`)).json()) as {
    metadata: { resourceVersion: string };
  };
  cluster.create(CONFIG_MAPS, configMap('later'), 'default');
  cluster.patch(CONFIG_MAPS, { namespace: 'default', name: 'later' }, { data: { a: '1' } }, 'merge');
  const replay = await watch(
    `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${listed.metadata.resourceVersion}`,
    (e) => e.length >= 2,
  );
  expect(replay.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
  const gone = await watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', (e) => e.length >= 1);
  expect(gone).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) }]);
});

it('a label-filtered watch sees an object that stops matching as DELETED', async () => {
  cluster.create(CONFIG_MAPS, configMap('tagged', { tier: 'bg' }), 'default');
  const events = watch('/api/v1/namespaces/default/configmaps?watch=true&labelSelector=tier%3Dbg', (e) => e.length >= 2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  cluster.patch(CONFIG_MAPS, { namespace: 'default', name: 'tagged' }, { metadata: { labels: { tier: 'web' } } }, 'merge');
  expect((await events).map((e) => [e.type, e.object.metadata?.name])).toEqual([
    ['ADDED', 'tagged'],
    ['DELETED', 'tagged'],
  ]);
});

it('sendInitialEvents ends the initial events with a bookmark; bookmarks carry the current resourceVersion', async () => {
  const events = await watch(
    '/api/v1/nodes?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
    (e) => e.some((event) => event.type === 'BOOKMARK'),
  );
  expect(events.filter((e) => e.type === 'ADDED')).toHaveLength(cluster.nodes().length);
  expect(events.at(-1)).toEqual({
    type: 'BOOKMARK',
    object: {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { resourceVersion: cluster.resourceVersion(), annotations: { 'k8s.io/initial-events-end': 'true' } },
    },
  });
});

it('with the Table media type, each event is a one-row Table (column definitions only in the first)', async () => {
  const node = cluster.nodes()[0]!.metadata.name;
  const events = watch(`/api/v1/nodes?watch=true&fieldSelector=metadata.name%3D${node}`, (e) => e.length >= 2, {
    Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  cluster.patch(NODES, { name: node }, { spec: { unschedulable: true } }, 'strategic');
  const [added, modified] = await events;
  expect(added!.object).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', columnDefinitions: expect.any(Array) });
  expect((added!.object.rows as { cells: unknown[] }[])[0]!.cells.slice(0, 3)).toEqual([node, 'Ready', 'agent']);
  expect(modified!.object.columnDefinitions).toBeUndefined();
  expect((modified!.object.rows as { cells: unknown[] }[])[0]!.cells[1]).toBe('Ready,SchedulingDisabled');
});
