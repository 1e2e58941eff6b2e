// The columns and cells of the API server's table printers (pkg/printers/internalversion), per kind
// the simulated cluster serves: what `kubectl get` shows (`-o wide` adds the priority-1 columns).
// The server prints every column, as the real one does; kubectl hides the wide ones.
//
// Ages and durations are measured against the cluster's simulated clock, as a real API server
// measures them against its own.

import type { DeepReadonly, KubeObject } from '../model/objects';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

export interface Printer {
  columns: readonly TableColumn[];
  cells(object: DeepReadonly<KubeObject>, now: number): Cell[];
}

function column(name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

const NAME = column('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);
const SELECTOR = column('Selector', 'string', 'Label selector for pods.', 1);

/** Reads a nested field of a JSON object, undefined when any step is missing. */
function at(object: unknown, ...keys: string[]): unknown {
  let value = object;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function text(value: unknown, otherwise = ''): string {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : otherwise;
}

function count(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** k8s.io/apimachinery's duration.HumanDuration: "45s", "3m20s", "5h", "12d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function since(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}

function age(object: DeepReadonly<KubeObject>, now: number): string {
  return since(object.metadata.creationTimestamp, now);
}

/** `app=web,tier notin (a,b)`: labels.FormatLabels / metav1.FormatLabelSelector. */
function formatSelector(selector: unknown): string {
  const parts: string[] = [];
  const matchLabels = at(selector, 'matchLabels');
  if (typeof matchLabels === 'object' && matchLabels !== null) {
    for (const key of Object.keys(matchLabels).sort()) parts.push(`${key}=${text((matchLabels as Record<string, unknown>)[key])}`);
  }
  for (const expression of list(at(selector, 'matchExpressions'))) {
    const key = text(at(expression, 'key'));
    const operator = text(at(expression, 'operator'));
    const values = list(at(expression, 'values')).map((v) => text(v));
    if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator.toLowerCase()} (${values.join(',')})`);
  }
  return parts.length === 0 ? '<none>' : parts.join(',');
}

function formatLabels(labels: unknown): string {
  if (typeof labels !== 'object' || labels === null || Object.keys(labels).length === 0) return '<none>';
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${text((labels as Record<string, unknown>)[key])}`)
    .join(',');
}

/** Containers, Images and Selector of a workload's pod template. */
function templateCells(object: DeepReadonly<KubeObject>): Cell[] {
  const containers = list(at(object, 'spec', 'template', 'spec', 'containers'));
  return [
    containers.map((c) => text(at(c, 'name'))).join(','),
    containers.map((c) => text(at(c, 'image'))).join(','),
    formatSelector(at(object, 'spec', 'selector')),
  ];
}

function intOrString(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : 'N/A';
}

// ---------------------------------------------------------------------------------------------

function podStatus(pod: DeepReadonly<KubeObject>): { ready: number; total: number; restarts: number; reason: string } {
  let reason = text(at(pod, 'status', 'reason')) || text(at(pod, 'status', 'phase'));
  const total = list(at(pod, 'spec', 'containers')).length;
  let ready = 0;
  let restarts = 0;
  let running = false;
  const statuses = list(at(pod, 'status', 'containerStatuses'));
  for (let i = statuses.length - 1; i >= 0; i--) {
    const status = statuses[i];
    restarts += count(at(status, 'restartCount'));
    const waiting = text(at(status, 'state', 'waiting', 'reason'));
    const terminated = at(status, 'state', 'terminated');
    if (waiting !== '') reason = waiting;
    else if (terminated !== undefined) {
      const terminatedReason = text(at(terminated, 'reason'));
      if (terminatedReason !== '') reason = terminatedReason;
      else if (count(at(terminated, 'signal')) !== 0) reason = `Signal:${count(at(terminated, 'signal'))}`;
      else reason = `ExitCode:${count(at(terminated, 'exitCode'))}`;
    } else if (at(status, 'state', 'running') !== undefined && at(status, 'ready') === true) {
      running = true;
      ready++;
    }
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (at(pod, 'metadata', 'deletionTimestamp') !== undefined)
    reason = text(at(pod, 'status', 'reason')) === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready, total, restarts, reason };
}

const PODS: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted.'),
    AGE,
    column('IP', 'string', 'podIP address allocated to the pod.', 1),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    column('Nominated Node', 'string', 'nominatedNodeName is set when this pod preempts other pods on the node.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(pod, now) {
    const { ready, total, restarts, reason } = podStatus(pod);
    return [
      pod.metadata.name,
      `${ready}/${total}`,
      reason,
      String(restarts),
      age(pod, now),
      text(at(pod, 'status', 'podIP'), '<none>'),
      text(at(pod, 'spec', 'nodeName'), '<none>'),
      text(at(pod, 'status', 'nominatedNodeName'), '<none>'),
      '<none>',
    ];
  },
};

function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value !== '') roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: DeepReadonly<KubeObject>, type: string): string {
  const address = list(at(node, 'status', 'addresses')).find((a) => at(a, 'type') === type);
  return text(at(address, 'address'), '<none>');
}

