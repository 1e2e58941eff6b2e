import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queueDepthsFromSettings, type QueueSettings } from '../../adapters/queues';
import { QueueNotFoundError } from '../../runner/ports';
import { InputError } from '../../core/errors';

const connectionString = inject('azuriteQueueConnectionString');
const service = QueueServiceClient.fromConnectionString(connectionString);

// Azure queue names: 3-63 lowercase letters, digits and single hyphens. Unique per test, so tests
// never see each other's messages.
let serial = 0;
const run = Math.random().toString(36).slice(2, 8);
async function newQueue(...messages: string[]) {
  const queue = service.getQueueClient(`gs-${run}-${++serial}`);
  await queue.create();
  const sent = [];
  for (const text of messages) sent.push(await queue.sendMessage(text));
  return { name: queue.name, queue, sent };
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

const fakeCredential: TokenCredential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('queueDepthsFromSettings against Azurite', () => {
  it('counts messages being worked on (received, invisible) as well as waiting ones', async () => {
    const { name, queue } = await newQueue('a', 'b', 'c');
    await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 60 });

    const [view] = await queueDepthsFromSettings({ connectionString }).read([name]);

    expect(view?.messages).toBe(3);
  });

  it('measures the oldest visible message against the clock it is given', async () => {
    const { name, sent } = await newQueue('job');
    const insertedOn = sent[0]!.insertedOn.getTime();

    const [view] = await queueDepthsFromSettings({ connectionString }, { now: () => insertedOn + 90_500 }).read([name]);

    expect(view).toEqual({ name, messages: 1, oldestAgeSeconds: 90 });
  });

  it('has no oldest age when every message is in flight, but still counts them', async () => {
    const { name, queue } = await newQueue('long job');
    await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 60 });

    const [view] = await queueDepthsFromSettings({ connectionString }).read([name]);

    expect(view).toEqual({ name, messages: 1, oldestAgeSeconds: undefined });
  });

  it('reads an empty queue as 0 messages and no age', async () => {
    const { name } = await newQueue();

    expect(await queueDepthsFromSettings({ connectionString }).read([name])).toEqual([{ name, messages: 0, oldestAgeSeconds: undefined }]);
  });

  it('clamps the age at 0 when the clock is behind the service', async () => {
    const { name, sent } = await newQueue('job');

    const [view] = await queueDepthsFromSettings({ connectionString }, { now: () => sent[0]!.insertedOn.getTime() - 5_000 }).read([name]);

    expect(view?.oldestAgeSeconds).toBe(0);
  });

  it('reads several queues at once, in the order asked', async () => {
    const one = await newQueue('x');
    const two = await newQueue('x', 'y');
    const three = await newQueue();

    const views = await queueDepthsFromSettings({ connectionString }).read([three.name, one.name, two.name]);

    expect(views.map((v) => [v.name, v.messages])).toEqual([
      [three.name, 0],
      [one.name, 1],
      [two.name, 2],
    ]);
  });

  it('reads no queues as an empty list', async () => {
    expect(await queueDepthsFromSettings({ connectionString }).read([])).toEqual([]);
  });

  it('refuses missing queues with one error naming them all and the account, keeping what it read', async () => {
    const present = await newQueue('x');
    const depths = queueDepthsFromSettings({ connectionString });

    const error = await depths.read([`gs-${run}-typo`, present.name, `gs-${run}-gone`]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QueueNotFoundError);
    const notFound = error as QueueNotFoundError;
    expect(notFound.account).toBe('devstoreaccount1');
    expect(notFound.queues).toEqual([`gs-${run}-typo`, `gs-${run}-gone`]);
    expect(notFound.message).toContain(`storage account devstoreaccount1 has no queue named gs-${run}-typo, gs-${run}-gone`);
    expect(notFound.read).toEqual([{ name: present.name, messages: 1, oldestAgeSeconds: expect.any(Number) }]);
  });

  it('reports a wrong endpoint as a failure, not as missing queues', async () => {
    const otherAccount = connectionString.replace(/QueueEndpoint=(http:\/\/[^/;]+)\/devstoreaccount1/, 'QueueEndpoint=$1/otheraccount');

    const error = await queueDepthsFromSettings({ connectionString: otherAccount })
      .read(['jobs'])
      .catch((e: unknown) => e);

    expect(error).not.toBeInstanceOf(QueueNotFoundError);
    expect((error as Error).message).toMatch(/^reading queue jobs in storage account otheraccount: /);
  });
});

