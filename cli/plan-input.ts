// Reading what a person hands to `graceful-scaler plan`: kubectl dumps, queue depths, memory and a
// time. Every problem becomes an InputError naming the flag or file and what was expected.

import { readFile } from 'node:fs/promises';
import { snapshotFromLists, type ListDocument } from '../adapters/kubernetes/projection/snapshot';
import { parseDuration } from '../core/duration';
import { ensureError, InputError } from '../core/errors';
import { emptyMemory, parseMemory, type Memory } from '../core/memory';
import type { QueueView, Snapshot } from '../core/views';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : ensureError(err).message;
    throw new InputError(`${path}: cannot read the ${what}: ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${path}: the ${what} is not valid JSON (${ensureError(err).message})`);
  }
}

export async function readClusterDumps(paths: readonly string[], queues: readonly QueueView[]): Promise<Snapshot> {
  const documents: ListDocument[] = [];
  for (const path of paths) documents.push({ source: path, json: await readJson(path, 'cluster dump') });
  return { ...snapshotFromLists(documents), queues };
}

export async function readMemory(path: string | undefined): Promise<Memory> {
  if (path === undefined) return emptyMemory();
  const parsed = parseMemory(await readJson(path, 'memory file'));
  if (!parsed.ok) throw new InputError(parsed.problems.map((p) => `${path}: ${p}`));
  return parsed.memory;
}

const QUEUE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

/** `--queue clomo-jobs=120` or `--queue clomo-jobs-priority=3,age=300s` (age also in plain seconds). */
export function parseQueueFlag(text: string): QueueView {
  const expected = `--queue ${JSON.stringify(text)}: expected NAME=COUNT or NAME=COUNT,age=DURATION (e.g. clomo-jobs=120,age=300s)`;
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(expected);
  const name = text.slice(0, eq);
  const [countText, ...rest] = text.slice(eq + 1).split(',');
  if (!QUEUE_NAME.test(name))
    throw new InputError(
      `--queue ${JSON.stringify(text)}: "${name}" is not an Azure Storage queue name (3-63 lowercase letters, digits and single hyphens)`,
    );
  if (countText === undefined || !/^\d+$/.test(countText)) throw new InputError(`${expected}; the count must be a whole number >= 0`);
  let oldestAgeSeconds: number | undefined;
  for (const part of rest) {
    const m = /^age=(.+)$/.exec(part);
    if (!m) throw new InputError(`${expected}; unknown part "${part}"`);
    const value = m[1]!;
    const ms = /^\d+$/.test(value) ? Number(value) * 1000 : parseDuration(value);
    if (ms === undefined) throw new InputError(`${expected}; age "${value}" is not a duration like 45s, 5m or 300`);
    oldestAgeSeconds = ms / 1000;
  }
  return { name, messages: Number(countText), oldestAgeSeconds };
}

export function parseQueueFlags(values: readonly string[]): QueueView[] {
  const queues = values.map(parseQueueFlag);
  const seen = new Set<string>();
  for (const q of queues) {
    if (seen.has(q.name)) throw new InputError(`--queue: ${q.name} is given more than once`);
    seen.add(q.name);
  }
  return queues;
}

/** An ISO 8601 time with a zone (`2026-11-30T07:35:00+09:00` or `…Z`): a time without one is ambiguous. */
export function parseNow(text: string | undefined, clock: () => number): number {
  if (text === undefined) return clock();
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = Date.parse(text);
  if (!ok || !Number.isFinite(ms)) {
    throw new InputError(`--now ${JSON.stringify(text)}: expected an ISO 8601 time with a zone, e.g. 2026-11-30T07:35:00+09:00`);
  }
  return ms;
}
