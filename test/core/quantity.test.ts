import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuMilli, memoryBytes, parseQuantity } from '../../core/quantity';

describe('parseQuantity', () => {
  it.each([
    ['plain integer', '4', 4],
    ['plain decimal', '0.5', 0.5],
    ['leading dot', '.5', 0.5],
    ['trailing dot', '5.', 5],
    ['explicit plus sign', '+2', 2],
    ['negative', '-1', -1],
    ['milli', '3860m', 3.86],
    ['micro', '250u', 0.00025],
    ['nano', '1n', 1e-9],
    ['kilo', '2k', 2000],
    ['mega', '1M', 1e6],
    ['giga', '1G', 1e9],
    ['tera', '1T', 1e12],
    ['peta', '1P', 1e15],
    ['exa as a suffix, not an exponent', '1E', 1e18],
    ['kibi as AKS writes node memory', '12880000Ki', 12880000 * 1024],
    ['mebi', '512Mi', 512 * 1024 ** 2],
    ['gibi', '2Gi', 2 * 1024 ** 3],
    ['tebi', '1Ti', 1024 ** 4],
    ['pebi', '1Pi', 1024 ** 5],
    ['exbi', '1Ei', 1024 ** 6],
    ['fractional gibi', '1.5Gi', 1.5 * 1024 ** 3],
    ['lower-case exponent', '1e3', 1000],
    ['upper-case exponent', '1E3', 1000],
    ['negative exponent', '5e-3', 0.005],
    ['signed positive exponent', '2e+2', 200],
    ['a bare number', 30, 30],
    ['a fractional number', 0.25, 0.25],
  ] as const)('reads %s', (_case, text, expected) => {
    expect(parseQuantity(text)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['empty string', ''],
    ['only a suffix', 'Mi'],
    ['unknown suffix', '5x'],
    ['lower-case binary suffix', '5mi'],
    ['space inside', '5 Mi'],
    ['leading space', ' 5'],
    ['two dots', '1.2.3'],
    ['exponent without digits and a suffix', '1e3Mi'],
    ['NaN as a number', Number.NaN],
    ['Infinity as a number', Number.POSITIVE_INFINITY],
    ['an overflowing exponent', '1e400'],
  ] as const)('refuses %s', (_case, text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it('answers the same from its cache as on first sight', () => {
    expect(parseQuantity('777m')).toBe(parseQuantity('777m'));
    expect(parseQuantity('nope')).toBeUndefined();
    expect(parseQuantity('nope')).toBeUndefined();
  });
});

describe('cpuMilli and memoryBytes', () => {
  it.each([
    ['millicores as written', '3860m', 3860],
    ['whole cores', '2', 2000],
    ['half a core', '0.5', 500],
    ['a number of cores', 4, 4000],
    ['an exponent', '1e-1', 100],
    ['sub-millicore rounded', '1500u', 2],
    ['absent as none', undefined, 0],
    ['garbage as none', 'lots', 0],
  ] as const)('cpuMilli: %s', (_case, quantity, expected) => {
    expect(cpuMilli(quantity)).toBe(expected);
  });

  it.each([
    ['kibibytes as AKS writes them', '12880000Ki', 13189120000],
    ['mebibytes', '512Mi', 536870912],
    ['decimal gigabytes', '1G', 1e9],
    ['plain bytes', '119703055367', 119703055367],
    ['fractional bytes rounded', '1500m', 2],
    ['absent as none', undefined, 0],
    ['garbage as none', '12 GB', 0],
  ] as const)('memoryBytes: %s', (_case, quantity, expected) => {
    expect(memoryBytes(quantity)).toBe(expected);
  });
});

describe('quantity properties', () => {
  const binary = [
    ['Ki', 1024],
    ['Mi', 1024 ** 2],
    ['Gi', 1024 ** 3],
  ] as const;
  const decimal = [
    ['', 1],
    ['k', 1e3],
    ['M', 1e6],
    ['G', 1e9],
  ] as const;

  it('an integer with any suffix is that integer times the suffix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...binary, ...decimal), (n, [suffix, factor]) => {
        expect(parseQuantity(`${n}${suffix}`)).toBe(n * factor);
      }),
    );
  });

  it('millicores written as `<n>m` read back as n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => {
        expect(cpuMilli(`${n}m`)).toBe(n);
      }),
    );
  });

  it('a decimal and its exponent form are the same quantity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: -6, max: 9 }), (mantissa, exponent) => {
        const viaExponent = parseQuantity(`${mantissa}e${exponent}`);
        expect(viaExponent).toBeCloseTo(mantissa * 10 ** exponent, 6);
      }),
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const value = parseQuantity(text);
        expect(value === undefined || Number.isFinite(value)).toBe(true);
      }),
    );
  });
});
