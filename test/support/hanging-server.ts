// An HTTP endpoint that accepts connections and requests and never answers: what a hung API server,
// a black-holing proxy or a half-open connection looks like to a client. For the time-limit tests.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HangingServer {
  url: string;
  /** Requests received so far (none of them answered). */
  requests(): number;
  close(): Promise<void>;
}

export async function hangingServer(): Promise<HangingServer> {
  let received = 0;
  const open = new Set<ServerResponse>();
  const server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    received++;
    open.add(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
