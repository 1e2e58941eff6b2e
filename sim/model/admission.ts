// What the API server does to an object between the request and storage, per kind: defaulting
// (the pod's default tolerations, grace period, QoS class), validation with the server's messages
// (a Lease's MicroTime needs six fractional digits, a PDB takes minAvailable or maxUnavailable, an
// Event's namespace must match what it is about), and the rules of the status subresource.

import { badRequest, invalid } from './api-errors';
import { parseMicroTime, parseTime, formatTime } from './clock';
import { cpuMilli, memoryBytes } from '../../core/quantity';
import { matchesSelector, selectorFromKubernetes } from '../../core/selector';
import { InputError } from '../../core/errors';
import {
  isRecord,
  sameJson,
  type Container,
  type Deployment,
  type KubeObject,
  type Lease,
  type Node,
  type Pod,
  type PodDisruptionBudget,
  type Toleration,
} from './objects';
import type { ResourceType } from './resources';

// The DefaultTolerationSeconds admission plugin: every pod tolerates a NotReady or unreachable node
// for five minutes before the taint manager evicts it.
export const DEFAULT_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The object's name problems, as the API server words them. */
export function nameProblem(resource: ResourceType, name: string): string | undefined {
  if (resource.kind === 'Namespace') {
    return DNS_LABEL.test(name) && name.length <= 63
      ? undefined
      : `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`;
  }
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    return `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

/** Requests of a pod as the scheduler counts them: containers summed, init containers at most, plus overhead. */
export function podRequests(spec: Pod['spec']): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of spec.containers) {
    cpu += cpuMilli(c.resources?.requests?.cpu);
    memory += memoryBytes(c.resources?.requests?.memory);
  }
  for (const c of spec.initContainers ?? []) {
    // A native sidecar (restartPolicy Always) runs beside the app containers: it adds up.
    if (c.restartPolicy === 'Always') {
      cpu += cpuMilli(c.resources?.requests?.cpu);
      memory += memoryBytes(c.resources?.requests?.memory);
    } else {
      cpu = Math.max(cpu, cpuMilli(c.resources?.requests?.cpu));
      memory = Math.max(memory, memoryBytes(c.resources?.requests?.memory));
    }
  }
  cpu += cpuMilli(spec.overhead?.cpu);
  memory += memoryBytes(spec.overhead?.memory);
  return { cpu, memory };
}

function qosClass(containers: readonly Container[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const resource of ['cpu', 'memory']) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (limit === undefined || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);
const withDefaultTolerations = new WeakMap<readonly Toleration[], Toleration[]>();
const qosOfContainers = new WeakMap<readonly Container[], 'Guaranteed' | 'Burstable' | 'BestEffort'>();

function covers(toleration: Toleration, extra: Toleration): boolean {
  return (
    toleration.operator === 'Exists' &&
    (toleration.key === undefined || toleration.key === '' || toleration.key === extra.key) &&
    (toleration.effect === undefined || toleration.effect === '' || toleration.effect === 'NoExecute')
  );
}

/**
 * The pod's tolerations with the DefaultTolerationSeconds ones added when missing. Remembered per
 * input array: the pods of one template share one (never modified) array.
 */
function defaultTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  const base = tolerations ?? NO_TOLERATIONS;
  let result = withDefaultTolerations.get(base);
  if (result === undefined) {
    const missing = DEFAULT_TOLERATIONS.filter((extra) => !base.some((t) => covers(t, extra)));
    result = missing.length === 0 ? (base as Toleration[]) : [...base, ...missing.map((t) => ({ ...t }))];
    withDefaultTolerations.set(base, result);
  }
  return result;
}

/**
 * Pod defaults the API server and its admission plugins fill in on create. Nested arrays may be
 * shared with other pods of the same template, so they are replaced, never edited.
 */
export function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  spec.terminationGracePeriodSeconds ??= 30;
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.priority ??= 0;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.serviceAccountName ??= 'default';
  spec.tolerations = defaultTolerations(spec.tolerations);
  let qos = qosOfContainers.get(spec.containers);
  if (qos === undefined || spec.initContainers !== undefined) {
    qos = qosClass([...spec.containers, ...(spec.initContainers ?? [])]);
    if (spec.initContainers === undefined) qosOfContainers.set(spec.containers, qos);
  }
  // Status is the kubelet's: a new pod is Pending whatever the client sent.
  pod.status = { phase: 'Pending', qosClass: qos };
}

export function validatePod(resource: ResourceType, pod: Pod): void {
  const causes: { field: string; message: string }[] = [];
  if (!Array.isArray(pod.spec?.containers) || pod.spec.containers.length === 0)
    causes.push({ field: 'spec.containers', message: 'Required value' });
  else {
    pod.spec.containers.forEach((c, i) => {
      if (!isRecord(c) || typeof c.name !== 'string' || c.name === '')
        causes.push({ field: `spec.containers[${i}].name`, message: 'Required value' });
    });
  }
  if (causes.length > 0) throw invalid(resource, pod.metadata.name, causes);
}

/**
 * A pod update may change labels, annotations and a few spec fields (images, activeDeadlineSeconds,
 * added tolerations); anything else is refused, as by the real server.
 */
export function validatePodUpdate(resource: ResourceType, previous: Pod, next: Pod): void {
  const strip = (spec: Pod['spec']): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...spec };
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    copy.containers = spec.containers.map((c) => ({ ...c, image: undefined }));
    return copy;
  };
  if (!sameJson(strip(previous.spec), strip(next.spec))) {
    throw invalid(resource, next.metadata.name, [
      {
        field: 'spec',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      },
    ]);
  }
}

function checkIntOrPercent(value: unknown, field: string, causes: { field: string; message: string }[]): void {
  if (value === undefined) return;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      causes.push({ field, message: `Invalid value: ${value}: must be greater than or equal to 0` });
  } else if (typeof value === 'string') {
    const match = /^(\d+)%$/.exec(value);
    if (match === null)
      causes.push({
        field,
        message: `Invalid value: "${value}": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      });
    else if (Number(match[1]) > 100) causes.push({ field, message: `Invalid value: "${value}": must not be greater than 100%` });
  } else causes.push({ field, message: `Invalid value: ${JSON.stringify(value)}: must be an integer or a percentage` });
}

