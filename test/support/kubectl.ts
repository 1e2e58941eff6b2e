// The real kubectl against the simulated cluster's Kubernetes API server: a kubeconfig in a
// temporary home, kubectl run asynchronously (the server answers in this same process), its
// output parsed into columns, and a clock that moves simulated time while kubectl waits on it.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimCluster } from '../../sim/model/cluster';
import { startKubeApiServer, type KubeApiServer } from '../../sim/servers/kube-api-server';
import { smallCluster } from '../builders/sim-cluster';

export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
export const kubectlPresent = existsSync(KUBECTL);
if (!kubectlPresent) console.warn(`kubectl suites skipped: no kubectl at ${KUBECTL} (set KUBECTL to run them)`);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlWorld {
  cluster: SimCluster;
  server: KubeApiServer;
  /** A directory for manifests; removed on close. */
  dir: string;
  kubectl(...args: string[]): Promise<KubectlResult>;
  /** A long-running kubectl (`get -w`): its output so far, and a stop. */
  background(...args: string[]): { output(): string; stop(): void };
  /** Simulated time moves `msPerTick` every 20 ms of wall time until the returned stop is called. */
  runClock(msPerTick?: number): () => void;
  close(): Promise<void>;
}

export async function startKubectlWorld(cluster: SimCluster): Promise<KubectlWorld> {
  const server = await startKubeApiServer(cluster);
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: sim, cluster: {server: "${server.url}"}}]`,
      'users: [{name: tester, user: {token: test-token}}]',
      'contexts: [{name: sim, context: {cluster: sim, user: tester, namespace: default}}]',
      'current-context: sim',
      '',
    ].join('\n'),
  );
  // HOME too: kubectl keeps its discovery cache there, which must not outlive the server.
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  const children = new Set<ChildProcess>();
  const clocks = new Set<NodeJS.Timeout>();
  return {
    cluster,
    server,
    dir,
    kubectl: (...args) =>
      new Promise((resolve) => {
        execFile(KUBECTL, args, { env, timeout: 90_000 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout, stderr });
        });
      }),
    background(...args) {
      const child = spawn(KUBECTL, args, { env });
      children.add(child);
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      return {
        output: () => output,
        stop: () => {
          child.kill();
          children.delete(child);
        },
      };
    },
    runClock(msPerTick = 1000) {
      const timer = setInterval(() => cluster.advance(msPerTick), 20);
      clocks.add(timer);
      return () => {
        clearInterval(timer);
        clocks.delete(timer);
      };
    },
    async close() {
      for (const timer of clocks) clearInterval(timer);
      for (const child of children) child.kill();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Three user nodes and the clomo namespace with its `web` Deployment; `more` adds to the cluster first. */
export function startWebWorld(replicas: number, more: (cluster: SimCluster) => void = () => {}): Promise<KubectlWorld> {
  const cluster = smallCluster(3, { namespaces: ['clomo'] });
  cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas });
  more(cluster);
  return startKubectlWorld(cluster);
}

/**
 * kubectl's table output as rows of cells under their header names. Columns are read by position
 * (kubectl aligns them), so an empty cell stays empty and a header like "MIN AVAILABLE" stays one.
 */
export function parseTable(stdout: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  const columns = [...(lines[0] ?? '').matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index }));
  const rows = lines
    .slice(1)
    .map((line) => Object.fromEntries(columns.map((c, i) => [c.name, line.slice(c.start, columns[i + 1]?.start ?? line.length).trim()])));
  return { header: columns.map((c) => c.name), rows };
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes. */
export async function eventually(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
