// Pipeline policies added to the ARM SDK clients.
//
// Throttling: the SDK's retry policy already honours `Retry-After` on 429/503 (up to `maxRetries`),
// but without any upper bound: ARM may ask for minutes, and a Functions invocation has a time limit.
// `throttleCapPolicy` sits inside the retry loop, sees every throttled answer, and stops waiting once
// the request would have waited longer than allowed in total.
//
// Plain http: the SDK's bearer-token policy refuses non-https URLs (allowInsecureConnection does not
// help), so a local test endpoint on http is addressed as https and rewritten just before sending.

import type { ComputeManagementClientOptionalParams } from '@azure/arm-compute';

type AdditionalPolicy = NonNullable<ComputeManagementClientOptionalParams['additionalPolicies']>[number];
export type ArmPipelinePolicy = AdditionalPolicy['policy'];
type ArmResponse = Awaited<ReturnType<ArmPipelinePolicy['sendRequest']>>;

/** ARM asked us to wait longer than we are willing to for one request. */
export class ThrottledTooLong extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly waitedMs: number,
    readonly maxWaitMs: number,
  ) {
    super(
      `ARM throttled the request (429) and asks to retry after ${formatMs(retryAfterMs)}; ` +
        `with ${formatMs(waitedMs)} already waited that exceeds the limit of ${formatMs(maxWaitMs)}`,
    );
    this.name = 'ThrottledTooLong';
  }
}

/**
 * Lets the SDK's retry policy wait out `Retry-After` while the total for one request stays within
 * `maxWaitMs`; beyond that it throws ThrottledTooLong, which the retry policy passes through (it only
 * retries REST errors).
 */
export function throttleCapPolicy(maxWaitMs: number): AdditionalPolicy {
  // The retry policy resends the same request object, so it identifies "one request" across retries.
  const waited = new WeakMap<object, number>();
  return {
    position: 'perRetry',
    policy: {
      name: 'gracefulScalerThrottleCap',
      async sendRequest(request, next) {
        const response = await next(request);
        if (response.status !== 429 && response.status !== 503) return response;
        const retryAfterMs = retryAfterMsOf(response);
        if (retryAfterMs === undefined) return response;
        const before = waited.get(request) ?? 0;
        if (before + retryAfterMs > maxWaitMs) throw new ThrottledTooLong(retryAfterMs, before, maxWaitMs);
        waited.set(request, before + retryAfterMs);
        return response;
      },
    },
  };
}

/** The wait the SDK's throttling strategy will take, read the same way (ms headers first). */
export function retryAfterMsOf(response: ArmResponse): number | undefined {
  for (const [header, factor] of [
    ['retry-after-ms', 1],
    ['x-ms-retry-after-ms', 1],
    ['retry-after', 1000],
  ] as const) {
    const value = response.headers.get(header);
    if (value === undefined || value === '') continue;
    const n = Number(value);
    if (Number.isFinite(n)) return n * factor;
    if (header === 'retry-after') {
      const date = Date.parse(value);
      if (Number.isFinite(date)) return Math.max(0, date - Date.now());
    }
  }
  return undefined;
}

/**
 * For an `http://host:port` endpoint: the clients are given `https://host:port` and this policy sends
 * to http instead, after the bearer policy has run. It restores the URL afterwards because a retry
 * goes through the bearer policy again. `X-Forwarded-Proto: https` tells the endpoint to hand out
 * https links (nextLink, operation URLs), which come back through here.
 */
export function plainHttpPolicy(httpOrigin: string): AdditionalPolicy {
  const httpsOrigin = httpOrigin.replace(/^http:/i, 'https:');
  return {
    position: 'perRetry',
    policy: {
      name: 'gracefulScalerPlainHttp',
      async sendRequest(request, next) {
        const url = request.url;
        if (!url.toLowerCase().startsWith(httpsOrigin.toLowerCase())) return next(request);
        const insecure = request.allowInsecureConnection;
        request.url = httpOrigin + url.slice(httpsOrigin.length);
        request.allowInsecureConnection = true;
        request.headers.set('x-forwarded-proto', 'https');
        try {
          return await next(request);
        } finally {
          request.url = url;
          request.allowInsecureConnection = insecure;
        }
      },
    },
  };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}
