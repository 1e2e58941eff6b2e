// Kubeconfigs for the tests that reach the simulated Kubernetes API server with the real client-node:
// a bearer token (the server takes any) and plain HTTP, one context per cluster, the first current.

import * as k8s from '@kubernetes/client-node';

export function testKubeConfig(clusters: Record<string, string>, user = 'graceful-scaler'): k8s.KubeConfig {
  const names = Object.keys(clusters);
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: names.map((name) => ({ name, server: clusters[name]!, skipTLSVerify: true })),
    users: [{ name: user, token: 'test-token' }],
    contexts: names.map((name) => ({ name, cluster: name, user })),
    currentContext: names[0],
  });
  return kc;
}
