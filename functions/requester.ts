// Who is asking, for the record of who set and who removed an override.
//
// People: App Service Authentication (Entra ID, infra/main.json `authsettingsV2`) validates the
// sign-in and passes the principal on in `x-ms-client-principal` (base64 JSON: auth_typ, name_typ,
// claims [{typ, val}]) and `x-ms-client-principal-name`/`-id`. "External requests aren't allowed to
// set these headers" (App Service docs), so they can be trusted when authentication is on; without it
// (a local host) they are whatever the caller wrote, which is why the function key is demanded regardless.
// Automation: the function key. The Functions host does not tell a Node.js worker WHICH key matched
// (the @azure/functions library reads only the principal headers into `request.user`), so the record
// says how the key came: in the `x-functions-key` header or as `?code=` (how the status page calls).

import type { HttpRequest } from '@azure/functions';
import { printable } from '../core/override-request';

/** The claims that name a person, most readable first (Entra ID v2 tokens, then v1 and SAML-style names). */
const NAME_CLAIMS = [
  'preferred_username',
  'name',
  'upn',
  'email',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
];
const ID_CLAIMS = ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier', 'sub'];
/** Longer than any real name; a record is for people to read, not a place to store a payload. */
const MAX_LENGTH = 200;

export interface RequestHeaders {
  get(name: string): string | null;
}

export function requesterOf(request: Pick<HttpRequest, 'headers' | 'query'>): string | undefined {
  const person = principalOf(request.headers);
  if (person) return person;
  if (request.headers.get('x-functions-key')) return 'function key (x-functions-key header)';
  if (request.query.get('code')) return 'function key (?code=)';
  return undefined;
}

/** The signed-in person's name: from the principal's claims, else the name header, else the object id. */
export function principalOf(headers: RequestHeaders): string | undefined {
  const claims = claimsOf(headers.get('x-ms-client-principal'));
  const named = claims && claimValue(claims.values, claims.nameType ? [claims.nameType, ...NAME_CLAIMS] : NAME_CLAIMS);
  const name = named ?? clean(headers.get('x-ms-client-principal-name'));
  if (name) return name;
  const id = (claims && claimValue(claims.values, ID_CLAIMS)) ?? clean(headers.get('x-ms-client-principal-id'));
  return id ? `principal ${id}` : undefined;
}

interface Claims {
  nameType: string | undefined;
  values: Map<string, string>;
}

/** Tolerates a missing, truncated or foreign header: no claims rather than an error. */
function claimsOf(header: string | null): Claims | undefined {
  if (!header) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const p = parsed as { name_typ?: unknown; claims?: unknown };
  const values = new Map<string, string>();
  if (Array.isArray(p.claims)) {
    for (const c of p.claims as unknown[]) {
      if (typeof c !== 'object' || c === null) continue;
      const { typ, val } = c as { typ?: unknown; val?: unknown };
      if (typeof typ === 'string' && typeof val === 'string' && !values.has(typ)) values.set(typ, val);
    }
  }
  return { nameType: typeof p.name_typ === 'string' ? p.name_typ : undefined, values };
}

function claimValue(values: ReadonlyMap<string, string>, types: readonly string[]): string | undefined {
  for (const t of types) {
    const v = clean(values.get(t) ?? null);
    if (v) return v;
  }
  return undefined;
}

/** One line, printable, bounded: it is shown on the page and in every decision's reasons. */
function clean(value: string | null): string | undefined {
  if (value === null) return undefined;
  // A name from the sign-in is not typed by the caller: made printable rather than refused, so a
  // person whose directory entry holds an odd character can still set an override.
  const text = printable(value).replace(/ {2,}/g, ' ').trim();
  if (!text) return undefined;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
