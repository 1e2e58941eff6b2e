// The local host over real HTTP, with requests a browser would never send: the answer is a clear 4xx,
// never a 500 from the host's own parsing.

import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostileTarget, startLocalHost, type HostileTarget } from '../../bench/hostile-requests';
import type { LocalFunctionsHost } from '../../devhost/local-host';

/** Sends the bytes on a fresh connection; the whole answer as text. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
function bodyOf(answer: string): { error: string } {
  const split = answer.indexOf('\r\n\r\n');
  let body = answer.slice(split + 4);
  if (/^transfer-encoding: chunked$/im.test(answer.slice(0, split))) {
    let plain = '';
    for (let at = 0; ;) {
      const eol = body.indexOf('\r\n', at);
      const size = parseInt(body.slice(at, eol), 16);
      if (!(size > 0)) break;
      plain += body.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    body = plain;
  }
  return JSON.parse(body) as { error: string };
}

let target: HostileTarget;
let host: LocalFunctionsHost;
let port: number;
beforeEach(async () => {
  target = hostileTarget(1);
  ({ host, port } = await startLocalHost());
});
afterEach(async () => {
  await host.close();
});

describe('the local host, given odd request targets', () => {
  it.each(['/api/overrides/%E0%A4%A', '/api/overrides/%zz', '/api/overrides/%', '/api/plan/%FFnodes'])(
    'answers 400 to the malformed percent-encoding of %s',
    async (path) => {
      const answer = await raw(port, `${path.startsWith('/api/plan') ? 'POST' : 'DELETE'} ${path} HTTP/1.1`);
      expect(statusOf(answer)).toBe(400);
      expect(bodyOf(answer).error).toMatch(/malformed percent-encoding/);
    },
  );

  it.each(['http://x/api/status', 'http://127.0.0.1/api/overrides', '//x/api/status', '*'])(
    'answers 400 to the request target %s, not in origin form',
    async (t) => {
      const answer = await raw(port, `GET ${t} HTTP/1.1`);
      expect(statusOf(answer)).toBe(400);
      expect(bodyOf(answer).error).toMatch(/request target must be a path below \/api/);
    },
  );

  it('answers 405 to CONNECT rather than dropping the connection', async () => {
    const answer = await raw(port, 'CONNECT 127.0.0.1:443 HTTP/1.1');
    expect(statusOf(answer)).toBe(405);
  });

  it('still serves the routes, and decodes a well-formed parameter', async () => {
    expect(statusOf(await raw(port, 'GET /api/status HTTP/1.1'))).toBe(200);
    const missing = await raw(port, 'DELETE /api/overrides/ov%2D9 HTTP/1.1');
    expect(statusOf(missing)).toBe(404);
    expect(bodyOf(missing).error).toBe('no override "ov-9"');
    expect(target.store.saves).toBe(0);
  });
});
