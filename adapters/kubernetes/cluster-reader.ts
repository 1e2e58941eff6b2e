// Reads nodes, pods, PDBs, Deployments and the names of the controllers that recreate pods page by page (`limit`/`continue`) and projects each page to
// the core's views at once, so the raw objects of a 150,000-pod cluster are never all held together.
//
// The lists are fetched as plain JSON with client-node's own KubeConfig applied (server, TLS, token
// or exec credentials, through its authenticators) and its own HTTP library, rather than through the
// generated typed API: deserialising 150,000 pods into model classes took more than twice as long as
// the whole read does without it, and the projection only needs the JSON.

import type * as k8s from '@kubernetes/client-node';
import { Headers, type RequestInit } from 'node-fetch';
import type { ControllerNames, NodeView, PdbView, PodView, WorkloadView } from '../../core/views';
import type { ClusterReader } from '../../runner/ports';
import { withRetries, type RetryOptions } from '../../runner/retry';
import { transientKubeError } from './clients';
import { DEFAULT_REQUEST_TIMEOUT_MS, fetchWithTimeout } from './http-timeout';
import { projectControllerKey } from './projection/controller';
import { projectNode } from './projection/node';
import { projectPod } from './projection/pod';
import { projectDeployment, projectPdb } from './projection/workload';

export interface ReaderOptions {
  /** Items per list request; the API server caps it anyway. */
  pageSize?: number;
  /** Limit of one page request, body included. */
  timeoutMs?: number;
  /** Retries of a page request that failed transiently (a GET: always safe to send again). */
  retry?: Partial<RetryOptions>;
}

/**
 * Asked for the controller lists: a real API server then sends each object's metadata alone
 * (PartialObjectMetadataList), a few hundred bytes instead of the whole pod template; a server that
 * does not know the form sends the plain list, which reads the same.
 */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json';

interface Page {
  items?: unknown[];
  metadata?: { continue?: string };
}

/** A list request the API server refused, with its Status message. */
export class ListError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
    /** The answer's headers (a 429's Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(`GET ${path}: ${status} ${message}`);
    this.name = 'ListError';
  }
}

/**
 * A controller list the server does not serve (404: an API server without that resource) counts as
 * not read: the core then leaves that kind's pods to its other rules. A refusal (403: RBAC not yet
 * updated) still fails the read, so it is seen and fixed.
 */
async function served(kind: string, list: Promise<string[]>): Promise<{ kind: string; keys: string[] | undefined }> {
  try {
    return { kind, keys: await list };
  } catch (error) {
    if (error instanceof ListError && error.status === 404) return { kind, keys: undefined };
    throw error;
  }
}

export class KubernetesClusterReader implements ClusterReader {
  /** Requests made by the last read, for the benchmark and the status record. */
  lastRequests = 0;
  private readonly server: string;

  constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly options: ReaderOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  async readCluster(): Promise<{
    nodes: NodeView[];
    pods: PodView[];
    pdbs: PdbView[];
    workloads: WorkloadView[];
    controllers: ControllerNames;
  }> {
    const counter = { requests: 0 };
    const owners = (kind: string) => (raw: unknown) => projectControllerKey(kind, raw);
    const [nodes, pods, pdbs, workloads, ...names] = await Promise.all([
      this.readAll('/api/v1/nodes', {}, projectNode, counter),
      // Finished pods are skipped server-side: a busy cluster keeps thousands of completed Job pods.
      this.readAll('/api/v1/pods', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }, projectPod, counter),
      this.readAll('/apis/policy/v1/poddisruptionbudgets', {}, projectPdb, counter),
      this.readAll('/apis/apps/v1/deployments', {}, projectDeployment, counter),
      // Names only: does a pod's owner still exist? (the core's controller-not-found rule)
      served('ReplicaSet', this.readAll('/apis/apps/v1/replicasets', {}, owners('ReplicaSet'), counter, METADATA_ONLY)),
      served('StatefulSet', this.readAll('/apis/apps/v1/statefulsets', {}, owners('StatefulSet'), counter, METADATA_ONLY)),
      served('Job', this.readAll('/apis/batch/v1/jobs', {}, owners('Job'), counter, METADATA_ONLY)),
      served('DaemonSet', this.readAll('/apis/apps/v1/daemonsets', {}, owners('DaemonSet'), counter, METADATA_ONLY)),
      served(
        'ReplicationController',
        this.readAll('/api/v1/replicationcontrollers', {}, owners('ReplicationController'), counter, METADATA_ONLY),
      ),
    ]);
    this.lastRequests = counter.requests;
    const kinds = new Set<string>();
    const found = new Set<string>();
    for (const { kind, keys } of names) {
      if (keys === undefined) continue;
      kinds.add(kind);
      for (const key of keys) found.add(key);
    }
    return { nodes, pods, pdbs, workloads, controllers: { kinds, names: found } };
  }

  /** One node by a field selector on the list (the RBAC grants list, not get, on nodes). */
  async readNode(name: string): Promise<NodeView | undefined> {
    const [node] = await this.readAll('/api/v1/nodes', { fieldSelector: `metadata.name=${name}` }, projectNode, { requests: 0 });
    return node;
  }

  async readPodsOn(node: string): Promise<PodView[]> {
    return this.readAll(
      '/api/v1/pods',
      { fieldSelector: `spec.nodeName=${node},status.phase!=Succeeded,status.phase!=Failed` },
      projectPod,
      { requests: 0 },
    );
  }

  private async readAll<T>(
    path: string,
    query: Record<string, string>,
    project: (raw: unknown) => T,
    counter: { requests: number },
    accept = 'application/json',
  ): Promise<T[]> {
    const views: T[] = [];
    const fetchPage = (token: string | undefined) => {
      counter.requests++;
      const params = new URLSearchParams({ ...query, limit: String(this.options.pageSize ?? 500), ...(token ? { continue: token } : {}) });
      return this.get(`${path}?${params}`, accept);
    };
    let next: Promise<Page> | undefined = fetchPage(undefined);
    while (next) {
      const page: Page = await next;
      const token = page.metadata?.continue || undefined;
      // Ask for the next page before projecting this one: the server prepares it meanwhile.
      next = token ? fetchPage(token) : undefined;
      for (const item of page.items ?? []) views.push(project(item));
    }
    return views;
  }

  private get(pathAndQuery: string, accept: string): Promise<Page> {
    return withRetries(
      `GET ${pathAndQuery.split('?')[0]!}`,
      () => this.getOnce(pathAndQuery, accept),
      transientKubeError,
      this.options.retry,
    );
  }

  private async getOnce(pathAndQuery: string, accept: string): Promise<Page> {
    // Applied per request: exec and token credentials refresh themselves there.
    const init = (await this.kc.applyToFetchOptions({})) as RequestInit;
    // client-node gives a node-fetch Headers (the bearer token among them), not a plain object: a
    // spread of it would send the request without credentials.
    const headers = new Headers(init.headers);
    headers.set('accept', accept);
    const { response, body } = await fetchWithTimeout(
      `${this.server}${pathAndQuery}`,
      { ...init, method: 'GET', headers },
      this.options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
    if (!response.ok) {
      let message = response.statusText;
      try {
        message = (JSON.parse(body.toString('utf8')) as { message?: string }).message ?? message;
      } catch {
        // not a Status body
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      throw new ListError(response.status, pathAndQuery.split('?')[0]!, message, headers);
    }
    return JSON.parse(body.toString('utf8')) as Page;
  }
}
