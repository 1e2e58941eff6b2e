// A Kubernetes API server over HTTP for the simulated cluster: the paths, verbs, status codes, patch
// content types and `Status` error bodies of the real one, for everything graceful-scaler's adapters
// call, and what the real kubectl needs beside: discovery, server-side Tables (kube-tables.ts),
// watches (kube-watch.ts), server-side dry runs, OpenAPI v3 (kube-openapi.ts) and protobuf request
// bodies (kube-protobuf.ts). It is a plain `node:http` server on 127.0.0.1; a client connects with
// `skipTLSVerify: true` on an http:// URL.
//
// It never moves time: tests and the simulator call `cluster.advance(ms)`.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureError } from '../../core/errors';
import { ApiError, badRequest, notFound, type Status } from '../model/api-errors';
import type { DeleteOptions, ListResult, SimCluster } from '../model/cluster';
import type { KubeAuth } from './kube-auth';
import { SIM_API_CERT, SIM_API_KEY } from './kube-tls';
import { apiGroup, apiGroupList, coreVersions, resourceList, versionInfo } from './kube-discovery';
import { isRecord, type DeepReadonly, type KubeObject } from '../model/objects';
import { openApiV3Document, openApiV3Root } from './kube-openapi';
import { parseResourcePath } from './kube-paths';
import { decodeProtobufBody, PROTOBUF } from './kube-protobuf';
import { includeObjectOf, renderTable, tableVersionOf, type TableVersion } from './kube-tables';
import { serveWatch } from './kube-watch';
import { isDryRun } from '../model/cluster/eviction';
import { patchTypeOf, unsupportedMediaType } from '../model/patch';
import { findResource, PODS, DEPLOYMENTS, type ResourceType } from '../model/resources';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  /** The request body as sent (empty for none). */
  body: string;
  /** The HTTP status answered. */
  status: number;
}

export interface KubeApiServer {
  /** `http://127.0.0.1:<port>` (https with `tls`) */
  url: string;
  close(): Promise<void>;
  /** Every request answered, in order; tests may clear it (`requests.length = 0`). */
  requests: RecordedRequest[];
}

export interface KubeApiServerOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Bearer tokens and RBAC (kube-auth.ts); without it every request is allowed (--authorization-mode=AlwaysAllow). */
  auth?: KubeAuth;
  /** Serve HTTPS with the simulated certificate (kube-tls.ts): kubectl sends its token over TLS only. */
  tls?: boolean;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024; // the API server's request size limit
const LIST_CHUNK = 500;

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function methodNotAllowed(): ApiError {
  return new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

interface Reply {
  status: number;
  body: unknown;
  /** A list page, rendered by renderList (items without kind and apiVersion, as the API returns them). */
  list?: ListResult;
  /** A list page rendered ahead of the request (see NextPage). */
  rendered?: Buffer;
  /** For a list: the request that fetches the page after this one, to render it ahead. */
  next?: ListRequest;
}

/** What identifies a list request: everything but the continue token, plus that token. */
interface ListRequest {
  resource: ResourceType;
  namespace: string | undefined;
  query: Record<string, string>;
}

function listKey(request: ListRequest): string {
  const query = Object.entries(request.query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([request.resource.group, request.resource.plural, request.namespace ?? null, query]);
}

/**
 * The page a paginating client will ask for next, rendered while it is still busy with the current
 * one. Rendering (JSON.stringify) is most of the server's cost for a 150,000-pod read, and client
 * and server otherwise take turns: this lets them work at the same time. The page is served only
 * if nothing was written since it was rendered (the cluster's resourceVersion is unchanged), so
 * the answer is exactly what rendering it on request would give.
 */
interface NextPage {
  key: string;
  resourceVersion: string;
  body: Buffer;
  /** The page's own continue token: the page after it is rendered ahead in turn. */
  continue: string | undefined;
}

function successStatus(code: number, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details !== undefined ? { details } : {}), code };
}

