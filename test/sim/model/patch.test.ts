// The three PATCH bodies of the API server and their errors: merge patch (null deletes a key),
// strategic merge patch (merge semantics, directives in atomic lists refused), JSON patch (RFC 6902), and the
// content types that select them.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../sim/model/api-errors';
import { applyPatch, patchTypeOf, type PatchType } from '../../../sim/model/patch';

const NODE = {
  metadata: {
    name: 'n1',
    annotations: { 'graceful-scaler.io/draining-since': '2026-11-30T21:05:00Z', keep: 'me' },
    labels: { agentpool: 'user' },
  },
  spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] },
};

function failure(run: () => unknown): { code: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('content types', () => {
  const cases: { contentType: string | undefined; type: PatchType | undefined }[] = [
    { contentType: 'application/merge-patch+json', type: 'merge' },
    { contentType: 'application/strategic-merge-patch+json', type: 'strategic' },
    { contentType: 'application/json-patch+json', type: 'json' },
    { contentType: 'application/merge-patch+json; charset=utf-8', type: 'merge' },
    { contentType: 'application/json', type: undefined },
    { contentType: 'application/apply-patch+yaml', type: undefined },
    { contentType: undefined, type: undefined },
  ];
  it.each(cases)('$contentType → $type', ({ contentType, type }) => {
    expect(patchTypeOf(contentType)).toBe(type);
  });
});

describe.each(['merge', 'strategic'] as const)('%s patch', (type) => {
  it('cordons and annotates in one patch, deleting a key with null and keeping the rest', () => {
    const patched = applyPatch(
      NODE,
      { spec: { unschedulable: true }, metadata: { annotations: { 'graceful-scaler.io/draining-since': null, reason: 'night' } } },
      type,
    );
    expect(patched).toEqual({
      metadata: { name: 'n1', annotations: { keep: 'me', reason: 'night' }, labels: { agentpool: 'user' } },
      spec: { taints: [{ key: 'a', effect: 'NoSchedule' }], unschedulable: true },
    });
  });

  it('replaces lists as a whole (taints have no merge key in Kubernetes)', () => {
    expect(applyPatch(NODE, { spec: { taints: [] } }, type)).toMatchObject({ spec: { taints: [] } });
  });

  it('leaves the original untouched', () => {
    applyPatch(NODE, { metadata: { labels: { agentpool: null } } }, type);
    expect(NODE.metadata.labels).toEqual({ agentpool: 'user' });
  });

  it('refuses a body that is not an object with 400', () => {
    expect(failure(() => applyPatch(NODE, [{ op: 'add', path: '/spec/unschedulable', value: true }], type)).code).toBe(400);
  });
});

it('strategic merge patch refuses directives it would not apply faithfully', () => {
  expect(failure(() => applyPatch(NODE, { spec: { taints: [{ key: 'a', $patch: 'delete' }] } }, 'strategic'))).toMatchObject({ code: 400 });
});

describe('JSON patch (RFC 6902)', () => {
  it('adds, replaces, removes and tests, with ~1 for "/" in keys', () => {
    const patched = applyPatch(
      NODE,
      [
        { op: 'test', path: '/metadata/annotations/keep', value: 'me' },
        { op: 'add', path: '/spec/unschedulable', value: true },
        { op: 'remove', path: '/metadata/annotations/graceful-scaler.io~1draining-since' },
        { op: 'replace', path: '/metadata/labels/agentpool', value: 'batch' },
        { op: 'add', path: '/spec/taints/-', value: { key: 'b', effect: 'NoExecute' } },
        { op: 'add', path: '/spec/taints/0', value: { key: 'first', effect: 'NoSchedule' } },
      ],
      'json',
    );
    expect(patched).toEqual({
      metadata: { name: 'n1', annotations: { keep: 'me' }, labels: { agentpool: 'batch' } },
      spec: {
        taints: [
          { key: 'first', effect: 'NoSchedule' },
          { key: 'a', effect: 'NoSchedule' },
          { key: 'b', effect: 'NoExecute' },
        ],
        unschedulable: true,
      },
    });
  });

  it('moves and copies', () => {
    const patched = applyPatch(
      { a: { x: 1 }, b: {} },
      [
        { op: 'copy', from: '/a/x', path: '/b/y' },
        { op: 'move', from: '/a', path: '/c' },
      ],
      'json',
    );
    expect(patched).toEqual({ b: { y: 1 }, c: { x: 1 } });
  });

  const failures: { name: string; patch: unknown; code: number; message?: RegExp }[] = [
    {
      name: 'an object body (a merge patch sent as json-patch)',
      patch: { spec: { unschedulable: true } },
      code: 400,
      message: /cannot unmarshal object into Go value of type jsonpatch.Patch/,
    },
    { name: 'an unknown op', patch: [{ op: 'increment', path: '/a' }], code: 400 },
    { name: 'an op without value', patch: [{ op: 'add', path: '/spec/x' }], code: 400 },
    { name: 'a failed test', patch: [{ op: 'test', path: '/metadata/name', value: 'n2' }], code: 422, message: /test failed/ },
    { name: 'removing a missing key', patch: [{ op: 'remove', path: '/metadata/annotations/nope' }], code: 422 },
    { name: 'adding under a missing parent', patch: [{ op: 'add', path: '/status/conditions/0', value: {} }], code: 422 },
    { name: 'replacing a missing key', patch: [{ op: 'replace', path: '/spec/unschedulable', value: false }], code: 422 },
    { name: 'an index past the end', patch: [{ op: 'add', path: '/spec/taints/5', value: {} }], code: 422 },
  ];
  it.each(failures)('refuses $name with $code', ({ patch, code, message }) => {
    const result = failure(() => applyPatch(NODE, patch, 'json'));
    expect(result.code).toBe(code);
    if (message !== undefined) expect(result.message).toMatch(message);
  });

  it('applies all or nothing: a failing op leaves the document as it was', () => {
    const before = JSON.stringify(NODE);
    failure(() =>
      applyPatch(
        NODE,
        [
          { op: 'add', path: '/spec/unschedulable', value: true },
          { op: 'test', path: '/metadata/name', value: 'x' },
        ],
        'json',
      ),
    );
    expect(JSON.stringify(NODE)).toBe(before);
  });
});
