// A tiny HTTP server on 127.0.0.1 for a page under test: each request is recorded (method, path,
// query, headers, body) and answered by the test's own handler.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Answer {
  status: number;
  body: string;
  type?: string;
}

export type Handler = (request: Recorded) => Answer | Promise<Answer>;

export interface TestServer {
  origin: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export const json = (status: number, body: unknown): Answer => ({
  status,
  body: JSON.stringify(body),
  type: 'application/json; charset=utf-8',
});
export const html = (body: string): Answer => ({ status: 200, body, type: 'text/html; charset=utf-8' });

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      // Answered whatever happens: a handler's failure becomes a 500, so nothing is left floating.
      void Promise.resolve()
        .then(() => handler(recorded))
        .catch((err: unknown): Answer => ({ status: 500, body: String(err), type: 'text/plain' }))
        .then((answer) => {
          res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
          res.end(answer.body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
