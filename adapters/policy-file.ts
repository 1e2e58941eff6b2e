// Reads the policy document from text or a file. Every problem, syntax or content, comes back as
// one InputError whose lines start with the file name, so the person sees where to look.

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { ensureError, InputError } from '../core/errors';
import type { Policy } from '../core/policy';
import { validatePolicy } from '../core/policy-validate';

/** YAML, or JSON when `source` ends in `.json` (JSON.parse gives JSON-worded messages). */
export function parsePolicyText(text: string, source: string): Policy {
  // Editors on Windows save a BOM, which JSON.parse refuses.
  const body = text.replace(/^\uFEFF/, '');
  const raw = /\.json$/i.test(source) ? parseJson(body, source) : parseYaml(body, source);
  if (raw === null || raw === undefined) {
    throw new InputError(`${source}: expected a policy document, got an empty file`);
  }
  const result = validatePolicy(raw);
  if (!result.ok) throw new InputError(result.errors.map((e) => `${source}: ${e}`));
  return result.policy;
}

export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path}: cannot read the policy file (${osReason(error)})`);
  }
  return parsePolicyText(text, path);
}

function parseJson(text: string, source: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = ensureError(error).message;
    throw new InputError(`${source}: invalid JSON: ${withLineAndColumn(message, text)}`);
  }
}

function parseYaml(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return `${source}: line ${line}, column ${col}: invalid YAML: ${e.message}`;
      }),
    );
  }
  try {
    return doc.toJS() as unknown;
  } catch (error) {
    // toJS refuses alias bombs (too many `*alias` expansions) by throwing.
    throw new InputError(`${source}: invalid YAML: ${ensureError(error).message}`);
  }
}

/** V8 reports a character offset; people count lines. */
function withLineAndColumn(message: string, text: string): string {
  const match = /at position (\d+)/.exec(message);
  if (match === null) return message.replace(/\s+/g, ' ');
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return message.replace(/at position \d+.*$/s, `at line ${line}, column ${column}`);
}

function osReason(error: unknown): string {
  if (error instanceof Error) {
    // "ENOENT: no such file or directory, open 'x'": the path is already at the front of our
    // message, and the syscall means nothing to the person fixing it.
    return error.message.replace(/, \w+(?: '.*')?$/s, '');
  }
  return String(error);
}
