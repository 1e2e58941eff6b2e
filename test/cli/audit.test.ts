// `graceful-scaler audit` as a person and a CI job run it: the exit status by --fail-on, the three
// outputs, and bad input refused with status 2.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, PACKAGE_VERSION } from '../../cli/main';
import { deployment, goodPdb, pod } from '../builders/audit-manifests';

const dir = mkdtempSync(join(tmpdir(), 'graceful-scaler-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dump(name: string, items: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return path;
}

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['audit', ...args], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    clock: () => Date.parse('2026-11-30T07:35:00+09:00'),
  });
  return { code, out, err };
}

const bare = dump('bare.json', [pod('report')]);
const graceless = dump('graceless.json', [deployment('web')]);
const clean = dump('clean.json', [deployment('web'), goodPdb('web')]);

describe('graceful-scaler audit', () => {
  it('exits 1 when a finding reaches --fail-on (blocks by default), 0 otherwise', async () => {
    expect((await run('--cluster', bare)).code).toBe(1);
    expect((await run('--cluster', graceless)).code).toBe(0);
    expect((await run('--cluster', graceless, '--fail-on', 'not-graceful')).code).toBe(1);
    expect((await run('--cluster', bare, '--fail-on', 'never')).code).toBe(0);
    expect((await run('--cluster', clean, '--fail-on', 'advice')).code).toBe(0);
  });

  it('prints a table naming the workload, the check, each disrupter and the fix', async () => {
    const { out } = await run('--cluster', bare);
    expect(out).toContain('1 block scale-down');
    expect(out).toContain('- Pod clomo/report  [check 1 bare-pod]');
    expect(out).toContain('cluster-autoscaler on AKS    refuses  NotReplicated');
    expect(out).toContain('kind: Deployment');
  });

  it('prints JSON with the findings and their fixes', async () => {
    const report = JSON.parse((await run('--cluster', graceless, '--output', 'json')).out);
    expect(report.counts).toEqual({ blocks: 0, 'not-graceful': 1, advice: 0 });
    expect(report.findings[0]).toMatchObject({ check: 10, subject: { kind: 'Deployment', name: 'web' }, fix: { type: 'create' } });
  });

  it('prints SARIF 2.1.0: the checks as rules with help, the workload as logical location, the fix in the message', async () => {
    const sarif = JSON.parse((await run('--cluster', bare, '--output', 'sarif')).out);
    expect(sarif.version).toBe('2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.version).toBe(PACKAGE_VERSION);
    expect(driver.rules).toHaveLength(20);
    expect(driver.rules[0]).toMatchObject({ id: 'GS001', name: 'bare-pod', defaultConfiguration: { level: 'error' } });
    expect(driver.rules[0].help.text).toContain('Deployment');
    const [result] = sarif.runs[0].results;
    expect(result).toMatchObject({
      ruleId: 'GS001',
      ruleIndex: 0,
      level: 'error',
      logicalLocations: [{ fullyQualifiedName: 'Pod clomo/report', kind: 'resource' }],
    });
    expect(result.message.text).toContain('Fix: run it as a Deployment');
    expect(result.properties.fix.type).toBe('replace');
  });

  it("keeps the SARIF tool version with package.json's", () => {
    expect(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version).toBe(PACKAGE_VERSION);
  });

  it('refuses bad input with status 2 and says what is wrong', async () => {
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining('--cluster DUMP.json is required') });
    expect(await run('--cluster', bare, '--output', 'xml')).toMatchObject({
      code: 2,
      err: expect.stringContaining('expected table, json or sarif'),
    });
    expect(await run('--cluster', bare, '--fail-on', 'sometimes')).toMatchObject({ code: 2, err: expect.stringContaining('--fail-on') });
    expect(await run('--cluster', join(dir, 'missing.json'))).toMatchObject({ code: 2, err: expect.stringContaining('no such file') });
    expect(await run('--cluster', dump('bad.json', [{ kind: 'Pod', metadata: {} }]))).toMatchObject({
      code: 2,
      err: expect.stringContaining('metadata.name'),
    });
    expect(await run('--cluster', bare, '--long-work', 'soon')).toMatchObject({ code: 2, err: expect.stringContaining('--long-work') });
  });

  it('answers --help with its usage', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toContain('--fail-on blocks|not-graceful|advice|never');
  });
});
