// An HTTP proxy in front of a test endpoint (the simulated Kubernetes API server) that injects the
// faults a real network and API server produce: an error answer (500, 429 with Retry-After, 409), a
// connection reset before the request reaches the server, a request that never gets an answer, and a
// request the server applied whose answer is lost on the way back. Each rule fires a set number of
// times on matching requests, so a test states exactly what goes wrong.

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; message?: string }
  /** The connection is reset before the request is forwarded: nothing happened on the server. */
  | { kind: 'reset' }
  /** Never answered (the request is not forwarded). */
  | { kind: 'hang' }
  /** Forwarded and applied; the connection is reset instead of the answer. */
  | { kind: 'lose-response' };

export interface ProxyRule {
  method?: string;
  /** Substring of, or pattern tested against, the path with its query. */
  path?: string | RegExp;
  times?: number;
  fault: ProxyFault;
}

export interface FaultProxy {
  url: string;
  add(rule: ProxyRule): void;
  /** Every request seen, with the fault it got (or `forwarded`). */
  readonly log: { method: string; path: string; outcome: string }[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const rules: (ProxyRule & { left: number })[] = [];
  const log: FaultProxy['log'] = [];
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const rule = rules.find((r) => r.left > 0 && (r.method === undefined || r.method.toUpperCase() === method) && matches(r.path, path));
    if (rule) rule.left--;
    const fault = rule?.fault;
    log.push({ method, path, outcome: fault?.kind === 'status' ? String(fault.status) : (fault?.kind ?? 'forwarded') });
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status') {
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      return void res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          code: fault.status,
          message: fault.message ?? `injected ${fault.status}`,
        }),
      );
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method, path, headers: req.headers }, (answer) => {
      if (fault?.kind === 'lose-response') {
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    add: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    log,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path);
}
