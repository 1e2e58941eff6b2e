// Reads what the drain audit looks at (runner/ports.ts AuditReader) from the Kubernetes API: every
// kind it needs, in every namespace, page by page (`limit`/`continue`), each page filed into the
// audit's objects as it arrives (audit-objects.ts), so no more than a page per kind is held as
// client-node models at a time.
//
// Typed list calls, unlike the scaler's reader (cluster-reader.ts), which reads raw JSON for speed:
// the audit runs when someone asks (GET /api/audit, the status page, the CLI), not every minute,
// and needs whole objects anyway, so the models' deserialisation costs little here. The objects
// are then what client-node's models know (Kubernetes 1.34 for client-node 1.4), their keys in the
// models' order: a fix that copies a pod spec (check 1) lists `image` before `name`, and would not
// carry a field newer than the models.

import type { AuditObjects } from '../../core/audit';
import { emptyAuditObjects } from '../../core/audit';
import type { AuditReader } from '../../runner/ports';
import { auditObjectsFromLists } from './audit-objects';
import { messageOf, type Clients } from './clients';

export interface AuditReaderOptions {
  /** Items per list request; the API server caps it anyway. */
  pageSize?: number;
}

interface Page {
  items: readonly unknown[];
  metadata?: { _continue?: string };
}

/** One kind's list: what its items are, and the typed call that fetches a page. */
interface AuditList {
  apiVersion: string;
  kind: string;
  plural: string;
  list: (page: { limit: number; _continue?: string }) => Promise<Page>;
}

/** A list the audit could not read, named by kind, with the API server's answer. */
export class AuditReadError extends Error {
  constructor(
    readonly list: string,
    cause: unknown,
  ) {
    super(`cannot list ${list}: ${messageOf(cause)}`, { cause });
    this.name = 'AuditReadError';
  }
}

export class KubernetesAuditReader implements AuditReader {
  /** Requests made by the last read (pages of every list), for the tests and logs. */
  lastRequests = 0;

  constructor(
    private readonly clients: Clients,
    private readonly options: AuditReaderOptions = {},
  ) {}

  async readAuditObjects(): Promise<AuditObjects> {
    const { core, apps, batch, policy } = this.clients;
    const lists: AuditList[] = [
      { apiVersion: 'v1', kind: 'Node', plural: 'nodes', list: (p) => core.listNode(p) },
      // Finished pods too, as `kubectl get pods -A` shows them: the audit tells a bare pod that
      // ran to completion from one that still holds its node.
      { apiVersion: 'v1', kind: 'Pod', plural: 'pods', list: (p) => core.listPodForAllNamespaces(p) },
      { apiVersion: 'v1', kind: 'Service', plural: 'services', list: (p) => core.listServiceForAllNamespaces(p) },
      {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        plural: 'replicationcontrollers',
        list: (p) => core.listReplicationControllerForAllNamespaces(p),
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', list: (p) => apps.listDeploymentForAllNamespaces(p) },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', list: (p) => apps.listReplicaSetForAllNamespaces(p) },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', list: (p) => apps.listStatefulSetForAllNamespaces(p) },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets', list: (p) => apps.listDaemonSetForAllNamespaces(p) },
      { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', list: (p) => batch.listJobForAllNamespaces(p) },
      { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', list: (p) => batch.listCronJobForAllNamespaces(p) },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        plural: 'poddisruptionbudgets',
        list: (p) => policy.listPodDisruptionBudgetForAllNamespaces(p),
      },
    ];
    const objects = emptyAuditObjects();
    const counter = { requests: 0 };
    // The kinds are read side by side, each list page after page; pages of one kind are filed in order.
    await Promise.all(lists.map((l) => this.readAll(l, objects, counter)));
    this.lastRequests = counter.requests;
    return objects;
  }

  private async readAll(
    { apiVersion, kind, plural, list }: AuditList,
    objects: AuditObjects,
    counter: { requests: number },
  ): Promise<void> {
    const limit = this.options.pageSize ?? 500;
    let token: string | undefined;
    let pages = 0;
    do {
      const request = { limit, ...(token !== undefined ? { _continue: token } : {}) };
      let page: Page;
      try {
        counter.requests++;
        page = await this.clients.call(`list ${plural}`, () => list(request));
      } catch (err) {
        throw new AuditReadError(`${plural} (all namespaces${pages > 0 ? `, page ${pages + 1}` : ''})`, err);
      }
      pages++;
      // The API sends items without kind and apiVersion (kubectl adds them to its dumps): the list names them.
      const json = { apiVersion, kind: `${kind}List`, items: page.items };
      auditObjectsFromLists([{ source: `${plural} page ${pages}`, json }], objects);
      token = page.metadata?._continue || undefined;
    } while (token !== undefined);
  }
}
