// Errors as the Kubernetes API server reports them: an HTTP code plus a `Status` object whose
// `reason` clients switch on (a 409 is AlreadyExists or Conflict, a 429 from the Eviction API
// carries the PDB's cause). The model throws ApiError; the HTTP server writes `status()` as is.

import { qualifiedName, type ResourceType } from './resources';

export type StatusReason =
  | 'BadRequest'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'Forbidden'
  | 'Unauthorized'
  | 'NotAcceptable';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  status(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details !== undefined ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

type Named = Pick<ResourceType, 'group' | 'plural'>;

function detailsOf(resource: Named, name: string): StatusDetails {
  return resource.group === '' ? { name, kind: resource.plural } : { name, group: resource.group, kind: resource.plural };
}

export function notFound(resource: Named, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, detailsOf(resource, name));
}

export function alreadyExists(resource: Named, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedName(resource)} "${name}" already exists`, detailsOf(resource, name));
}

export function conflict(resource: Named, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(resource, name),
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** 422: `Lease.coordination.k8s.io "x" is invalid: spec.leaseDurationSeconds: Invalid value: …`. */
export function invalid(
  resource: Pick<ResourceType, 'group' | 'kind' | 'plural'>,
  name: string,
  causes: { field: string; message: string }[],
): ApiError {
  const kind = resource.group === '' ? resource.kind : `${resource.kind}.${resource.group}`;
  const text = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${kind} "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`;
  return new ApiError(422, 'Invalid', message, {
    name,
    ...(resource.group !== '' ? { group: resource.group } : {}),
    kind: resource.kind,
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export function internalError(message: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
