// Protobuf request bodies: the k8s envelope, field numbers of generated.proto, Go's always-written
// empty fields left out as JSON's omitempty leaves them, and a 415 naming any field not understood.

import { expect, it } from 'vitest';
import { ApiError } from '../../../sim/model/api-errors';
import { decodeProtobufBody } from '../../../sim/servers/kube-protobuf';

// A minimal protobuf writer: enough to build the bodies kubectl's typed clients send.
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, BigInt(value));
  do {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? byte | 0x80 : byte);
  } while (rest > 0n);
  return Buffer.from(bytes);
}
const bytesField = (n: number, value: Buffer | string): Buffer => {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint((n << 3) | 2), varint(data.length), data]);
};
const intField = (n: number, value: number): Buffer => Buffer.concat([varint(n << 3), varint(value)]);
const message = (...fields: Buffer[]): Buffer => Buffer.concat(fields);
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from('k8s\u0000', 'latin1'),
    bytesField(1, message(bytesField(1, apiVersion), bytesField(2, kind))),
    bytesField(2, raw),
  ]);

const ZERO_TIME = message(intField(1, -62135596800));

it('decodes a ConfigMap: names, maps, and the empty fields Go always writes left out', () => {
  const metadata = message(bytesField(1, 'settings'), bytesField(2, ''), bytesField(3, 'clomo'), intField(7, 0), bytesField(8, ZERO_TIME));
  const data = [
    bytesField(2, message(bytesField(1, 'mode'), bytesField(2, 'web'))),
    bytesField(2, message(bytesField(1, 'level'), bytesField(2, '2'))),
  ];
  expect(decodeProtobufBody(envelope('v1', 'ConfigMap', message(bytesField(1, metadata), ...data)))).toEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'clomo' },
    data: { mode: 'web', level: '2' },
  });
});

it('decodes DeleteOptions with a zero grace period (a pointer field keeps its zero) and a dry run', () => {
  const body = envelope('meta.k8s.io/v1', 'DeleteOptions', message(intField(1, 0), bytesField(4, 'Background'), bytesField(5, 'All')));
  expect(decodeProtobufBody(body)).toEqual({
    apiVersion: 'meta.k8s.io/v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 0,
    propagationPolicy: 'Background',
    dryRun: ['All'],
  });
});

it('skips an unknown empty field; refuses an unknown field with a value, a kind it does not know, a body without the envelope', () => {
  expect(decodeProtobufBody(envelope('v1', 'ConfigMap', message(bytesField(1, message(bytesField(1, 'a'))), bytesField(9, ''))))).toEqual({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a' },
  });
  const bodies = [
    envelope('v1', 'ConfigMap', message(bytesField(1, message(bytesField(1, 'a'), bytesField(99, 'surprise'))))),
    envelope('v1', 'Secret', message()),
    Buffer.from('{"kind":"ConfigMap"}'),
  ];
  for (const body of bodies) {
    let error: unknown;
    try {
      decodeProtobufBody(body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(415);
  }
});

it('decodes the SelfSubjectAccessReview of kubectl auth can-i', () => {
  const attributes = message(
    bytesField(1, 'clomo'),
    bytesField(2, 'create'),
    bytesField(3, ''),
    bytesField(5, 'pods'),
    bytesField(6, 'eviction'),
  );
  const body = envelope(
    'authorization.k8s.io/v1',
    'SelfSubjectAccessReview',
    message(bytesField(1, message()), bytesField(2, message(bytesField(1, attributes)))),
  );
  expect(decodeProtobufBody(body)).toEqual({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: { resourceAttributes: { namespace: 'clomo', verb: 'create', resource: 'pods', subresource: 'eviction' } },
  });
});
