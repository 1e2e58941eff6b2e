// The Kubernetes API clients the adapters use, made from one KubeConfig. Connecting (kubeconfig file,
// in-cluster, or AKS with an Entra token) is connect.ts's business; everything else takes Clients.
// Every request has a time limit (http-timeout.ts), and every call goes through `call`, which retries
// transient failures (5xx, 429 with its Retry-After, timeouts, connection resets) within bounds.

import * as k8s from '@kubernetes/client-node';
import { ensureError } from '../../core/errors';
import { withRetries, type RetryOptions, type Transient } from '../../runner/retry';
import { DEFAULT_REQUEST_TIMEOUT_MS, RequestTimeoutError, makeApiClient, timeoutHttpLibrary } from './http-timeout';

export interface Clients {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  /** Jobs and CronJobs, for the drain audit. */
  batch: k8s.BatchV1Api;
  policy: k8s.PolicyV1Api;
  coordination: k8s.CoordinationV1Api;
  /**
   * Runs one API call with bounded retries of transient failures. Only for calls that are safe to
   * send twice: reads, patches and scale (idempotent), writes guarded by a resourceVersion (a retry
   * after a lost answer gets 409, which the caller already handles), and evictions (a retry after a
   * lost answer finds the pod gone: 404, which is 'gone').
   */
  call<T>(what: string, request: () => Promise<T>): Promise<T>;
}

export interface ClientOptions {
  /** Limit of one request, answer body included; default DEFAULT_REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Retries of transient failures; defaults in runner/retry.ts. */
  retry?: Partial<RetryOptions>;
}

export function makeClients(kc: k8s.KubeConfig, options: ClientOptions = {}): Clients {
  const http = timeoutHttpLibrary(options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  return {
    core: makeApiClient(kc, k8s.CoreV1Api, http),
    apps: makeApiClient(kc, k8s.AppsV1Api, http),
    batch: makeApiClient(kc, k8s.BatchV1Api, http),
    policy: makeApiClient(kc, k8s.PolicyV1Api, http),
    coordination: makeApiClient(kc, k8s.CoordinationV1Api, http),
    call: (what, request) => withRetries(what, request, transientKubeError, options.retry),
  };
}

/** Network errors worth another try: the connection broke or never came up, or the answer was late. */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/**
 * Transient: 429 (API priority and fairness, or a busy server; with its Retry-After), 500, 502, 503,
 * 504, a request timeout, a reset or refused connection. Not: 4xx answers (409 conflicts and 404s
 * are outcomes the callers handle), and anything else.
 */
export function transientKubeError(err: unknown): Transient | undefined {
  const status = err instanceof k8s.ApiException ? (err.code as number) : (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    if (status === 429 || status === 500 || status === 502 || status === 503 || status === 504) {
      const headers = (err as { headers?: Record<string, string> }).headers;
      const retryAfterMs = retryAfterMsOf(headers?.['retry-after']);
      return { reason: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    return undefined;
  }
  if (err instanceof RequestTimeoutError) return { reason: 'timeout' };
  const code = networkCode(err);
  return code !== undefined && TRANSIENT_NETWORK.has(code) ? { reason: code } : undefined;
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 3; depth++) {
    const code = (e as { code?: unknown; errno?: unknown }).code ?? (e as { errno?: unknown }).errno;
    if (typeof code === 'string') return code;
    // node-fetch's FetchError carries the system error's code; a "socket hang up" has ECONNRESET.
    e = (e as { cause?: unknown }).cause;
  }
  return /socket hang up/i.test(ensureError(err).message) ? 'ECONNRESET' : undefined;
}

/** `Retry-After` in seconds (what the API server sends) or as an HTTP date. */
function retryAfterMsOf(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Merge patch: the default of client-node is JSON-Patch, which a real API server rejects for an object body. */
export const MERGE_PATCH = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of a failed call, or undefined when it was not an API answer (network, TLS). */
export function statusOf(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? (err.code as number) : undefined;
}

/** The Kubernetes Status message of a failed call, for logs and refusals. */
export function messageOf(err: unknown): string {
  if (err instanceof k8s.ApiException) {
    try {
      const status = JSON.parse(String(err.body)) as { message?: string };
      if (status.message) return `${err.code}: ${status.message}`;
    } catch {
      // not a Status body
    }
    return `HTTP ${err.code}`;
  }
  return ensureError(err).message;
}