export async function startKubeApiServer(cluster: SimCluster, options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const requests: RecordedRequest[] = [];
  const ahead: { page: NextPage | undefined } = { page: undefined };
  // Watches replay from the resourceVersion of a list: keep the journal from the first request on.
  cluster.changes();
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    void handle(cluster, request, response, requests, ahead, options.auth);
  };
  const server = options.tls === true ? createHttpsServer({ key: SIM_API_KEY, cert: SIM_API_CERT }, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `${options.tls === true ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive connections of a client would hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'BadRequest', 'the request body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The body as JSON text: a protobuf body (what kubectl's typed clients send) decoded first. */
function jsonBody(raw: Buffer, contentType: string | undefined): { body: string; contentType: string | undefined } {
  if (contentType?.split(';')[0]!.trim().toLowerCase() !== PROTOBUF) return { body: raw.toString('utf8'), contentType };
  return { body: JSON.stringify(decodeProtobufBody(raw)), contentType: 'application/json' };
}

async function handle(
  cluster: SimCluster,
  request: IncomingMessage,
  response: ServerResponse,
  requests: RecordedRequest[],
  ahead: { page: NextPage | undefined },
  auth: KubeAuth | undefined,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const method = (request.method ?? 'GET').toUpperCase();
  let contentType = request.headers['content-type'];
  const table = method === 'GET' ? tableVersionOf(request.headers.accept) : undefined;
  let body = '';
  let reply: Reply;
  try {
    const raw = await readBody(request);
    // Authentication and authorization first, on every request (watches included); the self-reviews
    // are answered there, from their own (possibly protobuf) bodies.
    const admitted = auth?.admit(method, url.pathname, query, { authorization: request.headers.authorization, contentType }, raw);
    if (admitted !== undefined) {
      body = raw.toString('utf8');
      reply = admitted;
    } else {
      ({ body, contentType } = jsonBody(raw, contentType));
      if (method === 'GET' && (query.watch === 'true' || query.watch === '1')) {
        const target = parseResourcePath(url.pathname);
        if (target === undefined || target.name !== undefined) throw notFoundPath();
        serveWatch(cluster, { resource: target.resource, namespace: target.namespace, query, table }, response);
        requests.push({ method, path: url.pathname, query, contentType, body, status: 200 });
        return;
      }
      // `dryRun=All` on any write: every check, nothing changed (a body's DeleteOptions may say so too).
      const dryRun = query.dryRun !== undefined && isDryRun(query.dryRun.split(','));
      // A Table is rendered from the objects, so a page rendered ahead as JSON is no use to it.
      reply = route(
        cluster,
        method,
        url.pathname,
        query,
        contentType,
        body,
        request.headers.host ?? '127.0.0.1',
        table === undefined ? ahead.page : undefined,
        dryRun,
      );
      if (table !== undefined) reply = asTable(cluster, url.pathname, reply, table, query);
    }
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError(500, 'InternalError', `Internal error occurred: ${ensureError(error).message}`);
    reply = { status: apiError.code, body: apiError.status() };
  }
  requests.push({ method, path: url.pathname, query, contentType: request.headers['content-type'], body, status: reply.status });
  response.statusCode = reply.status;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Cache-Control', 'no-cache, private');
  if (reply.rendered !== undefined) response.end(reply.rendered);
  else if (reply.list !== undefined) {
    for (const chunk of renderList(reply.list)) response.write(chunk);
    response.end();
  } else response.end(JSON.stringify(reply.body));
  ahead.page = undefined;
  const next = reply.next;
  if (next !== undefined) {
    setImmediate(() => {
      try {
        const list = listFor(cluster, next);
        ahead.page = {
          key: listKey(next),
          resourceVersion: cluster.resourceVersion(),
          body: Buffer.from(renderList(list).join('')),
          continue: list.metadata.continue,
        };
      } catch {
        // Rendered ahead only to save time: the request itself will report any error.
      }
    });
  }
}

/**
 * A list page as JSON text, in chunks, so that a 150,000-item list without `limit` never becomes
 * one huge string. Items go out without kind and apiVersion, as the API returns them. One
 * JSON.stringify per chunk (over shallow copies without those two keys) is the cheapest way V8
 * offers: per-item stringify-and-join costs about 40 % more.
 */
function renderList(list: ListResult): string[] {
  const head = JSON.stringify({ kind: list.kind, apiVersion: list.apiVersion, metadata: list.metadata });
  const chunks = [`${head.slice(0, -1)},"items":[`];
  const items = list.items;
  for (let start = 0; start < items.length; start += LIST_CHUNK) {
    const chunk = items.slice(start, start + LIST_CHUNK).map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
    const json = JSON.stringify(chunk);
    chunks.push((start > 0 ? ',' : '') + json.slice(1, -1));
  }
  chunks.push(']}');
  return chunks;
}

/** A successful GET of objects as the Table the client asked for; anything else as it is. */
function asTable(cluster: SimCluster, pathname: string, reply: Reply, version: TableVersion, query: Record<string, string>): Reply {
  const target = parseResourcePath(pathname);
  if (reply.status !== 200 || target === undefined || target.subresource !== undefined) return reply;
  const includeObject = includeObjectOf(query.includeObject);
  const now = cluster.now();
  if (reply.list !== undefined) {
    const table = renderTable(target.resource, reply.list.items, now, { version, includeObject, metadata: reply.list.metadata });
    return { status: 200, body: table };
  }
  const object = reply.body as DeepReadonly<KubeObject>;
  const metadata = { resourceVersion: object.metadata.resourceVersion };
  return { status: 200, body: renderTable(target.resource, [object], now, { version, includeObject, metadata }) };
}

function parseJson(body: string): unknown {
  if (body.trim() === '') throw badRequest('the request body is empty');
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw badRequest(`error decoding the request body: ${ensureError(error).message}`);
  }
}

function requireJson(contentType: string | undefined): void {
  if (contentType === undefined) return;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== '*/*') {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf`,
    );
  }
}

