// The two self-reviews as kubectl sends them: `kubectl auth can-i` posts its SelfSubjectAccessReview
// (and `--list` its SelfSubjectRulesReview) as Kubernetes protobuf whatever discovery says, and takes
// JSON back. This reads just those messages (k8s.io/api/authorization/v1 generated.proto) into the
// JSON shape; the server answers every request in JSON.

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0", the envelope's prefix

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Length-delimited fields of one message by number (strings and sub-messages; varints are skipped). */
function fields(buffer: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= buffer.length) throw new RangeError('truncated protobuf varint');
      const byte = buffer[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
    }
  };
  while (at < buffer.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) varint();
    else if (wire === 2) {
      const length = varint();
      if (at + length > buffer.length) throw new RangeError('truncated protobuf field');
      out.set(Math.floor(tag / 8), buffer.subarray(at, at + length));
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new RangeError(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const text = (message: Map<number, Buffer>, field: number): string => message.get(field)?.toString('utf8') ?? '';

function strings(message: Buffer | undefined, names: readonly string[]): Record<string, string> {
  const parsed = fields(message ?? Buffer.alloc(0));
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = text(parsed, i + 1);
    if (value !== '') out[name] = value;
  });
  return out;
}

/** The review inside a protobuf envelope, as the JSON the API would take; undefined if not a self-review. */
export function decodeReview(body: Buffer): Record<string, unknown> | undefined {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC))
    throw new RangeError('not a Kubernetes protobuf envelope');
  const unknown = fields(body.subarray(MAGIC.length));
  const typeMeta = fields(unknown.get(1) ?? Buffer.alloc(0));
  const kind = text(typeMeta, 2);
  const spec = fields(fields(unknown.get(2) ?? Buffer.alloc(0)).get(2) ?? Buffer.alloc(0));
  const base = { apiVersion: text(typeMeta, 1), kind };
  if (kind === 'SelfSubjectAccessReview') {
    const resource = spec.get(1);
    const nonResource = spec.get(2);
    return {
      ...base,
      spec: {
        ...(resource !== undefined
          ? { resourceAttributes: strings(resource, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']) }
          : {}),
        ...(nonResource !== undefined ? { nonResourceAttributes: strings(nonResource, ['path', 'verb']) } : {}),
      },
    };
  }
  if (kind === 'SelfSubjectRulesReview') return { ...base, spec: strings(fields(unknown.get(2) ?? Buffer.alloc(0)).get(2), ['namespace']) };
  return undefined;
}
