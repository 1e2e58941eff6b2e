import { describe, expect, it } from 'vitest';
import { live, parseLiveArgs } from '../../cli/live';

describe('npm start arguments', () => {
  it('defaults to an hour a minute on port 7071 through the reference week, serving on', () => {
    expect(parseLiveArgs([])).toEqual({
      speed: 60,
      days: undefined,
      port: 7071,
      seed: 1,
      policy: undefined,
      trace: undefined,
      exit: false,
      verbose: false,
    });
    expect(parseLiveArgs(['--speed', 'max', '--port', '0', '--days', '2', '--exit'])).toMatchObject({
      speed: Infinity,
      port: 0,
      days: 2,
      exit: true,
    });
  });

  it.each([
    [['--speed', '0'], '--speed: expected a whole number from 1 to 1000000, got "0"'],
    [['--speed', 'fast'], '--speed: expected a whole number from 1 to 1000000, got "fast"'],
    [['--port', '70000'], '--port: expected a port number from 0 to 65535, got "70000"'],
    [['--days', '40'], '--days: expected a whole number from 1 to 31, got "40"'],
  ])('refuses %j with exit status 2, naming the flag', async (argv, message) => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      await live(
        argv,
        (t) => out.push(t),
        (t) => err.push(t),
      ),
    ).toBe(2);
    expect(err.join('')).toContain(`start: ${message}`);
    expect(out).toEqual([]);
  });

  it('names a policy file it cannot read', async () => {
    const err: string[] = [];
    expect(
      await live(
        ['--policy', '/nonexistent/policy.yaml'],
        () => {},
        (t) => err.push(t),
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/^start: .*\/nonexistent\/policy\.yaml/);
  });
});
