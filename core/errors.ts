// Bad input is reported, never half-used: an InputError carries every problem found, each naming
// the field (or file) and what was expected, so a person fixes them all in one go.

export class InputError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[] | string) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

/**
 * What was thrown, as an Error: JavaScript lets anything be thrown (a string, a Status object), and
 * a message or a cause must still be read from it.
 */
export function ensureError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
