// The address of an HTTP server that has gone away: nothing listens there any more, so a client's
// connection is refused at once (an API server that is down, a kubeconfig left from another cluster).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function goneServerUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
