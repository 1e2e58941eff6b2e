// A small stand-in for the Functions host, for the simulator's live mode: serves the app's HTTP
// functions (functions/catalog.ts) on their routes below /api on localhost and fires its timer
// functions on their NCRONTAB schedules in simulated time. The handlers are the ones deployed to
// Azure, called with @azure/functions' own request and context types, as the host would.
//
// Unlike the host, it asks for no function key: it listens on the loopback interface only.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HttpRequest, InvocationContext, type HttpResponseInit, type Timer } from '@azure/functions';
import { HTTP_FUNCTIONS, timerFunctions, type HttpFunction, type TimerFunction } from '../functions/catalog';
import { occurrences, parseNcrontab, type Ncrontab } from '../functions/ncrontab';
import { describeValue } from '../core/override-request';

/** Override requests are small; this only stops a runaway client from filling memory. */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface HostLog {
  (level: 'information' | 'warning' | 'error', functionName: string, message: string, data: Record<string, unknown> | undefined): void;
}

interface Route {
  fn: HttpFunction;
  pattern: RegExp;
  names: string[];
}

/** `overrides/{id?}` → /^overrides(?:\/([^/]+))?$/ with the parameter names in order. */
export function routePattern(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment, i) => {
      const m = /^\{(\w+)(\?)?\}$/.exec(segment);
      const slash = i === 0 ? '' : '/';
      if (!m) return `${slash}${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      names.push(m[1]!);
      return m[2] ? `(?:${slash}([^/]+))?` : `${slash}([^/]+)`;
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}

export class LocalFunctionsHost {
  private readonly routes: Route[];
  private readonly timers: { fn: TimerFunction; cron: Ncrontab; last: number | undefined }[];
  private server: Server | undefined;
  private invocations = 0;

  constructor(
    private readonly log: HostLog,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.routes = HTTP_FUNCTIONS.map((fn) => ({ fn, ...routePattern(fn.route) }));
    this.timers = timerFunctions(env).map((fn) => ({ fn, cron: parseNcrontab(fn.schedule), last: undefined }));
  }

  /** Listens on 127.0.0.1; port 0 takes any free port. Resolves to the base URL. */
  async listen(port: number): Promise<string> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        this.log(
          'error',
          'host',
          `request ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          undefined,
        );
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal error; see the simulator output' }));
      });
    });
    // CONNECT asks for a tunnel; without an answer Node would only drop the connection.
    server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      const body = JSON.stringify({ error: 'method CONNECT not allowed: this host serves /api only' });
      // Destroyed once written: the socket left the HTTP server's hands, and close() does not wait for it.
      socket.end(
        `HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        () => socket.destroy(),
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Fires every timer whose schedule has an occurrence in (after, until]. Several occurrences in one
   * stretch fire once, marked past due, as the host does after a pause. Timers run one after another.
   */
  async fireTimers(after: number, until: number): Promise<string[]> {
    const fired: string[] = [];
    for (const timer of this.timers) {
      const due = occurrences(timer.cron, after, until, 2);
      if (due.length === 0) continue;
      const info: Timer = {
        isPastDue: due.length > 1,
        schedule: { adjustForDST: true },
        scheduleStatus: {
          last: timer.last === undefined ? '' : new Date(timer.last).toISOString(),
          next: '',
          lastUpdated: new Date(until).toISOString(),
        },
      };
      timer.last = due[due.length - 1];
      fired.push(timer.fn.name);
      try {
        await timer.fn.handler(info, this.context(timer.fn.name));
      } catch {
        // The handler has logged the failure through its context; the next occurrence starts afresh.
      }
    }
    return fired;
  }

  private context(functionName: string): InvocationContext {
    return new InvocationContext({
      functionName,
      invocationId: `local-${++this.invocations}`,
      logHandler: (level, ...args) => {
        const [message, data] = args as [unknown, unknown];
        const lvl = level === 'error' || level === 'critical' ? 'error' : level === 'warning' ? 'warning' : 'information';
        this.log(
          lvl,
          functionName,
          String(message),
          typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined,
        );
      },
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    // Origin-form only (`/api/status`), as the Functions host behind its front end sees: an absolute
    // form (`http://x/api/status`), `*` or `//x/...` would be read against another authority.
    if (!target.startsWith('/') || target.startsWith('//')) {
      return send(res, {
        status: 400,
        jsonBody: { error: `request target must be a path below /api, like /api/status; got ${describeValue(target)}` },
      });
    }
    const url = new URL(target, 'http://127.0.0.1');
    if (url.pathname === '/' || url.pathname === '/api' || url.pathname === '/api/') {
      res.writeHead(302, { location: `/api/dashboard${url.search}` });
      res.end();
      return;
    }
    const path = url.pathname.startsWith('/api/') ? url.pathname.slice(5).replace(/\/$/, '') : undefined;
    const matches = path === undefined ? [] : this.routes.flatMap((r) => (r.pattern.exec(path) ? [r] : []));
    if (matches.length === 0) return send(res, { status: 404, jsonBody: { error: `no function at ${describeValue(url.pathname)}` } });
    const method = (req.method ?? 'GET').toUpperCase();
    const route = matches.find((r) => r.fn.methods.includes(method as never));
    if (!route)
      return send(res, {
        status: 405,
        jsonBody: { error: `method ${method} not allowed on ${describeValue(url.pathname)}` },
        headers: { allow: matches.flatMap((r) => r.fn.methods).join(', ') },
      });

    const values = route.pattern.exec(path!)!;
    const params: Record<string, string> = {};
    for (const [i, name] of route.names.entries()) {
      const v = values[i + 1];
      if (v === undefined) continue;
      const decoded = decodeSegment(v);
      if (decoded === undefined)
        return send(res, {
          status: 400,
          jsonBody: { error: `${name}: malformed percent-encoding in ${describeValue(v)}; encode "%" as %25` },
        });
      params[name] = decoded;
    }
    const body = await readBody(req);
    if (body === undefined) return send(res, { status: 413, jsonBody: { error: `request body over ${MAX_REQUEST_BYTES} bytes` } });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers,
      query: Object.fromEntries(url.searchParams),
      params,
      // As the host does: a GET or HEAD hands over no body.
      ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: { string: body.toString('utf8') } } : {}),
    });
    const response = await route.fn.handler(request, this.context(route.fn.name));
    return send(res, response as HttpResponseInit);
  }
}

function send(res: ServerResponse, response: HttpResponseInit): void {
  const headers: Record<string, string> = {};
  const given = response.headers;
  if (given)
    for (const [k, v] of given instanceof Headers ? given.entries() : Object.entries(given as Record<string, string>))
      headers[k.toLowerCase()] = v;
  let payload: string | Buffer = '';
  if (response.jsonBody !== undefined) {
    payload = JSON.stringify(response.jsonBody);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) payload = response.body;
  res.writeHead(response.status ?? 200, headers);
  res.end(payload);
}

/** A route parameter decoded, or undefined when its percent-encoding is malformed (`%E0%A4%A`, `%zz`). */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