function checkSelector(selector: unknown, field: string, causes: { field: string; message: string }[]): void {
  if (selector === undefined || selector === null) return;
  try {
    selectorFromKubernetes(selector as never);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const problem of error.problems)
      causes.push({ field: `${field}.${problem.split(':')[0]}`, message: problem.split(': ').slice(1).join(': ') });
  }
}

export function validatePdb(resource: ResourceType, pdb: PodDisruptionBudget): void {
  const causes: { field: string; message: string }[] = [];
  const spec = isRecord(pdb.spec) ? pdb.spec : {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    causes.push({
      field: 'spec',
      message: 'Invalid value: policy.PodDisruptionBudgetSpec{…}: minAvailable and maxUnavailable cannot be both set',
    });
  }
  checkIntOrPercent(spec.minAvailable, 'spec.minAvailable', causes);
  checkIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', causes);
  checkSelector(spec.selector, 'spec.selector', causes);
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
    causes.push({
      field: 'spec.unhealthyPodEvictionPolicy',
      message: `Unsupported value: "${String(policy)}": supported values: "AlwaysAllow", "IfHealthyBudget"`,
    });
  }
  if (causes.length > 0) throw invalid(resource, pdb.metadata.name, causes);
}

/** The defaults the API server gives a new Job: counts, and the selector and labels tying it to its pods. */
export function defaultJob(job: KubeObject): void {
  const spec = job.spec as { template?: { metadata?: { labels?: Record<string, string> } } } & Record<string, unknown>;
  spec.parallelism ??= 1;
  spec.completions ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  const ids = {
    'batch.kubernetes.io/controller-uid': job.metadata.uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': job.metadata.uid,
    'job-name': job.metadata.name,
  };
  spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } };
  if (spec.template !== undefined)
    spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, ...ids } };
}

