// `npm run bench` (second part): reading a 5,000-node / 150,000-pod cluster from the Kubernetes API
// test endpoint through the real client, paginated and projected page by page. The reader runs in
// its own process, so the peak memory printed is the reading process's alone.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SimCluster } from '../sim/model/cluster';
import { startKubeApiServer } from '../sim/servers/kube-api-server';

const NODES = 5000;
const TARGET_PODS = 150_000;

async function main(): Promise<void> {
  let t = Date.now();
  const cluster = SimCluster.aks({
    pools: [
      { name: 'system', mode: 'System', count: 3 },
      { name: 'user', count: NODES - 3, scaleDownMode: 'Deallocate' },
    ],
  });
  let daemonPods = 0;
  for (const _ of cluster.pods()) daemonPods++;
  const perDeployment = Math.ceil((TARGET_PODS - daemonPods) / 12);
  for (let i = 0; i < 12; i++)
    cluster.addDeployment({
      name: `app${i}`,
      namespace: 'clomo',
      replicas: perDeployment,
      cpu: '50m',
      memory: '128Mi',
      labels: i % 2 === 0 ? { 'clomo/descheduling': 'enabled' } : {},
    });
  cluster.settle();
  let pods = 0;
  for (const _ of cluster.pods()) pods++;
  const buildMs = Date.now() - t;
  const server = await startKubeApiServer(cluster);
  t = Date.now();
  const result = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'read-client.js'), server.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`reader exited with ${code}`))));
  });
  const wall = Date.now() - t;
  await server.close();
  const r = JSON.parse(result) as { ms: number; requests: number; nodes: number; pods: number; peakRssMb: number; peakHeapMb: number };
  console.log(
    `\nreading the cluster from the Kubernetes API test endpoint (${NODES} nodes, ${pods} pods in the model, built in ${buildMs} ms):`,
  );
  console.log(
    `  read ${r.nodes} nodes and ${r.pods} pods in ${(r.ms / 1000).toFixed(2)} s (${(wall / 1000).toFixed(2)} s with process start), ${r.requests} requests`,
  );
  console.log(`  reading process peak: ${r.peakRssMb.toFixed(0)} MB RSS, ${r.peakHeapMb.toFixed(0)} MB heap`);
  console.log(`  targets: <= 8 s ${r.ms <= 8000 ? 'met' : 'NOT met'}, <= 400 MB ${r.peakRssMb <= 400 ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