const NODES: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r'.", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API.', 1),
  ],
  cells(node, now) {
    const ready = list(at(node, 'status', 'conditions')).find((c) => at(c, 'type') === 'Ready');
    const status = [at(ready, 'status') === 'True' ? 'Ready' : at(ready, 'status') === 'False' ? 'NotReady' : 'Unknown'];
    if (at(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
    const info = (key: string): string => text(at(node, 'status', 'nodeInfo', key), '<unknown>');
    return [
      node.metadata.name,
      status.join(','),
      nodeRoles(node.metadata.labels),
      age(node, now),
      text(at(node, 'status', 'nodeInfo', 'kubeletVersion')),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info('osImage'),
      info('kernelVersion'),
      info('containerRuntimeVersion'),
    ];
  },
};

const DEPLOYMENTS: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(deployment, now) {
    const desired = typeof at(deployment, 'spec', 'replicas') === 'number' ? count(at(deployment, 'spec', 'replicas')) : 1;
    return [
      deployment.metadata.name,
      `${count(at(deployment, 'status', 'readyReplicas'))}/${desired}`,
      count(at(deployment, 'status', 'updatedReplicas')),
      count(at(deployment, 'status', 'availableReplicas')),
      age(deployment, now),
      ...templateCells(deployment),
    ];
  },
};