export function defaultDeployment(deployment: Deployment): void {
  deployment.spec.replicas ??= 1;
  deployment.spec.template.spec.terminationGracePeriodSeconds ??= 30;
  deployment.spec.template.spec.restartPolicy ??= 'Always';
}

/**
 * A Service's defaults as the API server fills them in: type ClusterIP, no session affinity, each
 * port TCP to the same target port. No cluster IP is allocated: nothing in the model routes traffic.
 */
export function defaultService(service: KubeObject): void {
  if (!isRecord(service.spec)) service.spec = {};
  const spec = service.spec as Record<string, unknown>;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (Array.isArray(spec.ports)) {
    spec.ports = spec.ports.map((port: unknown) =>
      isRecord(port) ? { protocol: 'TCP', ...port, targetPort: port.targetPort ?? port.port } : port,
    );
  }
}

export function validateDeployment(resource: ResourceType, deployment: Deployment): void {
  const causes: { field: string; message: string }[] = [];
  const spec = deployment.spec;
  if (!isRecord(spec)) throw invalid(resource, deployment.metadata.name, [{ field: 'spec', message: 'Required value' }]);
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    causes.push({ field: 'spec.replicas', message: `Invalid value: ${String(spec.replicas)}: must be greater than or equal to 0` });
  }
  if (!isRecord(spec.selector)) causes.push({ field: 'spec.selector', message: 'Required value' });
  else checkSelector(spec.selector, 'spec.selector', causes);
  if (!isRecord(spec.template) || !isRecord(spec.template.spec) || !Array.isArray(spec.template.spec.containers)) {
    causes.push({ field: 'spec.template.spec.containers', message: 'Required value' });
  } else if (isRecord(spec.selector) && causes.length === 0) {
    const selector = selectorFromKubernetes(spec.selector as never);
    const labels = spec.template.metadata?.labels ?? {};
    if (selector === undefined || !matchesSelector(selector, labels)) {
      causes.push({
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
      });
    }
  }
  if (causes.length > 0) throw invalid(resource, deployment.metadata.name, causes);
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TAINT_EFFECTS: ReadonlySet<string> = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/**
 * A node's taints as the API server checks them: a known effect, a value that is a label value (no
 * colon: a taint cannot carry an RFC 3339 time), each key and effect pair once.
 */
