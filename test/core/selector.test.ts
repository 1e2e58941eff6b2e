import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors';
import {
  formatSelector,
  labelKeyProblem,
  labelValueProblem,
  matchesSelector,
  parseSelector,
  selectorFromKubernetes,
} from '../../core/selector';
import type { LabelRequirement, LabelSelector } from '../../core/views';

function parsed(text: string): LabelSelector {
  const result = parseSelector(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.error}`);
  return result.selector;
}

function parseError(text: string): string {
  const result = parseSelector(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return result.error;
}

describe('parseSelector', () => {
  it.each<[string, string, LabelRequirement[]]>([
    ['the empty string as everything', '', []],
    ['only whitespace as everything', '   ', []],
    ['equality', 'app=web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['double equals', 'app==web', [{ key: 'app', operator: 'In', values: ['web'] }]],
    ['inequality as NotIn', 'app!=web', [{ key: 'app', operator: 'NotIn', values: ['web'] }]],
    ['an empty value', 'app=', [{ key: 'app', operator: 'In', values: [''] }]],
    ['a set', 'tier in (fe,be)', [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }]],
    ['a negated set', 'tier notin (fe, be)', [{ key: 'tier', operator: 'NotIn', values: ['fe', 'be'] }]],
    ['a set with an empty element', 'tier in (,fe)', [{ key: 'tier', operator: 'In', values: ['', 'fe'] }]],
    ['duplicate set values once', 'tier in (fe,fe)', [{ key: 'tier', operator: 'In', values: ['fe'] }]],
    ['existence', 'canary', [{ key: 'canary', operator: 'Exists', values: [] }]],
    ['absence', '!canary', [{ key: 'canary', operator: 'DoesNotExist', values: [] }]],
    ['a prefixed key', 'clomo/BatchDeployable=true', [{ key: 'clomo/BatchDeployable', operator: 'In', values: ['true'] }]],
    [
      'several requirements, whitespace anywhere',
      ' app = web ,  tier in ( fe , be ) , ! canary,release',
      [
        { key: 'app', operator: 'In', values: ['web'] },
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'canary', operator: 'DoesNotExist', values: [] },
        { key: 'release', operator: 'Exists', values: [] },
      ],
    ],
    ['keywords as keys', 'in=notin', [{ key: 'in', operator: 'In', values: ['notin'] }]],
  ])('reads %s', (_case, text, requirements) => {
    expect(parsed(text).requirements).toEqual(requirements);
  });

  it.each([
    [
      'an operator where a requirement starts',
      'app=web, ==x',
      'expected "key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key" at position 10, got "=="',
    ],
    [
      'a trailing comma',
      'app=web,',
      'expected "key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key" at position 9, got end of text',
    ],
    ['a lone "!"', '!', 'expected a label key after "!" at position 2, got end of text'],
    [
      '"!" before an operator',
      '!=x',
      'expected "key=value", "key!=value", "key in (a,b)", "key notin (a,b)", "key" or "!key" at position 1, got "!="',
    ],
    [
      'a parenthesis after a key',
      'app (x)',
      'expected "=", "==", "!=", "in", "notin", "," or end of text after "app" at position 5, got "("',
    ],
    ['two values', 'app=a b', 'expected "," or end of text at position 7, got "b"'],
    ['a set without parentheses', 'app in a', 'expected "(" at position 8, got "a"'],
    ['an empty set', 'app in ()', 'expected a label value at position 9, got ")"'],
    ['an unclosed set', 'app in (a', 'expected "," or ")" at position 10, got end of text'],
    ['an operator inside a set', 'app in (a=b)', 'expected "," or ")" at position 10, got "="'],
    ['something after "!key"', '!a=b', 'expected "," or end of text at position 3, got "="'],
  ])('refuses %s, saying what and where', (_case, text, error) => {
    expect(parseError(text)).toBe(error);
  });

  it.each([
    ['an upper-case prefix', 'Clomo.io/app=x', 'label key "Clomo.io/app": prefix must be a lowercase DNS subdomain'],
    ['an empty prefix', '/app=x', 'label key "/app": prefix before "/" must not be empty'],
    ['an empty name', 'clomo.io/=x', 'label key "clomo.io/": name must not be empty'],
    ['a name of 64 characters', `${'a'.repeat(64)}=x`, 'name must be at most 63 characters'],
    ['a name starting with a dash', '-app=x', 'must consist of alphanumerics, "-", "_" or "." and start and end alphanumeric'],
    ['a value of 64 characters', `app=${'v'.repeat(64)}`, 'label value "vvvv'],
    ['a value with a slash', 'app=a/b', 'label value "a/b": must consist of alphanumerics'],
    ['a bad value inside a set', 'app in (ok, -bad)', 'label value "-bad"'],
  ])('refuses %s', (_case, text, fragment) => {
    expect(parseError(text)).toContain(fragment);
  });

  it('says where a bad key is', () => {
    expect(parseError('app=x, Bad.io/y')).toContain('(position 8)');
  });
});

describe('label key and value syntax', () => {
  it.each([
    ['a plain name', 'app', true],
    ['dots, dashes and underscores inside', 'a.b-c_d', true],
    ['a DNS prefix', 'kubernetes.azure.com/agentpool', true],
    ['a 63-character name', 'a'.repeat(63), true],
    ['a 253-character prefix', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/x`, true],
    ['a 254-character prefix', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}/x`, false],
    ['two slashes', 'a/b/c', false],
    ['empty', '', false],
    ['ending with a dot', 'app.', false],
  ] as const)('key: %s', (_case, key, valid) => {
    expect(labelKeyProblem(key) === undefined).toBe(valid);
  });

  it.each([
    ['empty', '', true],
    ['upper case', 'True', true],
    ['63 characters', 'v'.repeat(63), true],
    ['64 characters', 'v'.repeat(64), false],
    ['a space', 'a b', false],
  ] as const)('value: %s', (_case, value, valid) => {
    expect(labelValueProblem(value) === undefined).toBe(valid);
  });
});

describe('matchesSelector', () => {
  const web = { app: 'web', tier: 'fe' };
  it.each([
    ['everything by the empty selector', '', {}, true],
    ['an equal value', 'app=web', web, true],
    ['not a different value', 'app=db', web, false],
    ['not a missing key for equality', 'team=a', web, false],
    ['a different value for !=', 'app!=db', web, true],
    ['not the same value for !=', 'app!=web', web, false],
    ['a missing key for != (Kubernetes NotIn semantics)', 'team!=a', web, true],
    ['a value in a set', 'tier in (fe,be)', web, true],
    ['not a value outside a set', 'tier in (db)', web, false],
    ['a missing key for notin', 'team notin (a)', web, true],
    ['not a value inside a notin set', 'tier notin (fe)', web, false],
    ['a present key for existence', 'tier', web, true],
    ['not an absent key for existence', 'canary', web, false],
    ['an absent key for absence', '!canary', web, true],
    ['not a present key for absence', '!tier', web, false],
    ['only when every requirement holds', 'app=web,tier=be', web, false],
    ['an empty value for `key=`', 'app=', { app: '' }, true],
    ['no inherited Object members as labels', 'constructor', {}, false],
    ['no inherited Object members as label values', 'toString!=x', {}, true],
  ] as const)('matches %s', (_case, text, labels, expected) => {
    expect(matchesSelector(parsed(text), labels)).toBe(expected);
  });
});

describe('selectorFromKubernetes', () => {
  it('treats null and undefined as no selector (matches nothing)', () => {
    expect(selectorFromKubernetes(null)).toBeUndefined();
    expect(selectorFromKubernetes(undefined)).toBeUndefined();
  });

  it('treats {} as everything', () => {
    const selector = selectorFromKubernetes({});
    expect(selector).toEqual({ requirements: [] });
    expect(matchesSelector(selector!, { anything: 'x' })).toBe(true);
  });

  it('reads matchLabels and matchExpressions together', () => {
    const selector = selectorFromKubernetes({
      matchLabels: { app: 'mdm' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['z1'] },
        { key: 'release', operator: 'Exists', values: [] },
      ],
    });
    expect(selector).toEqual({
      requirements: [
        { key: 'app', operator: 'In', values: ['mdm'] },
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'canary', operator: 'DoesNotExist', values: [] },
        { key: 'zone', operator: 'NotIn', values: ['z1'] },
        { key: 'release', operator: 'Exists', values: [] },
      ],
    });
    expect(formatSelector(selector!)).toBe('app=mdm,tier in (fe,be),!canary,zone!=z1,release');
  });

  it('refuses what the API server would, naming every bad field', () => {
    const attempt = (): unknown =>
      selectorFromKubernetes({
        matchExpressions: [
          { key: 'a', operator: 'Equals', values: ['x'] },
          { key: 'b', operator: 'In', values: [] },
          { key: 'c', operator: 'Exists', values: ['x'] },
        ],
      });
    expect(attempt).toThrow(InputError);
    try {
      attempt();
    } catch (error) {
      expect((error as InputError).problems).toEqual([
        'matchExpressions[0].operator: expected In, NotIn, Exists or DoesNotExist, got "Equals"',
        'matchExpressions[1].values: operator In needs at least one value',
        'matchExpressions[2].values: operator Exists takes no values',
      ]);
    }
  });
});

describe('formatSelector', () => {
  it.each([
    ['nothing for everything', '', ''],
    ['equality', 'app==web', 'app=web'],
    ['inequality', 'app!=web', 'app!=web'],
    ['sets', 'a in (x,y),b notin (z,w)', 'a in (x,y),b notin (z,w)'],
    ['one-element sets as equalities', 'a in (x),b notin (y)', 'a=x,b!=y'],
    ['existence and absence', 'a, !b', 'a,!b'],
  ])('prints %s', (_case, text, printed) => {
    expect(formatSelector(parsed(text))).toBe(printed);
  });
});

describe('selector properties', () => {
  const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?$/);
  const key = fc.oneof(
    name,
    fc.tuple(fc.constantFrom('clomo', 'kubernetes.azure.com', 'a-b.c'), name).map(([p, n]) => `${p}/${n}`),
  );
  const value = fc.oneof(fc.constant(''), name);
  const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
    fc.record({
      key,
      operator: fc.constantFrom('In' as const, 'NotIn' as const),
      values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant([]) }),
  );
  const selector = fc.array(requirement, { maxLength: 5 }).map((requirements): LabelSelector => ({ requirements }));
  const labels = fc.dictionary(key, value, { maxKeys: 5 });

  it('parse(format(s)) is s', () => {
    fc.assert(
      fc.property(selector, (s) => {
        expect(parsed(formatSelector(s))).toEqual(s);
      }),
    );
  });

  it('a NotIn requirement matches exactly the labels its In twin does not', () => {
    fc.assert(
      fc.property(key, fc.uniqueArray(value, { minLength: 1, maxLength: 3 }), labels, (k, values, l) => {
        const inSet = matchesSelector({ requirements: [{ key: k, operator: 'In', values }] }, l);
        const notInSet = matchesSelector({ requirements: [{ key: k, operator: 'NotIn', values }] }, l);
        expect(notInSet).toBe(!inSet);
      }),
    );
  });

  it('parseSelector never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '=', '!', '(', ')', ',', ' ', 'i', 'n', '/', '-') }), (text) => {
        const result = parseSelector(text);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });
});
