import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicyText } from '../../adapters/policy-file';
import { InputError } from '../../core/errors';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The problems of the InputError the promise rejects with. */
async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error instanceof InputError ? error.problems : [];
}

const YAML_POLICY = `nodes:
  pools: [user]
  targetPodsPerNode: 20
  maxNodes: 5
  scaleDownDelay: 15m
`;

const JSON_POLICY = JSON.stringify(
  {
    timezone: 'Europe/Berlin',
    workers: [{ name: 'bg', namespace: 'clomo', deployment: 'bg', queues: ['jobs'], jobsPerWorker: 2, maxReplicas: 8 }],
  },
  null,
  2,
);

describe('loadPolicyFile', () => {
  it('loads the example policy at the repository root', async () => {
    const policy = await loadPolicyFile(join(__dirname, '../../policy.example.yaml'));
    expect(policy.nodes?.maxNodes).toBe(12);
    expect(policy.workers.map((w) => w.name)).toEqual(['bg']);
    expect(policy.descheduler?.balanceBy).toBe('memory');
  });

  it('loads a YAML file', async () => {
    const policy = await loadPolicyFile(await write('policy.yaml', YAML_POLICY));
    expect(policy.nodes?.scaleDownDelayMs).toBe(900_000);
  });

  it('loads a JSON file', async () => {
    const policy = await loadPolicyFile(await write('policy.json', JSON_POLICY));
    expect(policy.timezone).toBe('Europe/Berlin');
    expect(policy.workers[0]?.maxReplicas).toBe(8);
  });

  it('loads a JSON file saved with a byte-order mark', async () => {
    const policy = await loadPolicyFile(await write('bom.json', `\uFEFF${JSON_POLICY}`));
    expect(policy.workers).toHaveLength(1);
  });

  it('prefixes every validation problem with the file name', async () => {
    const path = await write('bad.yaml', 'nodes:\n  pools: [user]\n  targetPodsPerNode: 20\n  minNodes: -1\n  maxNodes: "5"\n');
    expect(await problemsOf(loadPolicyFile(path))).toEqual([
      `${path}: nodes.minNodes: expected a whole number >= 0, got -1`,
      `${path}: nodes.maxNodes: expected a whole number >= 1, got "5" (a string; write the number without quotes)`,
    ]);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const path = await write('broken.yaml', 'nodes:\n  pools: [user\n  maxNodes: 5\n');
    const problems = await problemsOf(loadPolicyFile(path));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${escape(path)}: line \\d+, column \\d+: invalid YAML: `));
  });

  it('reports a duplicate YAML key at the line where it repeats', async () => {
    const path = await write('twice.yaml', 'nodes:\n  pools: [user]\n  maxNodes: 5\n  maxNodes: 6\n');
    expect(await problemsOf(loadPolicyFile(path))).toEqual([`${path}: line 4, column 3: invalid YAML: Map keys must be unique`]);
  });

  it('reports a JSON syntax error with its line and column', async () => {
    const path = await write('broken.json', '{\n  "nodes": {\n    "maxNodes": 5,\n  }\n}\n');
    const problems = await problemsOf(loadPolicyFile(path));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escape(path)}: invalid JSON: .*line 4, column 3$`));
  });

  it.each([
    ['an empty YAML file', 'empty.yaml', ''],
    ['a YAML file of comments only', 'comments.yaml', '# nothing yet\n'],
    ['an empty JSON file', 'empty.json', '  \n'],
  ])('reports %s as empty', async (_name, file, text) => {
    const path = await write(file, text);
    expect(await problemsOf(loadPolicyFile(path))).toEqual([`${path}: expected a policy document, got an empty file`]);
  });

  it('names the path and the reason when the file is missing', async () => {
    const path = join(dir, 'missing.yaml');
    expect(await problemsOf(loadPolicyFile(path))).toEqual([`${path}: cannot read the policy file (ENOENT: no such file or directory)`]);
  });

  it('names the path and the reason when the path is a directory', async () => {
    expect(await problemsOf(loadPolicyFile(dir))).toEqual([
      `${dir}: cannot read the policy file (EISDIR: illegal operation on a directory)`,
    ]);
  });
});

describe('parsePolicyText', () => {
  it('reads YAML 1.2: an unquoted date stays a string and "yes" is not a boolean', () => {
    const policy = parsePolicyText('holidays: [2027-01-01]\ndescheduler:\n  podSelector: opt-in\n', 'inline.yaml');
    expect(policy.holidays).toEqual(new Set(['2027-01-01']));
    const problems = (() => {
      try {
        parsePolicyText(`${YAML_POLICY}  protectLocalStorage: yes\n`, 'inline.yaml');
        return [];
      } catch (e) {
        return e instanceof InputError ? e.problems : [String(e)];
      }
    })();
    expect(problems).toEqual(['inline.yaml: nodes.protectLocalStorage: expected true or false, got "yes"']);
  });

  it('reads JSON as YAML when the source name does not end in .json', () => {
    expect(parsePolicyText(JSON_POLICY, 'policy.txt').timezone).toBe('Europe/Berlin');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
