// Headless Chromium for the browser tests: Debian's own build (CHROMIUM_PATH to use another), driven
// by playwright-core, which never downloads a browser. A fresh profile per launch, removed on close.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// No sandbox (CI runs as root), no GPU, and none of Chromium's own traffic: on a closed network its
// update checks and sync attempts only fail, slowly, many at a time.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** The browser's own zone, to show the page does not depend on it. */
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const profile = await mkdtemp(path.join(tmpdir(), 'graceful-scaler-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: 'en-GB',
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      timeout: 60_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`could not start Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or apt-get install chromium): ${String(err)}`);
  }
  let closed: Promise<void> | undefined;
  return {
    context,
    newPage: () => context.newPage(),
    close: () =>
      (closed ??= (async () => {
        // A browser that hangs on close must not hang the run: after 15 s, the processes started
        // with this profile (and only those) are killed.
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), 15_000);
        });
        try {
          const result = await Promise.race([context.close().then(() => 'closed' as const), timedOut]);
          if (result === 'timeout') await killProfile(profile);
        } catch {
          await killProfile(profile);
        } finally {
          clearTimeout(timer);
          await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
        }
      })()),
  };
}

/** SIGKILL to the Chromium processes whose command line names this profile directory. */
async function killProfile(profile: string): Promise<void> {
  const marker = `--user-data-dir=${profile}`;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(marker)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