/** ReplicaSets and ReplicationControllers. */
const REPLICAS: Printer = {
  columns: [
    NAME,
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(rs, now) {
    const desired = typeof at(rs, 'spec', 'replicas') === 'number' ? count(at(rs, 'spec', 'replicas')) : 1;
    return [
      rs.metadata.name,
      desired,
      count(at(rs, 'status', 'replicas')),
      count(at(rs, 'status', 'readyReplicas')),
      age(rs, now),
      ...templateCells(rs),
    ];
  },
};

const DAEMON_SETS: Printer = {
  columns: [
    NAME,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    column(
      'Ready',
      'integer',
      'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
    ),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(ds, now) {
    return [
      ds.metadata.name,
      count(at(ds, 'status', 'desiredNumberScheduled')),
      count(at(ds, 'status', 'currentNumberScheduled')),
      count(at(ds, 'status', 'numberReady')),
      count(at(ds, 'status', 'updatedNumberScheduled')),
      count(at(ds, 'status', 'numberAvailable')),
      formatLabels(at(ds, 'spec', 'template', 'spec', 'nodeSelector')),
      age(ds, now),
      ...templateCells(ds),
    ];
  },
};

const STATEFUL_SETS: Printer = {
  columns: [NAME, column('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  cells(sts, now) {
    const desired = typeof at(sts, 'spec', 'replicas') === 'number' ? count(at(sts, 'spec', 'replicas')) : 1;
    return [sts.metadata.name, `${count(at(sts, 'status', 'readyReplicas'))}/${desired}`, age(sts, now), ...templateCells(sts).slice(0, 2)];
  },
};

function jobCondition(job: DeepReadonly<KubeObject>, type: string): boolean {
  return list(at(job, 'status', 'conditions')).some((c) => at(c, 'type') === type && at(c, 'status') === 'True');
}

const JOBS: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(job, now) {
    const succeeded = count(at(job, 'status', 'succeeded'));
    const completions = at(job, 'spec', 'completions');
    const parallelism = count(at(job, 'spec', 'parallelism'));
    const shown =
      typeof completions === 'number'
        ? `${succeeded}/${completions}`
        : parallelism > 1
          ? `${succeeded}/1 of ${parallelism}`
          : `${succeeded}/1`;
    const start = at(job, 'status', 'startTime');
    const end = at(job, 'status', 'completionTime');
    const duration = typeof start !== 'string' ? '' : humanDuration((typeof end === 'string' ? Date.parse(end) : now) - Date.parse(start));
    let status = 'Running';
    if (jobCondition(job, 'Complete')) status = 'Complete';
    else if (jobCondition(job, 'Failed')) status = 'Failed';
    else if (job.metadata.deletionTimestamp !== undefined) status = 'Terminating';
    else if (jobCondition(job, 'Suspended')) status = 'Suspended';
    else if (jobCondition(job, 'FailureTarget')) status = 'FailureTarget';
    else if (jobCondition(job, 'SuccessCriteriaMet')) status = 'SuccessCriteriaMet';
    return [job.metadata.name, status, shown, duration, age(job, now), ...templateCells(job)];
  },
};

const CRON_JOBS: Printer = {
  columns: [
    NAME,
    column('Schedule', 'string', 'The schedule in Cron format.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  cells(cj, now) {
    const containers = list(at(cj, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers'));
    const last = at(cj, 'status', 'lastScheduleTime');
    return [
      cj.metadata.name,
      text(at(cj, 'spec', 'schedule')),
      text(at(cj, 'spec', 'timeZone'), '<none>'),
      at(cj, 'spec', 'suspend') === true,
      list(at(cj, 'status', 'active')).length,
      typeof last === 'string' ? since(last, now) : '<none>',
      age(cj, now),
      containers.map((c) => text(at(c, 'name'))).join(','),
      containers.map((c) => text(at(c, 'image'))).join(','),
      formatSelector(at(cj, 'spec', 'jobTemplate', 'spec', 'selector')),
    ];
  },
};

const PDBS: Printer = {
  columns: [
    NAME,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE,
  ],
  cells(pdb, now) {
    return [
      pdb.metadata.name,
      intOrString(at(pdb, 'spec', 'minAvailable')),
      intOrString(at(pdb, 'spec', 'maxUnavailable')),
      count(at(pdb, 'status', 'disruptionsAllowed')),
      age(pdb, now),
    ];
  },
};

const EVENTS: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
      1,
    ),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded.', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    column('Name', 'string', 'Name must be unique within a namespace.', 1, 'name'),
  ],
  // Core v1 Events (events.k8s.io ones are stored as core Events and printed from that shape).
  cells(event, now) {
    let first = since(at(event, 'firstTimestamp'), now);
    if (typeof at(event, 'firstTimestamp') !== 'string') first = since(at(event, 'eventTime'), now);
    let last = typeof at(event, 'lastTimestamp') === 'string' ? since(at(event, 'lastTimestamp'), now) : first;
    let times = count(at(event, 'count'));
    if (at(event, 'series') !== undefined) {
      last = since(at(event, 'series', 'lastObservedTime'), now);
      times = count(at(event, 'series', 'count'));
    } else if (times === 0) times = 1;
    const kind = text(at(event, 'involvedObject', 'kind')).toLowerCase();
    const name = text(at(event, 'involvedObject', 'name'));
    const component = text(at(event, 'source', 'component')) || text(at(event, 'reportingComponent'));
    const host = text(at(event, 'source', 'host')) || text(at(event, 'reportingInstance'));
    return [
      last,
      text(at(event, 'type')),
      text(at(event, 'reason')),
      name === '' ? kind : `${kind}/${name}`,
      text(at(event, 'involvedObject', 'fieldPath')),
      host === '' ? component : `${component}, ${host}`,
      text(at(event, 'message')).trim(),
      first,
      String(times),
      event.metadata.name,
    ];
  },
};

const LEASES: Printer = {
  columns: [NAME, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE],
  cells: (lease, now) => [lease.metadata.name, text(at(lease, 'spec', 'holderIdentity')), age(lease, now)],
};

const CONFIG_MAPS: Printer = {
  columns: [NAME, column('Data', 'integer', 'Data contains the configuration data.'), AGE],
  cells(cm, now) {
    const data = at(cm, 'data');
    const binary = at(cm, 'binaryData');
    const size = (value: unknown): number => (typeof value === 'object' && value !== null ? Object.keys(value).length : 0);
    return [cm.metadata.name, size(data) + size(binary), age(cm, now)];
  },
};

const NAMESPACES: Printer = {
  columns: [NAME, column('Status', 'string', 'The status of the namespace'), AGE],
  cells: (ns, now) => [ns.metadata.name, text(at(ns, 'status', 'phase'), 'Active'), age(ns, now)],
};

const SERVICES: Printer = {
  columns: [
    NAME,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
    column(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(svc, now) {
    const ports = list(at(svc, 'spec', 'ports')).map((p) => {
      const nodePort = count(at(p, 'nodePort'));
      return `${count(at(p, 'port'))}${nodePort > 0 ? `:${nodePort}` : ''}/${text(at(p, 'protocol'), 'TCP')}`;
    });
    const external = list(at(svc, 'spec', 'externalIPs')).map((ip) => text(ip));
    return [
      svc.metadata.name,
      text(at(svc, 'spec', 'type'), 'ClusterIP'),
      text(at(svc, 'spec', 'clusterIP'), '<none>'),
      external.length === 0 ? '<none>' : external.join(','),
      ports.length === 0 ? '<none>' : ports.join(','),
      age(svc, now),
      formatLabels(at(svc, 'spec', 'selector')),
    ];
  },
};

/** The server's fallback for a kind without a printer: name and creation time. */
export const DEFAULT_PRINTER: Printer = {
  columns: [
    NAME,
    column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  ],
  cells: (object) => [object.metadata.name, object.metadata.creationTimestamp],
};

const BY_KIND: Readonly<Record<string, Printer>> = {
  Pod: PODS,
  Node: NODES,
  Deployment: DEPLOYMENTS,
  ReplicaSet: REPLICAS,
  ReplicationController: REPLICAS,
  DaemonSet: DAEMON_SETS,
  StatefulSet: STATEFUL_SETS,
  Job: JOBS,
  CronJob: CRON_JOBS,
  PodDisruptionBudget: PDBS,
  Event: EVENTS,
  Lease: LEASES,
  ConfigMap: CONFIG_MAPS,
  Namespace: NAMESPACES,
  Service: SERVICES,
};

/** The printer of a stored kind. */
export function printerFor(kind: string): Printer {
  return BY_KIND[kind] ?? DEFAULT_PRINTER;
}
