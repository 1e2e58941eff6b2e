// The three PATCH bodies the API server accepts for built-in kinds, applied to a JSON document:
// JSON merge patch (RFC 7386), strategic merge patch (strategic-merge.ts) and JSON patch
// (RFC 6902). Errors are the API server's: a body that is not a patch of that type is a 400, a patch
// that does not apply (a failed `test`, a missing path) a 422.

import { ApiError, badRequest } from './api-errors';
import { cloneJson, isRecord } from './objects';
import { strategicMergePatch } from './strategic-merge';

export type PatchType = 'merge' | 'strategic' | 'json';

const CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

/** The patch type of a Content-Type header (parameters such as `charset` ignored), or undefined. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  if (contentType === undefined) return undefined;
  return CONTENT_TYPES[contentType.split(';')[0]!.trim().toLowerCase()];
}

export function unsupportedMediaType(contentType: string | undefined): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
    {
      causes: [{ reason: 'UnsupportedMediaType', message: `unsupported media type "${contentType ?? ''}"` }],
    },
  );
}

/** Applies `patch` (already parsed JSON) to a copy of `document`. */
export function applyPatch(document: unknown, patch: unknown, type: PatchType): unknown {
  switch (type) {
    case 'merge':
      if (!isRecord(patch)) throw badRequest('error decoding patch: a merge patch must be a JSON object');
      return mergePatch(document, patch);
    case 'strategic':
      return strategicMergePatch(document, patch);
    case 'json':
      return jsonPatch(document, decodeJsonPatch(patch));
  }
}

// ---------------------------------------------------------------------------------------------
// RFC 7386

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return cloneJson(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// RFC 6902

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

const OPS: ReadonlySet<string> = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function decodeJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) {
    // What the real server answers when a merge-style object is sent as application/json-patch+json
    // (the client-node default content type for patch calls).
    const got = isRecord(patch) ? 'object' : typeof patch;
    throw badRequest(`json: cannot unmarshal ${got} into Go value of type jsonpatch.Patch`);
  }
  return patch.map((operation, i) => {
    if (!isRecord(operation) || typeof operation.op !== 'string' || typeof operation.path !== 'string') {
      throw badRequest(`json patch operation ${i}: expected an object with string "op" and "path"`);
    }
    if (!OPS.has(operation.op)) throw badRequest(`Unexpected kind: ${operation.op}`);
    if ((operation.op === 'add' || operation.op === 'replace' || operation.op === 'test') && !('value' in operation)) {
      throw badRequest(`json patch operation ${i} (${operation.op}): missing value`);
    }
    if ((operation.op === 'move' || operation.op === 'copy') && typeof operation.from !== 'string') {
      throw badRequest(`json patch operation ${i} (${operation.op}): missing from`);
    }
    return operation as unknown as JsonPatchOperation;
  });
}

function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The container holding the last token of `tokens`, or a 422 when the path does not exist. */
function parentOf(document: unknown, tokens: readonly string[], op: string, path: string): Container {
  let node: unknown = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length - 1, op, path)];
    else if (isRecord(node)) node = node[token];
    else node = undefined;
    if (node === undefined) throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  if (!Array.isArray(node) && !isRecord(node)) throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}"`);
  return node;
}

function arrayIndex(token: string, max: number, op: string, path: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) > max)
    throw unprocessable(`${op} operation does not apply: index out of range: "${path}"`);
  return Number(token);
}

function read(document: unknown, path: string, op: string): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return document;
  const parent = parentOf(document, tokens, op, path);
  const last = tokens[tokens.length - 1]!;
  const value = Array.isArray(parent) ? parent[arrayIndex(last, parent.length - 1, op, path)] : parent[last];
  if (value === undefined) throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}"`);
  return value;
}

/** Deep equality of JSON values, key order aside (RFC 6902 `test` semantics). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((e, i) => jsonEqual(e, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function jsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let doc = cloneJson(document);
  for (const operation of operations) {
    const { op, path } = operation;
    if (op === 'test') {
      if (!jsonEqual(read(doc, path, op), operation.value)) throw unprocessable(`testing value ${path} failed: test failed`);
      continue;
    }
    let value: unknown;
    if (op === 'move' || op === 'copy') value = cloneJson(read(doc, operation.from!, op));
    if (op === 'move') doc = remove(doc, operation.from!, op);
    if (op === 'remove') {
      doc = remove(doc, path, op);
      continue;
    }
    if (op === 'add' || op === 'replace') value = cloneJson(operation.value);
    const tokens = pointer(path);
    if (tokens.length === 0) {
      doc = value;
      continue;
    }
    const parent = parentOf(doc, tokens, op, path);
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      if (op === 'replace') parent[arrayIndex(last, parent.length - 1, op, path)] = value;
      else if (last === '-') parent.push(value);
      else parent.splice(arrayIndex(last, parent.length, op, path), 0, value);
    } else {
      if (op === 'replace' && !(last in parent)) throw unprocessable(`replace operation does not apply: doc is missing key: ${path}`);
      parent[last] = value;
    }
  }
  return doc;
}

function remove(doc: unknown, path: string, op: string): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) throw unprocessable(`${op} operation does not apply: cannot remove the whole document`);
  const parent = parentOf(doc, tokens, op, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length - 1, op, path), 1);
  else {
    if (!(last in parent)) throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}"`);
    delete parent[last];
  }
  return doc;
}
