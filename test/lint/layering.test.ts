// The folders' layering is held by the lint (eslint.config.mjs), not by memory: a wrong-way import
// fails `npm run lint`. These cases lint a line of code as if it stood in a given file.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The type-aware rules need the file to exist in a tsconfig project; the import rules do not.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layering of the folders', () => {
  it.each([
    ['core/plan.ts', "import { runTick } from '../runner/run-tick';", 'core/ imports nothing outside core/'],
    ['core/nodes/drains.ts', "import type { KubernetesPort } from '../../runner/ports';", 'core/ imports nothing outside core/'],
    ['core/plan.ts', "import * as k8s from '@kubernetes/client-node';", 'core/ imports no package'],
    ['core/plan.ts', "import { readFileSync } from 'node:fs';", 'core/ imports no package'],
    ['runner/run-tick.ts', "import { QueueNotFoundError } from '../adapters/queues';", 'runner/ imports only core/'],
    ['runner/run-tick.ts', "import { QueueClient } from '@azure/storage-queue';", 'SDKs belong in adapters/'],
    ['adapters/queues.ts', "import { app } from '../functions/catalog';", 'adapters/ implement runner/ports.ts'],
    ['functions/index.ts', "import { SimCluster } from '../sim/model/cluster';", 'functions/ are entry points'],
    ['sim/model/cluster.ts', "import { runTick } from '../../runner/run-tick';", 'import nothing of the app'],
    ['sim/azure/compute.ts', "import { NodeVmsPort } from '../../runner/ports';", 'import nothing of the app'],
    ['sim/model/cluster.ts', "import { runSimulation } from '../scenario/simulation';", 'import nothing of the app'],
    ['sim/servers/kube-api-server.ts', "import { wire } from '../../functions/production';", 'sim/servers are HTTP front ends'],
    ['sim/scenario/simulation.ts', "import { catalog } from '../../functions/catalog';", 'it imports no entry point'],
    ['page/data.ts', "import { KubernetesCluster } from '../adapters/kubernetes/cluster-reader';", 'page/ renders a document'],
  ])('%s may not: %s', async (file, code, why) => {
    const found = await problems(file, code);
    expect(found.some((p) => p.startsWith('no-restricted-imports') && p.includes(why))).toBe(true);
  });

  it.each([
    ['core/nodes/drains.ts', "import { podVerdict } from '../evictability';"],
    ['runner/run-tick.ts', "import { plan } from '../core/plan';"],
    ['adapters/queues.ts', "import type { QueueDepthsPort } from '../runner/ports';"],
    ['functions/index.ts', "import { buildDashboard } from '../page/data';"],
    ['sim/model/admission.ts', "import { parseQuantity } from '../../core/quantity';"],
    ['sim/servers/kube-api-server.ts', "import { SimCluster } from '../model/cluster';"],
    ['sim/scenario/in-process-ports.ts', "import type { KubernetesPort } from '../../runner/ports';"],
    ['devhost/local-host.ts', "import { catalog } from '../functions/catalog';"],
    ['cli/live.ts', "import { startLive } from '../devhost/live';"],
  ])('%s may: %s', async (file, code) => {
    expect((await problems(file, code)).filter((p) => p.startsWith('no-restricted-imports'))).toEqual([]);
  });

  it('keeps the clock and randomness out of the core', async () => {
    const found = await problems('core/schedule.ts', 'export const t = Date.now() + Math.random();');
    expect(found.filter((p) => p.startsWith('no-restricted-properties'))).toHaveLength(2);
  });
});
