// An Azure Resource Manager test endpoint over a simulated cloud (SimCompute), for exactly the calls
// the Azure adapter makes, so the adapter's tests drive the REAL SDK clients (@azure/arm-compute,
// @azure/arm-containerservice) over HTTP: their URL building, serialisation, retry policy and
// long-running-operation poller all run as in production.
//
// ARM semantics kept: a bearer token is required (401), so is an `api-version` (400, any value, since
// SDK versions send different ones); names are case-insensitive (AKS writes the node resource group in
// lower case in providerIDs); errors are ARM's envelope `{ error: { code, message } }`; list answers
// page with `value` + `nextLink`; start/deallocate answer 202 with `Azure-AsyncOperation` + `Location`,
// an agent-pool PUT answers 200 with `Azure-AsyncOperation` and the pool `Updating`; a second change
// while one runs gets 409; `If-Match` on a pool is checked (412).
//
// Links it returns (nextLink, operation URLs) use `X-Forwarded-Proto` when a client sends it: the SDK
// refuses to send a bearer token over plain http, so a client reaches this http server through an
// https→http rewrite and must be handed https links to rewrite again.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureError } from '../../core/errors';
import type { SimAgentPool, SimCompute, SimVm } from '../azure/compute';
import { ArmFaults, type ArmFault } from '../azure/arm-faults';
import { ArmOperations, operationStatusJson, type ArmOperation, type OperationFailure } from '../azure/arm-operations';
import {
  agentPoolJson,
  armError,
  instanceViewJson,
  managedClusterJson,
  poolETag,
  scaleSetVmJson,
  type JsonObject,
  type PoolProvisioning,
} from '../azure/arm-resources';

export type { ArmFault, ArmRequestMatch } from '../azure/arm-faults';

export interface RecordedArmRequest {
  method: string;
  /** Decoded path without the query, as sent (`/subscriptions/…/virtualMachines/3/deallocate`). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** The status this endpoint answered. */
  status: number;
  /** Date.now() when the request arrived: tests measure retry delays with it. */
  at: number;
}

/** ARM-style request-rate limit: beyond `maxRequests` per `windowMs`, 429 with `Retry-After`. */
export interface ArmThrottle {
  maxRequests: number;
  windowMs: number;
  retryAfterSeconds: number;
}

export interface ArmServerOptions {
  /** Default 0: a free port. */
  port?: number;
  /** How many operation-status polls answer `InProgress` before an operation ends; default 1. */
  operationPolls?: number;
  /** Items per list page before a `nextLink`; default 50. */
  pageSize?: number;
  throttle?: ArmThrottle;
}

