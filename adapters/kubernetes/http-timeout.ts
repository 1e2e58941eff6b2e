// Every Kubernetes request has a time limit. client-node 1.4 sends its requests through node-fetch
// without any timeout, so an API server (or a proxy, or a half-open connection) that never answers
// hangs the tick, and with it the Lease, for ever. Its configuration takes the HTTP library it sends
// through (`httpApi`): this one is client-node's own, with an abort signal per request, and the body
// read inside the limit too (a response whose body stalls is as hung as one that never starts).

import * as k8s from '@kubernetes/client-node';
import fetch, { type RequestInit, type Response } from 'node-fetch';

/** Default limit of one request, body included. Lists of 500 pods take well under a second. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** A request that got no complete answer within its time limit. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${new URL(url).pathname}: no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** node-fetch with a time limit that covers the whole answer; returns the status, headers and body text. */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<{ response: Response; body: Buffer }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal as RequestInit['signal'] });
    const body = await response.buffer();
    return { response, body };
  } catch (err) {
    if (controller.signal.aborted) throw new RequestTimeoutError(init.method ?? 'GET', url, timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** client-node's HTTP library (what IsomorphicFetchHttpLibrary does), with the time limit. */
export function timeoutHttpLibrary(timeoutMs: number): k8s.HttpLibrary {
  return k8s.wrapHttpLibrary({
    async send(request: k8s.RequestContext): Promise<k8s.ResponseContext> {
      const { response, body } = await fetchWithTimeout(
        request.getUrl(),
        {
          method: request.getHttpMethod().toString(),
          body: request.getBody() as RequestInit['body'],
          headers: request.getHeaders(),
          agent: request.getAgent(),
        },
        timeoutMs,
      );
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return new k8s.ResponseContext(response.status, headers, { text: async () => body.toString('utf8'), binary: async () => body });
    },
  });
}

/** The typed API clients of a KubeConfig, as `kc.makeApiClient` makes them, sending through `httpApi`. */
export function makeApiClient<T>(kc: k8s.KubeConfig, apiClientType: new (config: k8s.Configuration) => T, httpApi: k8s.HttpLibrary): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return new apiClientType(
    k8s.createConfiguration({ baseServer: new k8s.ServerConfiguration(cluster.server, {}), authMethods: { default: kc }, httpApi }),
  );
}
