import { it } from 'vitest';
import { SimCluster } from '../../sim/cluster';
import { PODS } from '../../sim/resources';
import { startKubeApiServer } from '../../sim/kube-api-server';

it('perf probe', async () => {
  let t = performance.now();
  const c = SimCluster.aks({ pools: [{ name: 'system', mode: 'System', count: 3 }, { name: 'user', count: 4997, scaleDownMode: 'Deallocate' }] });
  console.log('nodes built ms', Math.round(performance.now() - t)); t = performance.now();
  for (let i = 0; i < 12; i++) c.addDeployment({ name: `app${i}`, namespace: 'clomo', replicas: 10000, cpu: '50m', memory: '128Mi' });
  console.log('deployments built ms', Math.round(performance.now() - t), 'heap MB', Math.round(process.memoryUsage().heapUsed / 1e6));
  t = performance.now();
  let n = 0; let cont: string | undefined; let pages = 0;
  do { const page = c.list(PODS, { limit: 500, ...(cont ? { continue: cont } : {}) }); n += page.items.length; cont = page.metadata.continue; pages++; } while (cont);
  console.log('model list', n, 'pages', pages, 'ms', Math.round(performance.now() - t));
  const server = await startKubeApiServer(c);
  t = performance.now(); n = 0; cont = undefined; let bytes = 0;
  do {
    const res = await fetch(`${server.url}/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    const text = await res.text(); bytes += text.length;
    const body = JSON.parse(text); n += body.items.length; cont = body.metadata.continue;
  } while (cont);
  console.log('http list', n, 'MB', Math.round(bytes / 1e6), 'ms', Math.round(performance.now() - t));
  t = performance.now();
  c.advance(60_000);
  console.log('advance 60s ms', Math.round(performance.now() - t));
  await server.close();
}, 300_000);
