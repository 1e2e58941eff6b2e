// The two scripts in infra/, run for real: check-prerequisites.sh against a stand-in `az` that answers
// from a fixture (no Azure here), and policy-parameters.mjs on the example policy and a broken one.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './source-scan';

const SCRIPT = path.join(ROOT, 'infra/check-prerequisites.sh');

/** Answers `az aks show` / `az aks nodepool show` queries like `az --output tsv` does (True/False, nothing for null). */
const FAKE_AZ = `#!/usr/bin/env node
const fixture = JSON.parse(require('fs').readFileSync(process.env.FAKE_AZ_FIXTURE, 'utf8'));
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
require('fs').appendFileSync(process.env.FAKE_AZ_LOG, JSON.stringify(args) + '\\n');
let answers;
if (args[0] === 'aks' && args[1] === 'show') answers = fixture.cluster;
else if (args[0] === 'aks' && args[1] === 'nodepool' && args[2] === 'show') answers = fixture.pools[opt('--name')];
if (!answers) { process.stderr.write('ERROR: (ResourceNotFound) not found\\n'); process.exit(3); }
const query = opt('--query');
if (!(query in answers)) { process.stderr.write('fake az: no answer for query ' + query + '\\n'); process.exit(4); }
const v = answers[query];
process.stdout.write(v === null ? '' : typeof v === 'boolean' ? (v ? 'True' : 'False') + '\\n' : typeof v === 'object' ? JSON.stringify(v) + '\\n' : String(v) + '\\n');
`;

const goodPool = (overrides: Record<string, unknown> = {}) => ({
  type: 'VirtualMachineScaleSets',
  scaleDownMode: 'Deallocate',
  osDiskType: 'Managed',
  enableAutoScaling: false,
  ...overrides,
});
const goodCluster = (overrides: Record<string, unknown> = {}) => ({
  id: '/subscriptions/s/resourceGroups/clomo-rg/providers/Microsoft.ContainerService/managedClusters/clomo-prod',
  'aadProfile.managed': true,
  enableRbac: true,
  'aadProfile.enableAzureRbac': false,
  'nodeResourceGroupProfile.restrictionLevel': null,
  nodeResourceGroup: 'MC_clomo-rg_clomo-prod_japaneast',
  'apiServerAccessProfile.enablePrivateCluster': null,
  'length(apiServerAccessProfile.authorizedIpRanges || `[]`)': 0,
  ...overrides,
});
const batchPool = (label: string | null) => ({
  type: 'VirtualMachineScaleSets',
  'nodeLabels."clomo/BatchDeployable"': label,
  nodeLabels: label === null ? { team: 'batch' } : { 'clomo/BatchDeployable': label },
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fake-az-'));
  writeFileSync(path.join(dir, 'az'), FAKE_AZ);
  chmodSync(path.join(dir, 'az'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], fixture: unknown) {
  const fixtureFile = path.join(dir, `fixture-${Math.random().toString(36).slice(2)}.json`);
  const log = `${fixtureFile}.log`;
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  writeFileSync(log, '');
  const result = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, FAKE_AZ_FIXTURE: fixtureFile, FAKE_AZ_LOG: log },
  });
  const calls = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
  return { code: result.status, out: result.stdout, err: result.stderr, calls };
}

const ARGS = ['-g', 'clomo-rg', '-c', 'clomo-prod', '-p', 'user', '-b', 'batch'];

