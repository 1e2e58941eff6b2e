// Who is asking: the signed-in principal (App Service Authentication), else how the function key came.

import { describe, expect, it } from 'vitest';
import { principalOf, requesterOf } from '../../functions/requester';

const principal = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

function request(headers: Record<string, string>, query: Record<string, string> = {}) {
  return { headers: new Headers(headers), query: new URLSearchParams(query) };
}

describe('requesterOf', () => {
  it.each([
    [
      'the name claim the principal names',
      {
        'x-ms-client-principal': principal({
          name_typ: 'name',
          claims: [
            { typ: 'preferred_username', val: 'a@x' },
            { typ: 'name', val: 'Akiko Sato' },
          ],
        }),
      },
      'Akiko Sato',
    ],
    [
      'preferred_username when name_typ is absent',
      { 'x-ms-client-principal': principal({ claims: [{ typ: 'preferred_username', val: 'a@x' }] }) },
      'a@x',
    ],
    [
      'the v1 UPN claim',
      {
        'x-ms-client-principal': principal({ claims: [{ typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', val: 'b@x' }] }),
      },
      'b@x',
    ],
    [
      'the name header when the principal has no name',
      { 'x-ms-client-principal': principal({ claims: [] }), 'x-ms-client-principal-name': 'c@x' },
      'c@x',
    ],
    [
      'the name header when the principal is not base64 JSON',
      { 'x-ms-client-principal': '%%%not-base64', 'x-ms-client-principal-name': 'd@x' },
      'd@x',
    ],
    [
      'the name header when the principal is JSON but no object',
      { 'x-ms-client-principal': principal('"text"'), 'x-ms-client-principal-name': 'e@x' },
      'e@x',
    ],
    [
      'the object id of a principal without a name (a service principal)',
      { 'x-ms-client-principal': principal({ claims: [{ typ: 'oid', val: '0000-1' }] }) },
      'principal 0000-1',
    ],
    ['the id header last', { 'x-ms-client-principal-id': '0000-2' }, 'principal 0000-2'],
    ['a function key in the header', { 'x-functions-key': 'secret' }, 'function key (x-functions-key header)'],
    ['the person before the key', { 'x-functions-key': 'secret', 'x-ms-client-principal-name': 'f@x' }, 'f@x'],
  ])('%s', (_what, headers, who) => {
    expect(requesterOf(request(headers))).toBe(who);
  });

  it('names a key given as ?code= (how the status page calls), and nobody without either', () => {
    expect(requesterOf(request({}, { code: 'k3y' }))).toBe('function key (?code=)');
    expect(requesterOf(request({}))).toBeUndefined();
  });

  it('keeps a name to one bounded line', () => {
    // A raw header as a proxy might pass it (fetch's Headers would refuse the line break).
    const raw = { get: (name: string) => (name === 'x-ms-client-principal-name' ? 'evil\nname\u0007' : null) };
    expect(principalOf(raw)).toBe('evil name');
    expect(principalOf(new Headers({ 'x-ms-client-principal-name': 'x'.repeat(500) }))!.length).toBe(200);
    expect(principalOf(new Headers({ 'x-ms-client-principal-name': '   ' }))).toBeUndefined();
  });
});
