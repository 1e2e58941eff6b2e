// Starts Azurite's queue service once per test run, on a free port, in memory, and hands its
// connection string to the tests: `inject('azuriteQueueConnectionString')`. Real queue semantics
// (invisible messages still counted, peek, 404 for a missing queue) with nothing beyond `npm ci`.

import { spawn, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    azuriteQueueConnectionString: string;
  }
}

// Azurite's well-known development account; public, not a secret.
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
// A cold CI machine loads Azurite's many modules slowly; a healthy start takes about a second.
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
const LISTENING = /successfully listens on (http:\/\/127\.0\.0\.1:(\d+))/;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // require('azurite') loads its VS Code extension and fails; its queue CLI runs fine on this Node.
  const main = require.resolve('azurite/dist/src/queue/main.js');
  const child = spawn(
    process.execPath,
    // --skipApiVersionCheck: azurite 3.35 refuses the x-ms-version storage-queue 12.30 sends.
    // --queuePort 0: a free port, printed on stdout even with --silent.
    [
      main,
      '--inMemoryPersistence',
      '--silent',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--queuePort',
      '0',
      '--queueHost',
      '127.0.0.1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Should vitest die without running teardown, do not leave Azurite behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let endpoint: string;
  try {
    endpoint = await listening(child);
  } catch (error) {
    process.off('exit', killOnExit);
    await stop(child);
    throw error;
  }
  project.provide(
    'azuriteQueueConnectionString',
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};QueueEndpoint=${endpoint}/${ACCOUNT};`,
  );
  return async () => {
    process.off('exit', killOnExit);
    await stop(child);
  };
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`Azurite's queue service did not start: ${why}\n--- Azurite output ---\n${output || '(none)'}`));
    };
    const timer = setTimeout(() => fail(`no "successfully listens on" line within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    // Keep reading after the start too: a full pipe would block Azurite's writes.
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => fail(`cannot run ${process.execPath}: ${error.message}`));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // SIGTERM closes its server cleanly; a hung Azurite must not hang the test run.
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
