// Request bodies in application/vnd.kubernetes.protobuf, which kubectl's typed clients send for
// `create configmap|deployment|job|namespace`, `drain --disable-eviction` (DeleteOptions) and
// `auth can-i` (SelfSubjectAccessReview):
// the `k8s\0` envelope (runtime.Unknown), then the object by the field numbers of
// k8s.io/api's generated.proto, turned into the JSON the rest of the server reads.
//
// Only the kinds and fields listed here are known. Go's protobuf writes every non-pointer field,
// empty or not, so an unknown field holding an empty value is a default and is skipped; an unknown
// field with a value is refused (415), naming it, rather than silently dropped.

import { ApiError } from '../model/api-errors';

type Scalar = 'string' | 'int' | 'int?' | 'bool' | 'bool?' | 'bytes' | 'time' | 'quantity' | 'intOrString';
interface Message {
  name: string;
  fields: Readonly<Record<number, Field>>;
}
type Field = readonly [name: string, type: Scalar | Message | { map: Scalar | Message } | { list: Scalar | Message }];

const msg = (name: string, fields: Record<number, Field>): Message => ({ name, fields });
const strings = { list: 'string' } as const;
const stringMap = { map: 'string' } as const;

const OWNER_REFERENCE = msg('OwnerReference', {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool?'],
  7: ['blockOwnerDeletion', 'bool?'],
});
const OBJECT_META = msg('ObjectMeta', {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  4: ['selfLink', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  8: ['creationTimestamp', 'time'],
  9: ['deletionTimestamp', 'time'],
  10: ['deletionGracePeriodSeconds', 'int?'],
  11: ['labels', stringMap],
  12: ['annotations', stringMap],
  13: ['ownerReferences', { list: OWNER_REFERENCE }],
  14: ['finalizers', strings],
});
const LABEL_SELECTOR = msg('LabelSelector', {
  1: ['matchLabels', stringMap],
  2: [
    'matchExpressions',
    { list: msg('LabelSelectorRequirement', { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', strings] }) },
  ],
});
const CONTAINER = msg('Container', {
  1: ['name', 'string'],
  2: ['image', 'string'],
  3: ['command', strings],
  4: ['args', strings],
  5: ['workingDir', 'string'],
  6: [
    'ports',
    {
      list: msg('ContainerPort', {
        1: ['name', 'string'],
        2: ['hostPort', 'int'],
        3: ['containerPort', 'int'],
        4: ['protocol', 'string'],
        5: ['hostIP', 'string'],
      }),
    },
  ],
  7: ['env', { list: msg('EnvVar', { 1: ['name', 'string'], 2: ['value', 'string'] }) }],
  8: ['resources', msg('ResourceRequirements', { 1: ['limits', { map: 'quantity' }], 2: ['requests', { map: 'quantity' }] })],
  13: ['terminationMessagePath', 'string'],
  14: ['imagePullPolicy', 'string'],
  16: ['stdin', 'bool'],
  17: ['stdinOnce', 'bool'],
  18: ['tty', 'bool'],
  20: ['terminationMessagePolicy', 'string'],
});
const TOLERATION = msg('Toleration', {
  1: ['key', 'string'],
  2: ['operator', 'string'],
  3: ['value', 'string'],
  4: ['effect', 'string'],
  5: ['tolerationSeconds', 'int?'],
});
const POD_SPEC = msg('PodSpec', {
  2: ['containers', { list: CONTAINER }],
  3: ['restartPolicy', 'string'],
  4: ['terminationGracePeriodSeconds', 'int?'],
  5: ['activeDeadlineSeconds', 'int?'],
  6: ['dnsPolicy', 'string'],
  7: ['nodeSelector', stringMap],
  8: ['serviceAccountName', 'string'],
  9: ['serviceAccount', 'string'],
  10: ['nodeName', 'string'],
  11: ['hostNetwork', 'bool'],
  12: ['hostPID', 'bool'],
  13: ['hostIPC', 'bool'],
  14: ['securityContext', msg('PodSecurityContext', {})],
  16: ['hostname', 'string'],
  17: ['subdomain', 'string'],
  19: ['schedulerName', 'string'],
  20: ['initContainers', { list: CONTAINER }],
  22: ['tolerations', { list: TOLERATION }],
  24: ['priorityClassName', 'string'],
  25: ['priority', 'int?'],
});
const POD_TEMPLATE_SPEC = msg('PodTemplateSpec', { 1: ['metadata', OBJECT_META], 2: ['spec', POD_SPEC] });
const EMPTY_STATUS = msg('Status', {});

const INT_OR_STRING = 'intOrString';
const DEPLOYMENT = msg('Deployment', {
  1: ['metadata', OBJECT_META],
  2: [
    'spec',
    msg('DeploymentSpec', {
      1: ['replicas', 'int?'],
      2: ['selector', LABEL_SELECTOR],
      3: ['template', POD_TEMPLATE_SPEC],
      4: [
        'strategy',
        msg('DeploymentStrategy', {
          1: ['type', 'string'],
          2: ['rollingUpdate', msg('RollingUpdateDeployment', { 1: ['maxUnavailable', INT_OR_STRING], 2: ['maxSurge', INT_OR_STRING] })],
        }),
      ],
      5: ['minReadySeconds', 'int'],
      6: ['revisionHistoryLimit', 'int?'],
      7: ['paused', 'bool'],
      9: ['progressDeadlineSeconds', 'int?'],
    }),
  ],
  3: ['status', EMPTY_STATUS],
});
const JOB = msg('Job', {
  1: ['metadata', OBJECT_META],
  2: [
    'spec',
    msg('JobSpec', {
      1: ['parallelism', 'int?'],
      2: ['completions', 'int?'],
      3: ['activeDeadlineSeconds', 'int?'],
      4: ['selector', LABEL_SELECTOR],
      5: ['manualSelector', 'bool?'],
      6: ['template', POD_TEMPLATE_SPEC],
      7: ['backoffLimit', 'int?'],
      8: ['ttlSecondsAfterFinished', 'int?'],
      9: ['completionMode', 'string'],
      10: ['suspend', 'bool?'],
    }),
  ],
  3: ['status', EMPTY_STATUS],
});
const CONFIG_MAP = msg('ConfigMap', {
  1: ['metadata', OBJECT_META],
  2: ['data', stringMap],
  3: ['binaryData', { map: 'bytes' }],
  4: ['immutable', 'bool?'],
});
const NAMESPACE = msg('Namespace', {
  1: ['metadata', OBJECT_META],
  2: ['spec', msg('NamespaceSpec', { 1: ['finalizers', strings] })],
  3: ['status', msg('NamespaceStatus', { 1: ['phase', 'string'] })],
});
const DELETE_OPTIONS = msg('DeleteOptions', {
  1: ['gracePeriodSeconds', 'int?'],
  2: ['preconditions', msg('Preconditions', { 1: ['uid', 'string'], 2: ['resourceVersion', 'string'] })],
  3: ['orphanDependents', 'bool?'],
  4: ['propagationPolicy', 'string'],
  5: ['dryRun', strings],
});

// `kubectl auth can-i` asks with one of these (authorization.k8s.io/v1).
const SELF_SUBJECT_ACCESS_REVIEW = msg('SelfSubjectAccessReview', {
  1: ['metadata', OBJECT_META],
  2: [
    'spec',
    msg('SelfSubjectAccessReviewSpec', {
      1: [
        'resourceAttributes',
        msg('ResourceAttributes', {
          1: ['namespace', 'string'],
          2: ['verb', 'string'],
          3: ['group', 'string'],
          4: ['version', 'string'],
          5: ['resource', 'string'],
          6: ['subresource', 'string'],
          7: ['name', 'string'],
        }),
      ],
      2: ['nonResourceAttributes', msg('NonResourceAttributes', { 1: ['path', 'string'], 2: ['verb', 'string'] })],
    }),
  ],
  3: ['status', EMPTY_STATUS],
});

const KINDS: Readonly<Record<string, Message>> = {
  SelfSubjectAccessReview: SELF_SUBJECT_ACCESS_REVIEW,
  Deployment: DEPLOYMENT,
  Job: JOB,
  ConfigMap: CONFIG_MAP,
  Namespace: NAMESPACE,
  DeleteOptions: DELETE_OPTIONS,
};

const TYPE_META = msg('TypeMeta', { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] });
const UNKNOWN = msg('Unknown', {
  1: ['typeMeta', TYPE_META],
  2: ['raw', 'bytes'],
  3: ['contentEncoding', 'string'],
  4: ['contentType', 'string'],
});

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

function refused(message: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the protobuf body could not be decoded by the simulated API server: ${message}; send JSON instead`,
  );
}

// ---------------------------------------------------------------------------------------------
// The wire format

interface WireField {
  number: number;
  wireType: number;
  varint?: bigint;
  bytes?: Buffer;
}

function* wireFields(buffer: Buffer, where: string): Generator<WireField> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= buffer.length) throw refused(`truncated ${where}`);
      const byte = buffer[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buffer.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) yield { number, wireType, varint: varint() };
    else if (wireType === 2) {
      const length = Number(varint());
      if (at + length > buffer.length) throw refused(`truncated ${where}`);
      yield { number, wireType, bytes: buffer.subarray(at, at + length) };
      at += length;
    } else if (wireType === 1 || wireType === 5) {
      at += wireType === 1 ? 8 : 4;
      yield { number, wireType };
    } else throw refused(`wire type ${wireType} in ${where}`);
  }
}

function signed64(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

function scalar(type: Scalar, field: WireField, where: string): unknown {
  switch (type) {
    case 'string':
      return field.bytes?.toString('utf8') ?? '';
    case 'bytes':
      return field.bytes?.toString('base64') ?? '';
    case 'int':
    case 'int?':
      return signed64(field.varint ?? 0n);
    case 'bool':
    case 'bool?':
      return field.varint !== 0n;
    case 'quantity':
      return (
        (decodeMessage(field.bytes ?? Buffer.alloc(0), msg('Quantity', { 1: ['string', 'string'] }), where) as { string?: string })
          .string ?? '0'
      );
    case 'intOrString': {
      const value = decodeMessage(
        field.bytes ?? Buffer.alloc(0),
        msg('IntOrString', { 1: ['type', 'int'], 2: ['intVal', 'int'], 3: ['strVal', 'string'] }),
        where,
      ) as {
        type?: number;
        intVal?: number;
        strVal?: string;
      };
      return value.type === 1 ? (value.strVal ?? '') : (value.intVal ?? 0);
    }
    case 'time': {
      const value = decodeMessage(field.bytes ?? Buffer.alloc(0), msg('Time', { 1: ['seconds', 'int'], 2: ['nanos', 'int'] }), where) as {
        seconds?: number;
      };
      // Go's zero time (year 1) is `null` in JSON.
      if (value.seconds === undefined || value.seconds <= -62135596800) return null;
      return new Date(value.seconds * 1000).toISOString().replace('.000Z', 'Z');
    }
  }
}

/** Go writes every non-pointer field; its zero value is what JSON's omitempty leaves out. */
function isEmpty(type: Field[1], value: unknown): boolean {
  if (value === null) return true;
  if (type === 'string' || type === 'int' || type === 'bool') return value === '' || value === 0 || value === false;
  return false;
}

function decodeValue(type: Scalar | Message, field: WireField, where: string): unknown {
  return typeof type === 'string'
    ? scalar(type, field, where)
    : decodeMessage(field.bytes ?? Buffer.alloc(0), type, `${where}.${type.name}`);
}

function decodeMessage(buffer: Buffer, message: Message, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of wireFields(buffer, where)) {
    const known = message.fields[field.number];
    if (known === undefined) {
      const empty = (field.bytes !== undefined && field.bytes.length === 0) || field.varint === 0n;
      if (empty) continue;
      throw refused(`field ${field.number} of ${message.name} (${where}) is not known`);
    }
    const [name, type] = known;
    if (typeof type === 'object' && 'list' in type) {
      const list = (out[name] ??= []) as unknown[];
      list.push(decodeValue(type.list, field, `${where}.${name}`));
    } else if (typeof type === 'object' && 'map' in type) {
      const entry = decodeMessage(
        field.bytes ?? Buffer.alloc(0),
        msg(`${name} entry`, { 1: ['key', 'string'], 2: ['value', 'bytes'] }),
        where,
      );
      const raw = Buffer.from(String(entry.value ?? ''), 'base64');
      const value =
        type.map === 'bytes' ? raw.toString('base64') : decodeValue(type.map, { number: 2, wireType: 2, bytes: raw }, `${where}.${name}`);
      ((out[name] ??= {}) as Record<string, unknown>)[String(entry.key ?? '')] = value;
    } else {
      const value = decodeValue(type, field, `${where}.${name}`);
      if (!isEmpty(type, value)) out[name] = value;
    }
  }
  return out;
}

/** The JSON object a protobuf request body carries, with its apiVersion and kind. */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000')
    throw refused('the body does not start with the k8s envelope');
  const unknown = decodeMessage(body.subarray(4), UNKNOWN, 'Unknown') as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: string;
    contentEncoding?: string;
  };
  const kind = unknown.typeMeta?.kind ?? '';
  const message = KINDS[kind];
  if (message === undefined) throw refused(`kind "${kind}" is not among ${Object.keys(KINDS).join(', ')}`);
  if (unknown.contentEncoding !== undefined && unknown.contentEncoding !== '') throw refused(`content encoding ${unknown.contentEncoding}`);
  const object = decodeMessage(Buffer.from(unknown.raw ?? '', 'base64'), message, kind);
  return { apiVersion: unknown.typeMeta?.apiVersion, kind, ...object };
}
