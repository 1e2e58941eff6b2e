import { it, expect } from 'vitest';
import { SimCluster } from '../../sim/cluster';
import { PODS, NODES, PDBS } from '../../sim/resources';

it('smoke', () => {
  const c = SimCluster.aks({ pools: [{ name: 'system', mode: 'System', count: 1 }, { name: 'user', count: 3, scaleDownMode: 'Deallocate' }] });
  c.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 6, cpu: '250m', memory: '512Mi' });
  c.addPdb({ name: 'mdm', namespace: 'clomo', minAvailable: '80%' });
  const nodes = c.list(NODES);
  console.log(nodes.items.map((n) => n.metadata.name));
  const pods = c.list(PODS, { namespace: 'clomo' });
  console.log(pods.items.map((p) => `${p.metadata.name} ${(p as any).spec.nodeName} ${(p as any).status.phase}`));
  console.log(JSON.stringify(c.list(PDBS).items[0], null, 1));
  console.log(JSON.stringify(c.deployment('clomo', 'mdm'), null, 1));
  console.log(c.agentPools(), c.scaleSetVms('aks-user-27531488-vmss'));
  expect(pods.items.length).toBe(6);
});
