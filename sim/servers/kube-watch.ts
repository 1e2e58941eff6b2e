// Watches (`?watch=true`) with the API server's resourceVersion semantics: without a
// resourceVersion (or "0") the watch starts with an ADDED event per object that exists now; from
// resourceVersion N it replays every write after N, or answers a 410 Gone ERROR event when the
// journal no longer reaches back that far (the client lists again). Label and field selectors
// filter, and an object that stops matching is seen DELETED, as a real watch shows it.
// `allowWatchBookmarks` gets a BOOKMARK now and then, `sendInitialEvents` the initial-events-end
// bookmark, `timeoutSeconds` ends the stream. Each event is one JSON line.

import type { ServerResponse } from 'node:http';
import { matchesSelector, parseSelector } from '../../core/selector';
import type { LabelSelector } from '../../core/views';
import { badRequest } from '../model/api-errors';
import type { Change } from '../model/change-journal';
import type { SimCluster } from '../model/cluster';
import { coreToEventsV1 } from '../model/event-conversion';
import { matchesFields, parseFieldSelector } from '../model/field-selector';
import type { DeepReadonly, KubeObject } from '../model/objects';
import { apiVersionOf, EVENTS, type ResourceType } from '../model/resources';
import { includeObjectOf, renderTable, type TableVersion } from './kube-tables';

/** How often a watch that allows bookmarks gets one (the API server's is about a minute; tests are short). */
export const BOOKMARK_INTERVAL_MS = 1_000;

export interface WatchRequest {
  resource: ResourceType;
  namespace: string | undefined;
  query: Record<string, string>;
  /** Events carry Tables of one row instead of objects. */
  table: TableVersion | undefined;
}

function selectorOf(text: string | undefined): LabelSelector | undefined {
  if (text === undefined || text === '') return undefined;
  const parsed = parseSelector(text);
  if (!parsed.ok) throw badRequest(`unable to parse requirement: ${parsed.error}`);
  return parsed.selector;
}

/**
 * Starts streaming the watch on `response` (status 200 already decided); throws an ApiError before
 * writing anything for a bad request.
 */
export function serveWatch(cluster: SimCluster, request: WatchRequest, response: ServerResponse): void {
  const { resource, namespace, query } = request;
  const labels = selectorOf(query.labelSelector);
  const fields = parseFieldSelector(query.fieldSelector ?? '', resource.stored);
  const matches = (object: DeepReadonly<KubeObject>): boolean =>
    (namespace === undefined || !resource.namespaced || object.metadata.namespace === namespace) &&
    (labels === undefined || matchesSelector(labels, object.metadata.labels ?? {})) &&
    (fields.length === 0 || matchesFields(fields, resource.stored, object));
  const journal = cluster.changes();
  const rvText = query.resourceVersion ?? '';
  if (rvText !== '' && !/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: ${rvText}`);
  const sendInitial = query.sendInitialEvents === 'true' || rvText === '' || rvText === '0';
  let replay: Change[] | 'expired' = [];
  let initial: readonly DeepReadonly<KubeObject>[] = [];
  const startRv = cluster.resourceVersion();
  if (sendInitial) {
    initial = cluster.list(resource, {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(query.labelSelector !== undefined ? { labelSelector: query.labelSelector } : {}),
      ...(query.fieldSelector !== undefined ? { fieldSelector: query.fieldSelector } : {}),
    }).items;
  } else replay = journal.since(resource.stored, Number(rvText));

  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Cache-Control', 'no-cache, private');
  response.setHeader('Transfer-Encoding', 'chunked');
  let headersSent = false;
  const includeObject = includeObjectOf(query.includeObject);
  const shown = (object: KubeObject): DeepReadonly<KubeObject> => (resource === EVENTS ? coreToEventsV1(object) : object);
  const send = (type: string, object: unknown): void => {
    response.write(`${JSON.stringify({ type, object })}\n`);
  };
  const sendObject = (type: string, object: DeepReadonly<KubeObject>): void => {
    if (request.table === undefined) {
      send(type, object);
      return;
    }
    const table = renderTable(resource, [object], cluster.now(), {
      version: request.table,
      includeObject,
      metadata: { resourceVersion: object.metadata.resourceVersion },
      noHeaders: headersSent,
    });
    headersSent = true;
    send(type, table);
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    send('BOOKMARK', {
      kind: resource.kind,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: cluster.resourceVersion(), ...(annotations !== undefined ? { annotations } : {}) },
    });
  };

  if (replay === 'expired') {
    send('ERROR', {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${rvText} (${startRv})`,
      reason: 'Expired',
      code: 410,
    });
    response.end();
    return;
  }

  const deliver = (change: Change): void => {
    const now = matches(change.object);
    const before = change.previous !== undefined && matches(change.previous);
    if (change.type === 'DELETED') {
      if (before) sendObject('DELETED', shown(change.object));
    } else if (now) sendObject(before ? 'MODIFIED' : 'ADDED', shown(change.object));
    else if (before) sendObject('DELETED', shown(change.object));
  };
  for (const object of initial) sendObject('ADDED', object);
  for (const change of replay) deliver(change);
  const allowBookmarks = query.allowWatchBookmarks === 'true';
  if (query.sendInitialEvents === 'true' && allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });

  const unlisten = journal.listen(resource.stored, deliver);
  const timers: NodeJS.Timeout[] = [];
  if (allowBookmarks) timers.push(setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS));
  const timeout = Number(query.timeoutSeconds ?? '');
  if (Number.isFinite(timeout) && timeout > 0) timers.push(setTimeout(() => response.end(), timeout * 1000));
  const stop = (): void => {
    unlisten();
    for (const timer of timers) clearTimeout(timer);
  };
  response.on('close', stop);
  response.on('finish', stop);
}
