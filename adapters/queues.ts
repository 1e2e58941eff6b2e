// Queue depths from Azure Storage Queues: the worker scaler's input. For each queue, one
// Get Queue Properties (the approximate count) and one Peek (the oldest visible message), all queues
// at once. Nothing here decides; a queue we cannot read is an error, never a made-up zero.

import type { TokenCredential } from '@azure/identity';
import { QueueServiceClient, RestError, StorageRetryPolicyType, type StorageRetryOptions } from '@azure/storage-queue';
import { ensureError, InputError } from '../core/errors';
import type { QueueView } from '../core/views';
import { QueueNotFoundError, type QueueDepths } from '../runner/ports';

/**
 * The app settings that choose the storage account (exactly one is set; functions/settings.ts reads
 * them). Errors here name them, so a person knows which setting to fix.
 */
export const QUEUE_SETTINGS = {
  /** A storage connection string (Azurite locally, or an account key). */
  connectionString: 'QUEUES_CONNECTION_STRING',
  /** `https://<account>.queue.core.windows.net`, read with a managed identity. */
  accountUrl: 'QUEUES_ACCOUNT_URL',
} as const;

export type QueueSettings = { connectionString: string } | { accountUrl: string; credential: TokenCredential };

/** What a person checks when a queue is missing: the policy, or which account the settings name. */
const NOT_FOUND_CHECK = `check the policy's worker queues and ${QUEUE_SETTINGS.connectionString} / ${QUEUE_SETTINGS.accountUrl}`;

export interface QueueDepthsOptions {
  /** Epoch milliseconds; the age of the oldest message is measured against it. Default `Date.now`. */
  now?: () => number;
  /** Overrides of {@link QUEUE_RETRY}, e.g. fewer tries in tests. */
  retry?: StorageRetryOptions;
}

/**
 * The SDK's own retry policy (5xx, 503 ServerBusy throttling, resets and timeouts), bounded so a
 * read gives up well inside the worker scaler's 30 s tick: at worst 3 tries × 5 s plus 0.5 s + 1 s of
 * back-off ≈ 17 s. The SDK default (4 tries, 4 s doubling, no per-try timeout) could hang past the
 * next tick, and a late depth is worth less than the next tick's fresh one.
 */
export const QUEUE_RETRY: StorageRetryOptions = {
  retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
  maxTries: 3,
  tryTimeoutInMs: 5_000,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 2_000,
};

export function queueDepthsFromSettings(settings: QueueSettings, options: QueueDepthsOptions = {}): QueueDepths & { account: string } {
  const service = serviceClient(settings, { retryOptions: { ...QUEUE_RETRY, ...options.retry } });
  return new StorageQueueDepths(service, options.now ?? Date.now);
}

