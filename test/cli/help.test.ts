// The command's manners: --help on every command with each flag explained and an example, --version,
// and a wrong command or flag answered with what is expected.

import { describe, expect, it } from 'vitest';
import { main, PACKAGE_VERSION, PLAN_USAGE, USAGE, VALIDATE_USAGE } from '../../cli/main';
import { AUDIT_USAGE } from '../../cli/audit';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), clock: () => 0 });
  return { code, out: out.join(''), err: err.join('') };
}

describe('graceful-scaler --help and --version', () => {
  it.each([
    { args: ['plan', '--help'], usage: PLAN_USAGE },
    { args: ['plan', '-h'], usage: PLAN_USAGE },
    { args: ['validate', '--help'], usage: VALIDATE_USAGE },
    { args: ['audit', '--help'], usage: AUDIT_USAGE },
    { args: ['--help'], usage: USAGE },
  ])('$args answers with its usage and status 0', async ({ args, usage }) => {
    const r = await run(...args);
    expect(r).toEqual({ code: 0, out: usage, err: '' });
  });

  it('explains every flag of plan and validate, with an example that names real files', async () => {
    for (const flag of ['--policy', '--cluster', '--queue', '--memory', '--now', '--scalers', '--output']) {
      expect(PLAN_USAGE).toMatch(new RegExp(`^  ${flag} \\S+ +\\S`, 'm'));
    }
    expect(PLAN_USAGE).toContain('example:\n  graceful-scaler plan --policy policy.example.yaml --cluster examples/weekday-morning.json');
    expect(VALIDATE_USAGE).toMatch(/^ {2}--policy FILE +the policy/m);
    expect(VALIDATE_USAGE).toContain('example:\n  graceful-scaler validate --policy policy.example.yaml');
    expect(USAGE).toContain('graceful-scaler COMMAND --help');
  });

  it('prints its version', async () => {
    for (const flag of ['--version', '-V', 'version'])
      expect(await run(flag)).toEqual({ code: 0, out: `graceful-scaler ${PACKAGE_VERSION}\n`, err: '' });
    expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers an unknown command or flag with status 2 and what is expected', async () => {
    const command = await run('plna');
    expect(command.code).toBe(2);
    expect(command.err).toBe(
      'graceful-scaler: unknown command "plna"; expected plan, validate, audit or --version (graceful-scaler --help lists them)\n',
    );
    const flag = await run('validate', '--polcy', 'p.yaml');
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("Unknown option '--polcy'");
    expect(flag.err).toContain(VALIDATE_USAGE);
  });
});