export function validateNode(resource: ResourceType, node: Node): void {
  const taints = node.spec.taints;
  if (taints === undefined || taints === null) return;
  if (!Array.isArray(taints) || !taints.every(isRecord))
    throw badRequest(
      'Node in version "v1" cannot be handled as a Node: json: cannot unmarshal into Go struct field NodeSpec.spec.taints of type []v1.Taint',
    );
  const causes: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  taints.forEach((taint, i) => {
    const field = `spec.taints[${i}]`;
    if (!TAINT_EFFECTS.has(taint.effect))
      causes.push({
        field: `${field}.effect`,
        message: `Unsupported value: "${String(taint.effect)}": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
      });
    const value = taint.value ?? '';
    if (value.length > 63)
      causes.push({ field: `${field}.value`, message: `Invalid value: "${value}": must be no more than 63 characters` });
    else if (!LABEL_VALUE.test(value))
      causes.push({
        field: `${field}.value`,
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    const pair = `${taint.key}\u0000${taint.effect}`;
    if (seen.has(pair))
      causes.push({
        field,
        message: `Duplicate value: core.Taint{Key:"${taint.key}", Value:"${value}", Effect:"${taint.effect}"}: taints must be unique by key and effect pair`,
      });
    seen.add(pair);
  });
  if (causes.length > 0) throw invalid(resource, node.metadata.name, causes);
}

/** Lease times are MicroTime: RFC3339 with exactly six fractional digits (Go's RFC3339Micro). */
export function validateLease(resource: ResourceType, lease: Lease): void {
  const spec = lease.spec;
  if (spec === undefined) return;
  if (!isRecord(spec))
    throw badRequest(`Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal into Go struct field Lease.spec`);
  for (const field of ['acquireTime', 'renewTime'] as const) {
    const value = spec[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || parseMicroTime(value) === undefined) {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      const fraction = typeof value === 'string' ? (/\.(\d*)[^\d]*$/.exec(value)?.[1] ?? '') : '';
      throw badRequest(
        `Lease in version "v1" cannot be handled as a Lease: parsing time "${shown}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${fraction === '' ? shown.slice(19) : `${fraction}Z`}" as ".000000"`,
      );
    }
  }
  const causes: { field: string; message: string }[] = [];
  if (spec.leaseDurationSeconds !== undefined && (!Number.isInteger(spec.leaseDurationSeconds) || spec.leaseDurationSeconds <= 0)) {
    causes.push({
      field: 'spec.leaseDurationSeconds',
      message: `Invalid value: ${String(spec.leaseDurationSeconds)}: must be greater than 0`,
    });
  }
  if (spec.leaseTransitions !== undefined && (!Number.isInteger(spec.leaseTransitions) || spec.leaseTransitions < 0)) {
    causes.push({
      field: 'spec.leaseTransitions',
      message: `Invalid value: ${String(spec.leaseTransitions)}: must be greater than or equal to 0`,
    });
  }
  if (causes.length > 0) throw invalid(resource, lease.metadata.name, causes);
}

/**
 * Core/v1 Event rules: an event about a namespaced object lives in that object's namespace; one
 * about a cluster-scoped object (a Node) in `default`. metav1.Time fields are stored to the second.
 */
export function admitEvent(resource: ResourceType, event: KubeObject): void {
  const causes: { field: string; message: string }[] = [];
  const involved = isRecord(event.involvedObject) ? event.involvedObject : undefined;
  const namespace = event.metadata.namespace ?? '';
  const involvedNamespace = typeof involved?.namespace === 'string' ? involved.namespace : '';
  if (involvedNamespace === '') {
    if (namespace !== '' && namespace !== 'default') {
      causes.push({ field: 'involvedObject.namespace', message: `Invalid value: "": does not match event.namespace` });
    }
  } else if (involvedNamespace !== namespace) {
    causes.push({ field: 'involvedObject.namespace', message: `Invalid value: "${involvedNamespace}": does not match event.namespace` });
  }
  if (event.type !== undefined && event.type !== 'Normal' && event.type !== 'Warning') {
    causes.push({ field: 'type', message: `Unsupported value: "${String(event.type)}": supported values: "Normal", "Warning"` });
  }
  if (
    event.eventTime !== undefined &&
    event.eventTime !== null &&
    (typeof event.eventTime !== 'string' || parseMicroTime(event.eventTime) === undefined)
  ) {
    throw badRequest(
      `Event in version "v1" cannot be handled as a Event: parsing time "${String(event.eventTime)}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse as ".000000"`,
    );
  }
  for (const field of ['firstTimestamp', 'lastTimestamp'] as const) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    const ms = typeof value === 'string' ? parseTime(value) : undefined;
    if (ms === undefined)
      throw badRequest(
        `Event in version "v1" cannot be handled as a Event: parsing time "${String(value)}" as "2006-01-02T15:04:05Z07:00": cannot parse`,
      );
    event[field] = formatTime(ms);
  }
  if (causes.length > 0) throw invalid(resource, event.metadata.name, causes);
}

/** events.k8s.io/v1 requires what the newer API is built on: an eventTime, a controller, an action. */
export function validateEventsV1(resource: ResourceType, event: KubeObject): void {
  const causes: { field: string; message: string }[] = [];
  if (event.eventTime === undefined || event.eventTime === null) causes.push({ field: 'eventTime', message: 'Required value' });
  for (const field of ['reportingController', 'reportingInstance', 'action', 'reason']) {
    if (typeof event[field] !== 'string' || event[field] === '') causes.push({ field, message: 'Required value' });
  }
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    causes.push({ field: 'type', message: `Unsupported value: "${String(event.type ?? '')}": supported values: "Normal", "Warning"` });
  }
  if (typeof event.note === 'string' && event.note.length > 1024)
    causes.push({ field: 'note', message: 'Too long: may not be longer than 1024' });
  if (causes.length > 0) throw invalid(resource, event.metadata.name, causes);
}