function integerParam(query: Record<string, string>, name: string): number | undefined {
  const text = query[name];
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw badRequest(`invalid value for ${name}: "${text}" is not an integer`);
  return Number(text);
}

function route(
  cluster: SimCluster,
  method: string,
  path: string,
  query: Record<string, string>,
  contentType: string | undefined,
  body: string,
  host: string,
  ahead: NextPage | undefined,
  dryRun: boolean,
): Reply {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const get = (document: object | undefined): Reply => {
    if (method !== 'GET') throw methodNotAllowed();
    if (document === undefined) throw notFoundPath();
    return { status: 200, body: document };
  };
  if (segments.length === 1 && segments[0] === 'version') return get(versionInfo(cluster.identity.kubernetesVersion));
  if (segments.length === 1 && ['healthz', 'livez', 'readyz'].includes(segments[0]!)) {
    if (method !== 'GET') throw methodNotAllowed();
    return { status: 200, body: 'ok' };
  }
  if (segments[0] === 'openapi' && segments[1] === 'v3') {
    const version = cluster.identity.kubernetesVersion;
    return get(segments.length === 2 ? openApiV3Root(version) : openApiV3Document(segments.slice(2).join('/'), version));
  }
  if (segments[0] === 'api') {
    if (segments.length === 1) return get(coreVersions(host));
    if (segments[1] !== 'v1') throw notFoundPath();
    if (segments.length === 2) return get(resourceList('', 'v1'));
    return resourceRoute(cluster, '', 'v1', segments.slice(2), method, query, contentType, body, ahead, dryRun);
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) return get(apiGroupList());
    if (segments.length === 2) return get(apiGroup(segments[1]!));
    if (segments.length === 3) return get(resourceList(segments[1]!, segments[2]!));
    return resourceRoute(cluster, segments[1]!, segments[2]!, segments.slice(3), method, query, contentType, body, ahead, dryRun);
  }
  throw notFoundPath();
}

function resourceRoute(
  cluster: SimCluster,
  group: string,
  version: string,
  rest: string[],
  method: string,
  query: Record<string, string>,
  contentType: string | undefined,
  body: string,
  ahead: NextPage | undefined,
  dryRun: boolean,
): Reply {
  // /namespaces/<ns>/<plural>[/<name>[/<subresource>]] or /<plural>[/<name>]
  let namespace: string | undefined;
  let parts = rest;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [plural, name, subresource, ...extra] = parts;
  if (plural === undefined || extra.length > 0) throw notFoundPath();
  const resource = findResource(group, version, plural);
  if (resource === undefined) throw notFoundPath();
  if (namespace !== undefined && !resource.namespaced) throw notFoundPath();

  if (name === undefined) return collectionRoute(cluster, resource, namespace, method, query, contentType, body, ahead, dryRun);
  if (resource.namespaced && namespace === undefined) throw notFoundPath();
  const ref = namespace === undefined ? { name } : { name, namespace };
  if (subresource !== undefined)
    return subresourceRoute(cluster, resource, { name, namespace: namespace ?? '' }, subresource, method, contentType, body, dryRun);

  switch (method) {
    case 'GET':
      return { status: 200, body: cluster.get(resource, ref) };
    case 'PUT':
      requireJson(contentType);
      return { status: 200, body: cluster.replace(resource, ref, parseJson(body), dryRun) };
    case 'PATCH': {
      const type = patchTypeOf(contentType);
      if (type === undefined) throw unsupportedMediaType(contentType);
      return { status: 200, body: cluster.patch(resource, ref, parseJson(body), type, dryRun) };
    }
    case 'DELETE': {
      const options = deleteOptions(body, query);
      if (dryRun) options.dryRun = true;
      const deleted = cluster.delete(resource, ref, options);
      // Pods come back as the object (now Terminating); other kinds as a Status.
      if (resource === PODS) return { status: 200, body: deleted };
      return {
        status: 200,
        body: successStatus(200, {
          name,
          ...(resource.group !== '' ? { group: resource.group } : {}),
          kind: resource.plural,
          uid: deleted.metadata.uid,
        }),
      };
    }
    default:
      throw methodNotAllowed();
  }
}

