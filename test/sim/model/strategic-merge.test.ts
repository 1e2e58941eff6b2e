// Strategic merge patches as kubectl's three-way apply writes them: keyed lists merged by their
// merge key, and the $setElementOrder, $retainKeys, $patch and $deleteFromPrimitiveList directives.

import { expect, it } from 'vitest';
import { ApiError } from '../../../sim/model/api-errors';
import { strategicMergePatch } from '../../../sim/model/strategic-merge';

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: `${name}:1`, ...extra });
const podSpec = (...containers: object[]) => ({ spec: { containers } });

it('merges containers by name and env by name, keeping what the patch does not mention', () => {
  const target = podSpec(
    container('web', {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    }),
    container('sidecar'),
  );
  const patched = strategicMergePatch(target, { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '3' }] }] } });
  expect(patched).toEqual(
    podSpec(
      container('web', {
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '3' },
        ],
      }),
      container('sidecar'),
    ),
  );
});

it('$setElementOrder orders the merged list; $patch: delete removes an element by its key', () => {
  const target = podSpec(
    container('web', {
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
        { name: 'C', value: '3' },
      ],
    }),
  );
  const patch = {
    spec: {
      containers: [
        {
          name: 'web',
          env: [
            { name: 'B', $patch: 'delete' },
            { name: 'D', value: '4' },
          ],
          '$setElementOrder/env': [{ name: 'D' }, { name: 'C' }, { name: 'A' }],
        },
      ],
      '$setElementOrder/containers': [{ name: 'web' }],
    },
  };
  const patched = strategicMergePatch(target, patch) as { spec: { containers: { env: unknown[] }[] } };
  expect(patched.spec.containers[0]!.env).toEqual([
    { name: 'D', value: '4' },
    { name: 'C', value: '3' },
    { name: 'A', value: '1' },
  ]);
  expect(JSON.stringify(patched)).not.toContain('$');
});

it('container ports merge by containerPort, a Service port list by port', () => {
  const pod = strategicMergePatch(podSpec(container('web', { ports: [{ containerPort: 80, name: 'http' }] })), {
    spec: { containers: [{ name: 'web', ports: [{ containerPort: 443, name: 'https' }] }] },
  }) as { spec: { containers: { ports: unknown[] }[] } };
  expect(pod.spec.containers[0]!.ports).toEqual([
    { containerPort: 80, name: 'http' },
    { containerPort: 443, name: 'https' },
  ]);
  const service = strategicMergePatch(
    { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
  );
  expect(service).toEqual({ spec: { ports: [{ port: 80, targetPort: 9090 }] } });
});

it('$retainKeys drops the keys it does not list (a strategy switched to Recreate loses rollingUpdate)', () => {
  const target = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
  const patched = strategicMergePatch(target, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
  expect(patched).toEqual({ spec: { strategy: { type: 'Recreate' } } });
});

it('$patch: replace replaces a map; atomic lists are replaced whole; finalizers merge as a set', () => {
  expect(
    strategicMergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { $patch: 'replace', c: '3' } } }),
  ).toEqual({
    metadata: { labels: { c: '3' } },
  });
  const tolerations = strategicMergePatch(
    { spec: { tolerations: [{ key: 'a' }, { key: 'b' }] } },
    { spec: { tolerations: [{ key: 'c' }] } },
  );
  expect(tolerations).toEqual({ spec: { tolerations: [{ key: 'c' }] } });
  const finalizers = strategicMergePatch(
    { metadata: { finalizers: ['a', 'b'] } },
    { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
  );
  expect(finalizers).toEqual({ metadata: { finalizers: ['b', 'c'] } });
});

it('refuses a directive in an atomic list and an unknown $patch, as a 400', () => {
  for (const patch of [
    { spec: { tolerations: [{ key: 'a', $patch: 'delete' }] } },
    { spec: { $patch: 'sideways' } },
    { spec: { $unknown: 1 } },
  ]) {
    let error: unknown;
    try {
      strategicMergePatch({ spec: {} }, patch);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
  }
});