// The settings come from strings a person typed, so their shape is checked at run time too. Errors
// name the app setting but never echo a connection string: it holds the account key.
function serviceClient(settings: QueueSettings, pipeline: { retryOptions: StorageRetryOptions }): QueueServiceClient {
  const given = settings as Partial<{ connectionString: unknown; accountUrl: unknown; credential: unknown }>;
  const { connectionString: cs, accountUrl: url } = QUEUE_SETTINGS;
  if (given.connectionString !== undefined && given.accountUrl !== undefined) {
    throw new InputError(`${cs} and ${url} are both set: set only one`);
  }
  if (given.connectionString !== undefined) {
    if (typeof given.connectionString !== 'string' || given.connectionString.trim() === '') {
      throw new InputError(`${cs}: expected a storage connection string, got ${describe(given.connectionString)}`);
    }
    try {
      return QueueServiceClient.fromConnectionString(given.connectionString, pipeline);
    } catch (error) {
      throw new InputError(
        `${cs}: not a usable storage connection string (${ensureError(error).message}); expected ` +
          'DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net, ' +
          'or for Azurite …;QueueEndpoint=http://127.0.0.1:<port>/devstoreaccount1',
      );
    }
  }
  if (given.accountUrl !== undefined) {
    const problems: string[] = [];
    const parsed = typeof given.accountUrl === 'string' ? parseUrl(given.accountUrl) : undefined;
    if (parsed === undefined) {
      problems.push(`${url}: expected https://<account>.queue.core.windows.net, got ${describe(given.accountUrl)}`);
    } else {
      // https only: a bearer token must not travel in clear. No path or query: a SAS token in the URL
      // would be a secret in a plain setting, and a path would name a queue, not the account.
      if (parsed.protocol !== 'https:') problems.push(`${url}: must use https, got ${parsed.protocol}//`);
      // Sovereign clouds differ only in the suffix (queue.core.chinacloudapi.cn, …).
      if (!/^[a-z0-9]{3,24}\.queue\./.test(parsed.hostname))
        problems.push(`${url}: expected the queue endpoint https://<account>.queue.core.windows.net, got host ${parsed.hostname}`);
      if (parsed.pathname !== '/' || parsed.search !== '' || parsed.username !== '')
        problems.push(`${url}: expected the account's endpoint alone, without a path, query or user (a SAS token does not belong here)`);
    }
    if (typeof (given.credential as Partial<TokenCredential> | undefined)?.getToken !== 'function') {
      problems.push(`${url} is set but no managed identity credential was given (a TokenCredential from @azure/identity)`);
    }
    if (problems.length > 0) throw new InputError(problems);
    return new QueueServiceClient(String(given.accountUrl).replace(/\/$/, ''), given.credential as TokenCredential, pipeline);
  }
  throw new InputError(
    `set ${cs} (a storage connection string) or ${url} (https://<account>.queue.core.windows.net with a managed identity)`,
  );
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? (value.trim() === '' ? 'an empty string' : JSON.stringify(value)) : typeof value;
}

class StorageQueueDepths implements QueueDepths {
  readonly account: string;

  constructor(
    private readonly service: QueueServiceClient,
    private readonly now: () => number,
  ) {
    this.account = service.accountName;
  }

  async read(queues: readonly string[]): Promise<QueueView[]> {
    // A handful of queues per cluster: all at once, no pool needed. allSettled so that every missing
    // queue is named in one error, not just the first.
    const results = await Promise.allSettled(queues.map((name) => this.readOne(name)));
    const views: QueueView[] = [];
    const missing: string[] = [];
    let failure: Error | undefined;
    results.forEach((result, i) => {
      const name = queues[i] as string;
      if (result.status === 'fulfilled') views.push(result.value);
      // QueueNotFound exactly: a bare 404 (ResourceNotFound) means a wrong endpoint, not a wrong name.
      else if (result.reason instanceof RestError && result.reason.code === 'QueueNotFound') missing.push(name);
      else
        failure ??= new Error(`reading queue ${name} in storage account ${this.account}: ${ensureError(result.reason).message}`, {
          cause: result.reason,
        });
    });
    if (failure) throw failure;
    if (missing.length > 0) throw new QueueNotFoundError(this.account, missing, views, NOT_FOUND_CHECK);
    return views;
  }

  private async readOne(name: string): Promise<QueueView> {
    const queue = this.service.getQueueClient(name);
    const propertiesCall = queue.getProperties();
    const peekCall = queue.peekMessages({ numberOfMessages: 1 });
    // Both calls settle before we answer, so no request is still retrying after `read` returns.
    await Promise.allSettled([propertiesCall, peekCall]);
    const [properties, peeked] = [await propertiesCall, await peekCall];
    // The approximate count includes invisible messages, those received by a worker and being worked
    // on. That is what we want: a worker busy with a ten-hour job still needs to exist, and a count of
    // waiting messages alone would scale it away mid-job.
    const messages = properties.approximateMessagesCount;
    if (messages === undefined) throw new Error('the service returned no approximate message count');
    // Peek sees only visible messages, front of the queue first (Azure's order is roughly FIFO).
    const oldest = peeked.peekedMessageItems[0];
    const oldestAgeSeconds = oldest === undefined ? undefined : Math.max(0, Math.floor((this.now() - oldest.insertedOn.getTime()) / 1000));
    return { name, messages, oldestAgeSeconds };
  }
}