function listFor(cluster: SimCluster, request: ListRequest): ListResult {
  const { query } = request;
  const limit = integerParam(query, 'limit');
  return cluster.list(request.resource, {
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    ...(query.labelSelector !== undefined ? { labelSelector: query.labelSelector } : {}),
    ...(query.fieldSelector !== undefined ? { fieldSelector: query.fieldSelector } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(query.continue !== undefined ? { continue: query.continue } : {}),
  });
}

function collectionRoute(
  cluster: SimCluster,
  resource: ResourceType,
  namespace: string | undefined,
  method: string,
  query: Record<string, string>,
  contentType: string | undefined,
  body: string,
  ahead: NextPage | undefined,
  dryRun: boolean,
): Reply {
  switch (method) {
    case 'GET': {
      const request: ListRequest = { resource, namespace, query };
      const nextAfter = (token: string | undefined): { next?: ListRequest } =>
        token === undefined ? {} : { next: { resource, namespace, query: { ...query, continue: token } } };
      if (ahead !== undefined && ahead.key === listKey(request) && ahead.resourceVersion === cluster.resourceVersion()) {
        return { status: 200, body: undefined, rendered: ahead.body, ...nextAfter(ahead.continue) };
      }
      const list = listFor(cluster, request);
      return { status: 200, body: undefined, list, ...nextAfter(list.metadata.continue) };
    }
    case 'POST': {
      if (resource.namespaced && namespace === undefined) throw methodNotAllowed();
      requireJson(contentType);
      return { status: 201, body: cluster.create(resource, parseJson(body), namespace, dryRun) };
    }
    default:
      throw methodNotAllowed();
  }
}

function subresourceRoute(
  cluster: SimCluster,
  resource: ResourceType,
  ref: { name: string; namespace: string },
  subresource: string,
  method: string,
  contentType: string | undefined,
  body: string,
  dryRun: boolean,
): Reply {
  if (resource === PODS && subresource === 'eviction') {
    if (method !== 'POST') throw methodNotAllowed();
    requireJson(contentType);
    const eviction = parseJson(body);
    if (isRecord(eviction) && eviction.kind !== undefined && eviction.kind !== 'Eviction') {
      throw badRequest(`the body of an eviction must be a policy/v1 Eviction, not ${String(eviction.kind)}`);
    }
    cluster.evict(ref, eviction, dryRun);
    return { status: 201, body: successStatus(201) };
  }
  // A dry run of the scale subresource is refused rather than carried out.
  if (dryRun) throw badRequest(`dryRun is not supported on ${resource.plural}/${subresource} by the simulated API server`);
  if (resource === DEPLOYMENTS && subresource === 'scale') {
    switch (method) {
      case 'GET':
        return { status: 200, body: cluster.getScale(ref) };
      case 'PUT':
        requireJson(contentType);
        return { status: 200, body: cluster.replaceScale(ref, parseJson(body)) };
      case 'PATCH': {
        const type = patchTypeOf(contentType);
        if (type === undefined) throw unsupportedMediaType(contentType);
        return { status: 200, body: cluster.patchScale(ref, parseJson(body), type) };
      }
      default:
        throw methodNotAllowed();
    }
  }
  throw notFound({ group: resource.group, plural: `${resource.plural}/${subresource}` }, ref.name);
}

function deleteOptions(body: string, query: Record<string, string>): DeleteOptions {
  const options: DeleteOptions = {};
  if (body.trim() !== '') {
    const parsed = parseJson(body);
    if (!isRecord(parsed)) throw badRequest('the body of a delete must be DeleteOptions');
    if (typeof parsed.gracePeriodSeconds === 'number') options.gracePeriodSeconds = parsed.gracePeriodSeconds;
    if (isRecord(parsed.preconditions)) {
      const preconditions: NonNullable<DeleteOptions['preconditions']> = {};
      if (typeof parsed.preconditions.uid === 'string') preconditions.uid = parsed.preconditions.uid;
      if (typeof parsed.preconditions.resourceVersion === 'string') preconditions.resourceVersion = parsed.preconditions.resourceVersion;
      options.preconditions = preconditions;
    }
    if (isDryRun(parsed.dryRun)) options.dryRun = true;
    if (parsed.propagationPolicy === 'Foreground' || parsed.propagationPolicy === 'Background' || parsed.propagationPolicy === 'Orphan') {
      options.propagationPolicy = parsed.propagationPolicy;
    }
  }
  const grace = integerParam(query, 'gracePeriodSeconds');
  if (grace !== undefined && options.gracePeriodSeconds === undefined) options.gracePeriodSeconds = grace;
  const propagation = query.propagationPolicy;
  if (
    (propagation === 'Foreground' || propagation === 'Background' || propagation === 'Orphan') &&
    options.propagationPolicy === undefined
  ) {
    options.propagationPolicy = propagation;
  }
  return options;
}
