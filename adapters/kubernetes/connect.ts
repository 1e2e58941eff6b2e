// How the adapters reach the Kubernetes API: a kubeconfig file (a developer's machine), in-cluster
// (a pod), or an AKS cluster reached from Azure with an Entra token (a deployed Function App has no
// kubeconfig file: the cluster's server and CA come from ARM, the token from the managed identity).

import * as k8s from '@kubernetes/client-node';
import type { TokenCredential } from '@azure/identity';

/** The Entra ID application every AKS cluster's API server accepts tokens for (kubelogin's --server-id). */
export const AKS_SERVER_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

export type KubeConnection =
  | { kind: 'kubeconfig'; path?: string; context?: string }
  | { kind: 'in-cluster' }
  | { kind: 'aks'; kubeconfigYaml: string; credential: TokenCredential };

export function kubeConfigFor(connection: KubeConnection): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  switch (connection.kind) {
    case 'kubeconfig':
      if (connection.path) kc.loadFromFile(connection.path);
      else kc.loadFromDefault();
      if (connection.context) kc.setCurrentContext(connection.context);
      return kc;
    case 'in-cluster':
      kc.loadFromCluster();
      return kc;
    case 'aks': {
      // Keep the cluster (server, CA) from the ARM-issued kubeconfig; replace its kubelogin user with
      // our own credential, asked for a token on every request (it caches and refreshes them itself).
      const fromArm = new k8s.KubeConfig();
      fromArm.loadFromString(connection.kubeconfigYaml);
      const cluster = fromArm.getCurrentCluster();
      if (!cluster) throw new Error('the kubeconfig from ARM names no cluster');
      kc.loadFromClusterAndUser(
        { ...cluster },
        { name: 'graceful-scaler-identity', authProvider: { name: 'graceful-scaler-azure', config: {} } },
      );
      const credential = connection.credential;
      kc.addAuthenticator({
        isAuthProvider: (user: k8s.User) => user.authProvider?.name === 'graceful-scaler-azure',
        applyAuthentication: async (_user: k8s.User, opts: { headers?: Record<string, string> }) => {
          const token = await credential.getToken(AKS_SERVER_SCOPE);
          if (!token) throw new Error(`no token for ${AKS_SERVER_SCOPE}: check the identity's access to the cluster`);
          opts.headers = { ...(opts.headers ?? {}), Authorization: `Bearer ${token.token}` };
        },
      });
      return kc;
    }
  }
}