export interface ArmServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received, in order (including refused ones). */
  readonly requests: RecordedArmRequest[];
  injectFault(fault: ArmFault): void;
  clearFaults(): void;
  /** The long-running operations started so far. */
  operations(): readonly ArmOperation[];
  /** Ends every operation in progress (e.g. after a client gave up polling). */
  settleOperations(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

interface Reply {
  status: number;
  body?: JsonObject;
  headers?: Record<string, string>;
}

interface Call {
  method: string;
  segments: string[];
  lower: string[];
  query: URLSearchParams;
  body: unknown;
  /** `https://127.0.0.1:<port>` or `http://…`: the base of links this answer hands out. */
  base: string;
  headers: IncomingMessage['headers'];
}

export async function startArmServer(compute: SimCompute, options: ArmServerOptions = {}): Promise<ArmServer> {
  const endpoint = new ArmEndpoint(compute, options);
  const server = createServer((req, res) => {
    endpoint.handle(req, res).catch((error: unknown) => {
      // A bug in the endpoint must show in the test, not hang the client.
      const message = ensureError(error).message;
      if (!res.headersSent) respond(res, { status: 500, body: armError('InternalServerError', message) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: endpoint.requests,
    injectFault: (fault) => endpoint.faults.add(fault),
    clearFaults: () => endpoint.faults.clear(),
    operations: () => endpoint.operations.all(),
    settleOperations: () => endpoint.operations.settle(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

class ArmEndpoint {
  readonly requests: RecordedArmRequest[] = [];
  readonly faults = new ArmFaults();
  readonly operations: ArmOperations;
  private readonly pageSize: number;
  /** What a pool reports while (or after) an operation of ours ran on it. */
  private readonly poolState = new Map<string, PoolProvisioning>();
  private window = { start: 0, count: 0 };
  private requestSeq = 0;

  constructor(
    private readonly compute: SimCompute,
    private readonly options: ArmServerOptions,
  ) {
    this.operations = new ArmOperations(options.operationPolls ?? 1);
    this.pageSize = Math.max(1, options.pageSize ?? 50);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = safeDecode(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: RecordedArmRequest = { method, path, query, body: undefined, headers, status: 0, at };
    this.requests.push(record);

    let reply: Reply;
    if (raw === undefined) {
      reply = { status: 413, body: armError('RequestEntityTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes.`) };
    } else {
      let body: unknown;
      let badJson = false;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          badJson = true;
        }
      }
      record.body = badJson ? raw : body;
      const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
      const call: Call = {
        method,
        segments: path.split('/').filter((s) => s.length > 0),
        lower: [],
        query: url.searchParams,
        body,
        base: `${proto}://${req.headers.host ?? '127.0.0.1'}`,
        headers: req.headers,
      };
      call.lower = call.segments.map((s) => s.toLowerCase());
      reply = badJson
        ? { status: 400, body: armError('InvalidRequestContent', 'The request content was invalid and could not be deserialized.') }
        : this.answer(call, path);
    }
    record.status = reply.status;
    respond(res, {
      ...reply,
      headers: { 'x-ms-request-id': `req-${(++this.requestSeq).toString().padStart(6, '0')}`, ...reply.headers },
    });
  }

  private answer(call: Call, path: string): Reply {
    // ARM's order: authenticate, then validate the request, then the resource provider answers.
    const auth = call.headers.authorization;
    if (typeof auth !== 'string' || !/^Bearer\s+\S+/i.test(auth)) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' },
        body: armError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing or is not a Bearer token."),
      };
    }
    if (!call.query.has('api-version')) {
      return {
        status: 400,
        body: armError('MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'),
      };
    }
    const limited = this.rateLimit();
    if (limited !== undefined) return limited;

    const fault = this.faults.take(['throttle', 'error'], call.method, path);
    if (fault?.kind === 'throttle') return tooManyRequests(fault.retryAfterSeconds);
    if (fault?.kind === 'error') return { status: fault.status, body: armError(fault.code, fault.message) };

    return this.route(call, path);
  }

  private rateLimit(): Reply | undefined {
    const throttle = this.options.throttle;
    if (throttle === undefined) return undefined;
    const now = Date.now();
    if (now - this.window.start >= throttle.windowMs) this.window = { start: now, count: 0 };
    this.window.count += 1;
    return this.window.count > throttle.maxRequests ? tooManyRequests(throttle.retryAfterSeconds) : undefined;
  }

  private route(call: Call, path: string): Reply {
    const { lower, segments } = call;
    if (lower[0] !== 'subscriptions' || segments[1] === undefined) return noRoute(call.method, path);
    if (segments[1].toLowerCase() !== this.compute.subscription.toLowerCase()) {
      return notFound('SubscriptionNotFound', `The subscription '${segments[1]}' could not be found.`);
    }
    // /subscriptions/{sub}/providers/{ns}/locations/{loc}/operations|operationresults/{id}
    if (lower[2] === 'providers' && lower[4] === 'locations' && lower.length === 8) {
      return this.operationStatus(call, lower[6] ?? '', segments[7] ?? '');
    }
    if (lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || segments.length < 8) return noRoute(call.method, path);
    const rg = segments[3] ?? '';
    const namespace = lower[5];
    const type = lower[6];
    const name = segments[7] ?? '';
    const rest = lower.slice(8);
    const restNames = segments.slice(8);
    if (namespace === 'microsoft.containerservice' && type === 'managedclusters') {
      return this.containerService(call, path, rg, name, rest, restNames);
    }
    if (namespace === 'microsoft.compute' && type === 'virtualmachinescalesets') {
      return this.computeScaleSet(call, path, rg, name, rest, restNames);
    }
    return noRoute(call.method, path);
  }

  // --- Microsoft.ContainerService ------------------------------------------------------------------

  private containerService(call: Call, path: string, rg: string, cluster: string, rest: string[], restNames: string[]): Reply {
    const { compute } = this;
    if (!sameName(rg, compute.resourceGroup)) return resourceGroupNotFound(rg);
    if (!sameName(cluster, compute.clusterName)) {
      return resourceNotFound(`Microsoft.ContainerService/managedClusters/${cluster}`, rg);
    }
    const pools = compute.agentPools();
    if (rest.length === 0 && call.method === 'GET') {
      return { status: 200, body: managedClusterJson(compute, pools, (p) => this.poolProvisioning(p)) };
    }
    if (rest[0] !== 'agentpools') return noRoute(call.method, path);
    if (rest.length === 1 && call.method === 'GET') {
      const items = pools.map((p) => agentPoolJson(compute, p, this.poolProvisioning(p)));
      return this.page(call, path, items);
    }
    const poolName = restNames[1];
    if (rest.length !== 2 || poolName === undefined) return noRoute(call.method, path);
    const pool = pools.find((p) => sameName(p.name, poolName));
    if (call.method === 'GET') {
      if (pool === undefined)
        return notFound('NotFound', `Agent pool '${poolName}' was not found in managed cluster '${compute.clusterName}'.`);
      return { status: 200, body: agentPoolJson(compute, pool, this.poolProvisioning(pool)) };
    }
    if (call.method === 'PUT') {
      if (pool === undefined) {
        return {
          status: 501,
          body: armError('NotImplemented', `Creating agent pool '${poolName}' is not simulated by the ARM test endpoint.`),
        };
      }
      return this.putAgentPool(call, path, pool);
    }
    return notSimulated(call.method, path);
  }

  private putAgentPool(call: Call, path: string, pool: SimAgentPool): Reply {
    const { compute } = this;
    const busy = this.operations.running(`pool:${pool.name}`);
    // AKS runs one operation per pool; a Failed or Canceled pool takes a PUT (which resumes a stopped upgrade).
    const state = this.poolProvisioning(pool);
    if (busy !== undefined || (state !== 'Succeeded' && state !== 'Failed' && state !== 'Canceled')) {
      return {
        status: 409,
        body: armError(
          'OperationNotAllowed',
          `Operation is not allowed because there's an in progress update agent pool operation on agent pool '${pool.name}'. ` +
            'Please wait for it to finish before starting a new operation.',
        ),
      };
    }
    const ifMatch = headerValue(call.headers['if-match']);
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== poolETag(pool)) {
      return {
        status: 412,
        body: armError(
          'PreconditionFailed',
          `Operation failed because the eTag of agent pool '${pool.name}' does not match If-Match '${ifMatch}'.`,
        ),
      };
    }
    const count = requestedCount(call.body, pool);
    if (typeof count === 'string') return { status: 400, body: armError('InvalidParameter', count) };

    const failure = this.operationFailure(call.method, path);
    const op = this.operations.begin({
      provider: 'Microsoft.ContainerService',
      name: 'updateAgentPool',
      targets: [`pool:${pool.name}`],
      ...(failure !== undefined ? { failure } : {}),
      onFinish: (done) => {
        if (done.status === 'Failed') this.poolState.set(pool.name, 'Failed');
        else this.poolState.delete(pool.name);
      },
    });
    if (op.status === 'InProgress') this.poolState.set(pool.name, 'Updating');
    // AKS starts changing the scale set at once; a failed operation changes nothing here.
    if (failure === undefined && count !== pool.count) compute.setAgentPoolCount(pool.name, count);
    const updated = compute.agentPools().find((p) => p.name === pool.name) ?? pool;
    return {
      status: 200,
      headers: { 'azure-asyncoperation': this.operationUrl(call, op, 'operations') },
      body: agentPoolJson(compute, updated, this.poolProvisioning(updated)),
    };
  }

  private poolProvisioning(pool: SimAgentPool): PoolProvisioning {
    return this.poolState.get(pool.name) ?? pool.provisioningState;
  }

  // --- Microsoft.Compute ----------------------------------------------------------------------------

  private computeScaleSet(call: Call, path: string, rg: string, scaleSetName: string, rest: string[], restNames: string[]): Reply {
    const { compute } = this;
    if (!sameName(rg, compute.nodeResourceGroup)) return resourceGroupNotFound(rg);
    const pool = compute.agentPools().find((p) => sameName(p.scaleSet, scaleSetName));
    const scaleSet = pool?.scaleSet ?? scaleSetName;
    const vms = compute.scaleSetVms(scaleSet);
    if (vms === undefined) return resourceNotFound(`Microsoft.Compute/virtualMachineScaleSets/${scaleSetName}`, rg);
    const vmSize = pool?.vmSize ?? 'Standard_D4s_v5';

    // Scale-set-wide actions: an empty or missing instance list means EVERY instance. Served
    // faithfully so that a test can see what such a call would do; the adapter never makes one.
    if (rest.length === 1 && call.method === 'POST' && (rest[0] === 'deallocate' || rest[0] === 'start')) {
      const ids = instanceIdsOf(call.body);
      const targets = ids === undefined || ids.length === 0 ? vms : vms.filter((vm) => ids.includes(vm.instanceId));
      return this.vmAction(call, path, scaleSet, targets, rest[0]);
    }
    if (rest[0] !== 'virtualmachines') return noRoute(call.method, path);
    if (rest.length === 1) {
      if (call.method !== 'GET') return notSimulated(call.method, path);
      const expand = (call.query.get('$expand') ?? '').toLowerCase() === 'instanceview';
      const items = vms.map((vm) =>
        scaleSetVmJson(compute, scaleSet, vm, { vmSize, busy: this.vmBusy(scaleSet, vm), expandInstanceView: expand }),
      );
      return this.page(call, path, items);
    }
    const instanceId = restNames[1] ?? '';
    const vm = vms.find((v) => v.instanceId === instanceId);
    if (vm === undefined) {
      return resourceNotFound(`Microsoft.Compute/virtualMachineScaleSets/${scaleSet}/virtualMachines/${instanceId}`, rg);
    }
    const busy = this.vmBusy(scaleSet, vm);
    if (rest.length === 2 && call.method === 'GET') {
      const expand = (call.query.get('$expand') ?? '').toLowerCase() === 'instanceview';
      return { status: 200, body: scaleSetVmJson(compute, scaleSet, vm, { vmSize, busy, expandInstanceView: expand }) };
    }
    if (rest.length === 3 && rest[2] === 'instanceview' && call.method === 'GET') {
      return { status: 200, body: instanceViewJson(vm, busy) };
    }
    if (rest.length === 3 && call.method === 'POST' && (rest[2] === 'deallocate' || rest[2] === 'start')) {
      return this.vmAction(call, path, scaleSet, [vm], rest[2]);
    }
    return notSimulated(call.method, path);
  }

  private vmAction(call: Call, path: string, scaleSet: string, vms: readonly SimVm[], action: 'start' | 'deallocate'): Reply {
    for (const vm of vms) {
      const running = this.operations.running(vmTarget(scaleSet, vm));
      if (running !== undefined) {
        return {
          status: 409,
          body: armError(
            'Conflict',
            `Operation '${action}' is not allowed on VM '${scaleSet}_${vm.instanceId}' since the VM is marked for ` +
              `operation '${running.name}' (${running.id}) which is still in progress.`,
          ),
        };
      }
    }
    const failure = this.operationFailure(call.method, path);
    if (failure === undefined) {
      // Starting a running VM or deallocating a deallocated one succeeds and changes nothing, as in Azure.
      for (const vm of vms) {
        if (action === 'start') this.compute.startVm(scaleSet, vm.instanceId);
        else this.compute.deallocateVm(scaleSet, vm.instanceId);
      }
    }
    const op = this.operations.begin({
      provider: 'Microsoft.Compute',
      name: action,
      targets: vms.map((vm) => vmTarget(scaleSet, vm)),
      ...(failure !== undefined ? { failure } : {}),
    });
    return {
      status: 202,
      headers: {
        'azure-asyncoperation': this.operationUrl(call, op, 'operations'),
        location: this.operationUrl(call, op, 'operations', true),
      },
    };
  }

  private vmBusy(scaleSet: string, vm: SimVm): boolean {
    return this.operations.running(vmTarget(scaleSet, vm)) !== undefined;
  }

  // --- operations and paging ---------------------------------------------------------------------

  private operationFailure(method: string, path: string): OperationFailure | undefined {
    const fault = this.faults.take(['fail-operation'], method, path);
    return fault === undefined ? undefined : { code: fault.code, message: fault.message, httpStatus: fault.status ?? 409 };
  }

  private operationUrl(call: Call, op: ArmOperation, kind: 'operations' | 'operationresults', monitor = false): string {
    const q = new URLSearchParams();
    if (monitor) q.set('monitor', 'true');
    q.set('api-version', call.query.get('api-version') ?? '');
    return (
      `${call.base}/subscriptions/${this.compute.subscription}/providers/${op.provider}` +
      `/locations/${this.compute.location}/${kind}/${op.id}?${q.toString()}`
    );
  }

  private operationStatus(call: Call, kind: string, id: string): Reply {
    const op = this.operations.get(id);
    if (op === undefined || call.method !== 'GET' || (kind !== 'operations' && kind !== 'operationresults')) {
      return notFound('NotFound', `The operation '${id}' was not found.`);
    }
    this.operations.poll(op);
    const monitor = kind === 'operationresults' || call.query.get('monitor') === 'true';
    if (!monitor) return { status: 200, body: operationStatusJson(op) };
    // The Location URL: 202 while running; then the operation's own outcome (no body for start/deallocate).
    if (op.status === 'InProgress') return { status: 202, headers: { location: this.operationUrl(call, op, kind, kind === 'operations') } };
    if (op.status === 'Failed' && op.failure !== undefined) {
      return { status: op.failure.httpStatus, body: armError(op.failure.code, op.failure.message) };
    }
    return { status: 200 };
  }

  /** One page of a list: `$skiptoken` is the offset, as opaque to the client as ARM's. */
  private page(call: Call, path: string, items: readonly JsonObject[]): Reply {
    const offset = Math.max(0, Number.parseInt(call.query.get('$skiptoken') ?? '0', 10) || 0);
    const end = offset + this.pageSize;
    const body: JsonObject = { value: items.slice(offset, end) };
    if (end < items.length) {
      const q = new URLSearchParams(call.query);
      q.set('$skiptoken', String(end));
      body.nextLink = `${call.base}${encodePath(path)}?${q.toString()}`;
    }
    return { status: 200, body };
  }
}

// --- helpers -----------------------------------------------------------------------------------------

function respond(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The body as text; undefined when it is too large to be an ARM request. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function vmTarget(scaleSet: string, vm: SimVm): string {
  return `vm:${scaleSet.toLowerCase()}/${vm.instanceId}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `instanceIds` of a scale-set action body; undefined when absent (which means all of them). */
function instanceIdsOf(body: unknown): string[] | undefined {
  if (!isObject(body) || !Array.isArray(body.instanceIds)) return undefined;
  return body.instanceIds.filter((id): id is string => typeof id === 'string');
}

/** The count an agent-pool PUT asks for, or the error message AKS would give. */
function requestedCount(body: unknown, pool: SimAgentPool): number | string {
  if (!isObject(body) || (body.properties !== undefined && !isObject(body.properties))) {
    return 'The request body must be an agent pool with a properties object.';
  }
  const count = isObject(body.properties) ? body.properties.count : undefined;
  if (count === undefined) return pool.count;
  const min = pool.mode === 'System' ? 1 : 0;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < min || count > 1000) {
    return `The value of parameter agentPoolProfile.count is invalid: ${JSON.stringify(count)}. It must be an integer from ${min} to 1000 for a ${pool.mode} pool.`;
  }
  return count;
}

function tooManyRequests(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: armError(
      'TooManyRequests',
      `The request is being throttled as the limit has been reached for operation type. Please try again after ${retryAfterSeconds} seconds.`,
    ),
  };
}

function notFound(code: string, message: string): Reply {
  return { status: 404, body: armError(code, message) };
}

function resourceGroupNotFound(rg: string): Reply {
  return notFound('ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
}

function resourceNotFound(resource: string, rg: string): Reply {
  return notFound(
    'ResourceNotFound',
    `The Resource '${resource}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function noRoute(method: string, path: string): Reply {
  return notFound('NotFound', `The ARM test endpoint has no resource at ${method} ${path}.`);
}

function notSimulated(method: string, path: string): Reply {
  return { status: 501, body: armError('NotImplemented', `${method} ${path} is not simulated by the ARM test endpoint.`) };
}
