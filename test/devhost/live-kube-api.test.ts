// `npm start` serves its simulated cluster's Kubernetes API with a kubeconfig: a person (cluster admin)
// cordons a node by hand with the real client and the scaler, acting on the same cluster, reacts; the
// scaler's own identity is held to infra/kubernetes/rbac.yaml there too.

import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startLive, type Live } from '../../devhost/live';
import { simPolicy } from '../../sim/scenario/simulation';
import { referenceTraffic } from '../../sim/scenario/traffic';

let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

function client(kubeconfig: string, context: string): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  kc.setCurrentContext(context);
  return kc.makeApiClient(k8s.CoreV1Api);
}

describe('live mode, through its Kubernetes API', () => {
  it('takes a cordon by hand over HTTPS, and the scaler starts a node for it', async () => {
    const policy = simPolicy();
    const lines: string[] = [];
    const traffic = referenceTraffic({ days: 1, seed: 3, timezone: policy.timezone });
    live = await startLive({ traffic, policy, seed: 3, speed: 1200, port: 0, print: (l) => lines.push(l) });
    expect(live.kube.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const admin = client(live.kube.kubeconfig, 'graceful-scaler-sim-admin');
    const running = (await admin.listNode({ labelSelector: 'kubernetes.azure.com/agentpool=user' })).items.filter(
      (n) => !(n.spec?.taints ?? []).some((t) => t.key === 'node.cloudprovider.kubernetes.io/shutdown'),
    );
    expect(running.length).toBe(2); // the night's minimum
    const target = running[0]!.metadata!.name!;
    await admin.patchNode(
      { name: target, body: { spec: { unschedulable: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );

    const deadline = Date.now() + 30_000;
    while (!lines.some((l) => l.includes('nodeScaler: start-node')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(lines.filter((l) => l.includes('nodeScaler: start-node')).length).toBeGreaterThan(0);
    expect((await admin.readNode({ name: target })).spec?.unschedulable).toBe(true);

    const scaler = client(live.kube.kubeconfig, 'graceful-scaler-identity');
    await expect(scaler.deleteNode({ name: target })).rejects.toMatchObject({ code: 403 });
  }, 60_000);
});
