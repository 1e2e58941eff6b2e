// A kubeconfig for the simulated API server, as `az aks get-credentials` writes one for a real
// cluster: the server with its certificate authority, one user per token, one context per user.

import { stringify } from 'yaml';
import { SIM_API_CERT } from './kube-tls';

export interface KubeconfigUser {
  /** The user's and its context's name. */
  name: string;
  token: string;
}

/** `users[0]`'s context is the current one. */
export function simKubeconfig(url: string, cluster: string, users: readonly KubeconfigUser[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: {
          server: url,
          ...(url.startsWith('https:') ? { 'certificate-authority-data': Buffer.from(SIM_API_CERT).toString('base64') } : {}),
        },
      },
    ],
    users: users.map((u) => ({ name: u.name, user: { token: u.token } })),
    contexts: users.map((u) => ({ name: u.name, context: { cluster, user: u.name } })),
    'current-context': users[0]?.name ?? '',
  });
}
