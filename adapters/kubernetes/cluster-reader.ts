// Reads nodes, pods, PDBs and Deployments page by page and projects each page to the core's views at
// once, so the raw objects of a 150,000-pod cluster are never all held together.

import type { ClusterReader } from '../ports';
import type { NodeView, PdbView, PodView, WorkloadView } from '../../core/views';
import type { Clients } from './clients';
import { projectDeployment, projectNode, projectPdb, projectPod } from './projection';

export interface ReaderOptions {
  /** Items per list request; the API server caps it anyway. */
  pageSize?: number;
}

interface Page {
  items: unknown[];
  metadata?: { _continue?: string };
}

async function readAll<T>(fetchPage: (token: string | undefined) => Promise<Page>, project: (raw: unknown) => T): Promise<{ views: T[]; requests: number }> {
  const views: T[] = [];
  let token: string | undefined;
  let requests = 0;
  do {
    const page = await fetchPage(token);
    requests++;
    for (const item of page.items) views.push(project(item));
    token = page.metadata?._continue || undefined;
  } while (token);
  return { views, requests };
}

export class KubernetesClusterReader implements ClusterReader {
  /** Requests made by the last read, for the benchmark and the status record. */
  lastRequests = 0;

  constructor(
    private readonly clients: Clients,
    private readonly options: ReaderOptions = {},
  ) {}

  async readCluster(): Promise<{ nodes: NodeView[]; pods: PodView[]; pdbs: PdbView[]; workloads: WorkloadView[] }> {
    const limit = this.options.pageSize ?? 500;
    const { core, policy, apps } = this.clients;
    const [nodes, pods, pdbs, workloads] = await Promise.all([
      readAll((_continue) => core.listNode({ limit, _continue }) as Promise<Page>, projectNode),
      // Finished pods are skipped server-side: a busy cluster keeps thousands of completed Job pods.
      readAll(
        (_continue) => core.listPodForAllNamespaces({ limit, _continue, fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }) as Promise<Page>,
        projectPod,
      ),
      readAll((_continue) => policy.listPodDisruptionBudgetForAllNamespaces({ limit, _continue }) as Promise<Page>, projectPdb),
      readAll((_continue) => apps.listDeploymentForAllNamespaces({ limit, _continue }) as Promise<Page>, projectDeployment),
    ]);
    this.lastRequests = nodes.requests + pods.requests + pdbs.requests + workloads.requests;
    return { nodes: nodes.views, pods: pods.views, pdbs: pdbs.views, workloads: workloads.views };
  }
}