describe('retries', () => {
  // A storage endpoint that is always busy (503 is how Storage throttles), counting the requests.
  let server: Server;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(503, { 'x-ms-error-code': 'ServerBusy' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('retries a busy service a bounded number of times, then names the queue and the account', async () => {
    const { port } = server.address() as AddressInfo;
    const busy = connectionString.replace(/QueueEndpoint=[^;]+/, `QueueEndpoint=http://127.0.0.1:${port}/devstoreaccount1`);
    const depths = queueDepthsFromSettings({ connectionString: busy }, { retry: { maxTries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 1 } });

    await expect(depths.read(['jobs'])).rejects.toThrow(/^reading queue jobs in storage account devstoreaccount1: /);
    // Two calls (properties and peek), two tries each.
    expect(requests).toBe(4);
  });
});

describe('settings', () => {
  const cases: { name: string; settings: unknown; error: RegExp }[] = [
    { name: 'nothing set', settings: {}, error: /^set QUEUES_CONNECTION_STRING .* or QUEUES_ACCOUNT_URL/ },
    {
      name: 'both set',
      settings: {
        connectionString: 'UseDevelopmentStorage=true',
        accountUrl: 'https://acct.queue.core.windows.net',
        credential: fakeCredential,
      },
      error: /QUEUES_CONNECTION_STRING and QUEUES_ACCOUNT_URL are both set/,
    },
    {
      name: 'empty connection string',
      settings: { connectionString: '  ' },
      error: /^QUEUES_CONNECTION_STRING: expected a storage connection string, got an empty string/,
    },
    {
      name: 'connection string not a string',
      settings: { connectionString: 42 },
      error: /^QUEUES_CONNECTION_STRING: expected a storage connection string, got number/,
    },
    {
      name: 'malformed connection string',
      settings: { connectionString: 'AccountName=acct;AccountKey=c2VrcmV0' },
      error: /^QUEUES_CONNECTION_STRING: not a usable storage connection string/,
    },
    {
      name: 'account URL not a URL',
      settings: { accountUrl: 'acct', credential: fakeCredential },
      error: /^QUEUES_ACCOUNT_URL: expected https:\/\/<account>\.queue\.core\.windows\.net, got "acct"/,
    },
    {
      name: 'account URL over http',
      settings: { accountUrl: 'http://acct.queue.core.windows.net', credential: fakeCredential },
      error: /^QUEUES_ACCOUNT_URL: must use https/,
    },
    {
      name: 'blob endpoint',
      settings: { accountUrl: 'https://acct.blob.core.windows.net', credential: fakeCredential },
      error: /^QUEUES_ACCOUNT_URL: expected the queue endpoint .* got host acct\.blob\.core\.windows\.net/,
    },
    {
      name: 'SAS in the URL',
      settings: { accountUrl: 'https://acct.queue.core.windows.net/?sv=2024&sig=abc', credential: fakeCredential },
      error: /^QUEUES_ACCOUNT_URL: expected the account's endpoint alone/,
    },
    {
      name: 'account URL without credential',
      settings: { accountUrl: 'https://acct.queue.core.windows.net' },
      error: /^QUEUES_ACCOUNT_URL is set but no managed identity credential was given/,
    },
  ];
  it.each(cases)('rejects $name', ({ settings, error }) => {
    expect(() => queueDepthsFromSettings(settings as QueueSettings)).toThrow(InputError);
    expect(() => queueDepthsFromSettings(settings as QueueSettings)).toThrow(error);
  });

  it('lists every problem of an account URL at once', () => {
    const error = catchError(() => queueDepthsFromSettings({ accountUrl: 'http://acct.blob.core.windows.net/x' } as QueueSettings));
    expect((error as InputError).problems).toHaveLength(4);
  });

  it('never repeats a connection string, which holds the account key', () => {
    expect(() => queueDepthsFromSettings({ connectionString: 'AccountName=acct;AccountKey=c2VrcmV0' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('c2VrcmV0') }),
    );
  });

  it('accepts a managed identity on an account URL, sovereign clouds too', () => {
    expect(queueDepthsFromSettings({ accountUrl: 'https://acct.queue.core.windows.net/', credential: fakeCredential }).account).toBe(
      'acct',
    );
    expect(queueDepthsFromSettings({ accountUrl: 'https://acct.queue.core.chinacloudapi.cn', credential: fakeCredential }).account).toBe(
      'acct',
    );
  });

  it('accepts a connection string', () => {
    expect(queueDepthsFromSettings({ connectionString }).account).toBe('devstoreaccount1');
  });
});