describe('infra/check-prerequisites.sh', () => {
  it('is valid bash', () => {
    expect(spawnSync('bash', ['-n', SCRIPT]).status).toBe(0);
  });

  it('passes a cluster set up as graceful-scaler needs', () => {
    const r = run(ARGS, { cluster: goodCluster(), pools: { user: goodPool(), batch: batchPool('true') } });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok    pool user: scaleDownMode Deallocate');
    expect(r.out).toContain('ok    batch pool batch: labelled clomo/BatchDeployable=true at pool level');
    expect(r.out).toContain('node resource group: MC_clomo-rg_clomo-prod_japaneast');
    expect(r.out).toContain('all checks passed');
  });

  it('names every problem with the command that fixes it, and exits 1', () => {
    const r = run(['-g', 'clomo-rg', '-c', 'clomo-prod', '-p', 'user,spare', '-b', 'batch'], {
      cluster: goodCluster({
        'aadProfile.managed': null,
        'nodeResourceGroupProfile.restrictionLevel': 'ReadOnly',
        'apiServerAccessProfile.enablePrivateCluster': true,
      }),
      pools: {
        user: goodPool({ scaleDownMode: 'Delete', osDiskType: 'Ephemeral', enableAutoScaling: true }),
        spare: goodPool({ scaleDownMode: null }),
        batch: batchPool(null),
      },
    });
    expect(r.code).toBe(1);
    for (const expected of [
      'FAIL  AKS-managed Microsoft Entra ID is not enabled',
      'fix: az aks update --resource-group clomo-rg --name clomo-prod --enable-aad',
      'FAIL  node resource group restriction level is ReadOnly',
      '--nrg-lockdown-restriction-level Unrestricted',
      'warn  the API server is private',
      'FAIL  pool user: scaleDownMode Delete',
      'fix: az aks nodepool update --resource-group clomo-rg --cluster-name clomo-prod --name user --scale-down-mode Deallocate',
      'FAIL  pool user: OS disk type Ephemeral',
      '--node-osdisk-type Managed',
      'FAIL  pool user: the cluster autoscaler is enabled',
      'fix: az aks nodepool update --resource-group clomo-rg --cluster-name clomo-prod --name user --disable-cluster-autoscaler',
      'FAIL  pool spare: scaleDownMode Delete (the default)',
      'FAIL  batch pool batch: no pool-level label clomo/BatchDeployable=true (has: {"team":"batch"})',
      '--labels clomo/BatchDeployable=true',
      '7 check(s) failed',
    ]) {
      expect(r.out).toContain(expected);
    }
  });

  it('says when a pool does not exist, and when the cluster cannot be read', () => {
    const missing = run(ARGS, { cluster: goodCluster(), pools: { batch: batchPool('true') } });
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('FAIL  pool user: not found in cluster clomo-prod');
    const noCluster = run(ARGS, { pools: {} });
    expect(noCluster.code).toBe(2);
    expect(noCluster.err).toContain('cannot read cluster clomo-prod');
  });

  it('refuses a managed pool that is also the protected batch pool', () => {
    const r = run(['-g', 'clomo-rg', '-c', 'clomo-prod', '-p', 'batch', '-b', 'batch'], {
      cluster: goodCluster(),
      pools: { batch: { ...goodPool(), ...batchPool('true') } },
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL  pool batch is both managed and the protected batch pool');
  });

  it('passes --subscription through, and rejects missing arguments with usage', () => {
    const fixture = { cluster: goodCluster(), pools: { user: goodPool(), batch: batchPool('true') } };
    const withSub = run([...ARGS, '-s', 'sub-1'], fixture);
    expect(withSub.code).toBe(0);
    expect(withSub.calls.length).toBeGreaterThan(5);
    for (const call of withSub.calls) expect(call.join(' ')).toContain('--subscription sub-1');
    // Read-only: only `show` commands.
    for (const call of withSub.calls) expect(call.slice(0, 3).join(' ')).toMatch(/^aks (show|nodepool show)/);
    const bad = run(['-g', 'clomo-rg'], fixture);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('usage: check-prerequisites.sh');
  });
});

describe('infra/policy-parameters.mjs', () => {
  const script = path.join(ROOT, 'infra/policy-parameters.mjs');

  it('writes a parameters file whose policy is the example policy as one JSON string', () => {
    const r = spawnSync(process.execPath, [script, path.join(ROOT, 'policy.example.yaml')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { $schema: string; parameters: Record<string, { value: string }> };
    expect(out.$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#');
    expect(Object.keys(out.parameters)).toEqual(['policy']);
    expect(JSON.parse(out.parameters.policy!.value)).toMatchObject({ timezone: 'Asia/Tokyo', nodes: { pools: ['user'] } });
  });

  it('refuses a broken policy file, saying where, and writes nothing', () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'nodes: [unclosed\n');
    const r = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.yaml');
  });
});
