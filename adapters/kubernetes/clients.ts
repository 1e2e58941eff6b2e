// The Kubernetes API clients the adapters use, made from one KubeConfig. Connecting (kubeconfig file,
// in-cluster, or AKS with an Entra token) is connect.ts's business; everything else takes Clients.

import * as k8s from '@kubernetes/client-node';
import { ensureError } from '../../core/errors';

export interface Clients {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  policy: k8s.PolicyV1Api;
  coordination: k8s.CoordinationV1Api;
}

export function makeClients(kc: k8s.KubeConfig): Clients {
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    policy: kc.makeApiClient(k8s.PolicyV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
  };
}

/** Merge patch: the default of client-node is JSON-Patch, which a real API server rejects for an object body. */
export const MERGE_PATCH = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of a failed call, or undefined when it was not an API answer (network, TLS). */
export function statusOf(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? (err.code as number) : undefined;
}

/** The Kubernetes Status message of a failed call, for logs and refusals. */
export function messageOf(err: unknown): string {
  if (err instanceof k8s.ApiException) {
    try {
      const status = JSON.parse(String(err.body)) as { message?: string };
      if (status.message) return `${err.code}: ${status.message}`;
    } catch {
      // not a Status body
    }
    return `HTTP ${err.code}`;
  }
  return ensureError(err).message;
}
