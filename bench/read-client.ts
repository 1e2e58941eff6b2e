// The reading side of the read benchmark, in its own process so that its peak memory is its own:
// reads the whole cluster through the real client-node and the real projection, then reports.

import * as k8s from '@kubernetes/client-node';
import { KubernetesClusterReader } from '../adapters/kubernetes/cluster-reader';

async function main(url: string): Promise<void> {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'bench', token: 'bench' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'bench' }],
    currentContext: 'sim',
  });
  const reader = new KubernetesClusterReader(kc, { pageSize: 500 });
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const start = process.hrtime.bigint();
  const snapshot = await reader.readCluster();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  clearInterval(sampler);
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  process.stdout.write(
    JSON.stringify({
      ms,
      requests: reader.lastRequests,
      nodes: snapshot.nodes.length,
      pods: snapshot.pods.length,
      peakRssMb: peakRss / 1024 ** 2,
      peakHeapMb: peakHeap / 1024 ** 2,
    }) + '\n',
  );
}

main(process.argv[2] ?? '').catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
