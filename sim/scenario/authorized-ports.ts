// The simulator's in-process ports, authorized as the API server would authorize the Kubernetes
// adapters' requests: each port call is checked, before it reaches the model, as the request the
// adapter sends for it (adapters/kubernetes/*.ts: the same verb, resource, subresource, namespace and
// name), by the same RBAC authorizer the simulated API server uses, as graceful-scaler's identity. A
// verb the manifest does not grant fails the call with the API server's 403, where the real adapter
// would fail; the simulator skips no HTTP for it, so a week's run costs the same.

import type { ObjectRef } from '../../runner/ports';
import type { RunnerDeps } from '../../runner/run-tick';
import { resourceAttributes, type UserInfo } from '../model/rbac';
import type { KubeAuth } from '../servers/kube-auth';

/** What the adapters call the state ConfigMap (configmap-store.ts). */
const MEMORY_CONFIGMAP = 'graceful-scaler-state';

/** One identity's requests, checked by an API server's authorizer. */
export class PortAuthorizer {
  /** Told of every refusal (the simulation counts them as violations), before the 403 is thrown. */
  onDenied: ((error: Error) => void) | undefined;

  constructor(
    private readonly auth: KubeAuth,
    readonly user: UserInfo,
    /** graceful-scaler's own namespace (GRACEFUL_SCALER_NAMESPACE), where its ConfigMaps and Leases live. */
    readonly stateNamespace: string,
  ) {}

  /** Decisions by request: the RBAC objects do not change during a run, and a week asks the same few thousand times. */
  private readonly allowed = new Map<string, boolean>();

  /** Throws the API server's 403 unless the request is allowed. */
  check(verb: string, group: string, resource: string, where: { namespace?: string; name?: string; subresource?: string } = {}): void {
    const key = `${verb}\u0000${group}\u0000${resource}\u0000${where.subresource ?? ''}\u0000${where.namespace ?? ''}\u0000${where.name ?? ''}`;
    if (this.allowed.get(key) === true) return;
    const a = resourceAttributes(verb, group, resource, where);
    try {
      this.auth.authorize(this.user, a);
      if (this.allowed.size > 50_000) this.allowed.clear();
      this.allowed.set(key, true);
    } catch (error) {
      this.onDenied?.(error as Error);
      throw error;
    }
  }
}

/** The lists the Kubernetes cluster reader sends for a snapshot (cluster-reader.ts, RAW_LIST_PATHS). */
const SNAPSHOT_LISTS: readonly [string, string][] = [
  ['', 'nodes'],
  ['', 'pods'],
  ['policy', 'poddisruptionbudgets'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['batch', 'jobs'],
  ['apps', 'daemonsets'],
  ['', 'replicationcontrollers'],
];

/** `deps` with every Kubernetes port call authorized first; VMs, queues and the clock are not Kubernetes'. */
export function authorizedDeps(deps: RunnerDeps, z: PortAuthorizer): RunnerDeps {
  const { reader, actions, memory, lease, events } = deps;
  const ns = z.stateNamespace;
  // The Lease adapter creates a Lease it does not find and replaces one it does.
  const leases = new Set<string>();
  let snapshotAllowed = false;
  return {
    ...deps,
    reader: {
      readCluster: () => {
        // Allowed once, allowed for the run (RBAC does not change under it): most ticks skip the nine checks.
        if (!snapshotAllowed) for (const [group, resource] of SNAPSHOT_LISTS) z.check('list', group, resource);
        snapshotAllowed = true;
        return reader.readCluster();
      },
      readNode: (name) => {
        z.check('list', '', 'nodes', { name }); // a list by metadata.name: the ClusterRole has no `get`
        return reader.readNode(name);
      },
      readPodsOn: (node) => {
        z.check('list', '', 'pods');
        return reader.readPodsOn(node);
      },
    },
    actions: {
      cordon: (node, drain) => {
        z.check('patch', '', 'nodes', { name: node });
        return actions.cordon(node, drain);
      },
      uncordon: (node) => {
        z.check('patch', '', 'nodes', { name: node });
        return actions.uncordon(node);
      },
      evict: (namespace, pod) => {
        z.check('create', '', 'pods', { namespace, name: pod, subresource: 'eviction' });
        return actions.evict(namespace, pod);
      },
      scale: (namespace, deployment, replicas) => {
        z.check('patch', 'apps', 'deployments', { namespace, name: deployment, subresource: 'scale' });
        return actions.scale(namespace, deployment, replicas);
      },
      setDeletionCost: (namespace, pod, cost) => {
        z.check('patch', '', 'pods', { namespace, name: pod });
        return actions.setDeletionCost(namespace, pod, cost);
      },
      markNode: (node, mark, set, at) => {
        z.check('list', '', 'nodes', { name: node }); // read by metadata.name first
        z.check('patch', '', 'nodes', { name: node });
        return actions.markNode(node, mark, set, at);
      },
    },
    memory: {
      load: () => {
        z.check('get', '', 'configmaps', { namespace: ns, name: MEMORY_CONFIGMAP });
        return memory.load();
      },
      save: (value, version) => {
        if (version === undefined) z.check('create', '', 'configmaps', { namespace: ns });
        else z.check('update', '', 'configmaps', { namespace: ns, name: MEMORY_CONFIGMAP });
        return memory.save(value, version);
      },
    },
    lease: {
      acquire: (name, holder, seconds) => {
        z.check('get', 'coordination.k8s.io', 'leases', { namespace: ns, name });
        if (leases.has(name)) z.check('update', 'coordination.k8s.io', 'leases', { namespace: ns, name });
        else z.check('create', 'coordination.k8s.io', 'leases', { namespace: ns });
        leases.add(name);
        return lease.acquire(name, holder, seconds);
      },
      release: (name, holder) => {
        z.check('get', 'coordination.k8s.io', 'leases', { namespace: ns, name });
        z.check('update', 'coordination.k8s.io', 'leases', { namespace: ns, name });
        return lease.release(name, holder);
      },
    },
    events: {
      emit: (ref: ObjectRef, event) => {
        // event-recorder.ts: Node events go to `default`, the others to their object's namespace.
        z.check('create', '', 'events', { namespace: ref.namespace ?? 'default' });
        return events.emit(ref, event);
      },
    },
  };
}
