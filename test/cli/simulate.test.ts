import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate } from '../../cli/simulate';

const dir = mkdtempSync(join(tmpdir(), 'graceful-scaler-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await simulate(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), progress: false });
  return { code, out, err };
}

describe('npm run simulate: bad input', () => {
  it.each([
    [['--days', '0'], /--days: expected a whole number from 1 to 31, got "0"/],
    [['--days', 'seven'], /--days: expected a whole number/],
    [['--seed', '-3'], /--seed/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /positional argument/],
    [['--policy', join(dir, 'missing.yaml')], /cannot read the policy file/],
    [['--trace', join(dir, 'missing.csv')], /missing.csv: cannot read the trace \(ENOENT\)/],
    [['--suite', '--seed', '2'], /--suite runs its own weeks; leave out --days, --trace and --seed/],
    [['--cluster', join(dir, 'missing.json')], /missing.json: cannot read the cluster dump \(ENOENT\)/],
    [['--cluster', 'package.json'], /package.json: expected the List of `kubectl get nodes,pods,deployments,pdb,jobs -A -o json`/],
    [['--cluster', 'test/fixtures/aks-object-shapes.json', '--suite'], /--suite runs the reference cluster; leave out --cluster/],
  ])('%j exits 2 with a message', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/usage: npm run simulate/);
    expect(r.out).toBe('');
  });

  it('refuses a bad trace with its line', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'time,mdm_rps,bg_jobs\n2026-11-24T00:00:00Z,x,1\n');
    const r = await run(['--trace', path]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad.csv:2: mdm_rps/);
  });

  it('prints its usage on --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--trace FILE/);
  });

  it('warms graceful-scaler up on the generated days before a generated run, and says so', async () => {
    const report = join(dir, 'day.html');
    const r = await run(['--days', '1', '--report', report]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'graceful-scaler starts with the demand profile it learned over the 1 day(s) before (a warm-up from Sun 2026-11-22 00:00 Asia/Tokyo, the reference generator with seed 101, not measured)',
    );
    expect((await import('node:fs')).readFileSync(report, 'utf8')).toContain('a warm-up from Sun 2026-11-22 00:00');
  }, 90_000);

  it('runs a short trace under every strategy, with the oracle, churn, cost and where the node-hours went, and writes a self-contained report', async () => {
    const trace = join(dir, 'short.csv');
    writeFileSync(
      trace,
      [
        'time,mdm_rps,bg_jobs',
        '2026-11-24T07:00:00+09:00,20,30',
        '2026-11-24T08:00:00+09:00,60,60',
        '2026-11-24T09:00:00+09:00,40,30',
      ].join('\n'),
    );
    const report = join(dir, 'report.html');
    const r = await run(['--trace', trace, '--report', report]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const name of [
      'graceful-scaler',
      'static peak',
      'manual night stop',
      'cluster-autoscaler-like',
      'CA-like, never interrupting',
      'karpenter-like',
    ])
      expect(r.out).toContain(name);
    expect(r.out).toMatch(/oracle lower bound: \d+ user node-h/);
    expect(r.out).toMatch(/cancelled after evicting/);
    expect(r.out).toMatch(/cost \(JPY; priced pools: user, system, batch\)/);
    expect(r.out).toMatch(/saved vs static peak/);
    expect(r.out).toMatch(/where graceful-scaler's \d+ user node-hours went:/);
    // A trace has no days before it to learn on: no warm-up, and the output says so.
    expect(r.out).toContain('graceful-scaler starts with an empty demand profile');
    const html = (await import('node:fs')).readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('oracle lower bound');
    expect(html).toContain('Billed user nodes by reason');
    expect(html).not.toMatch(/<script|<link|src="http/);
  }, 60_000);
});
