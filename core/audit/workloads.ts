// Pods grouped into the workloads people write: pod → ReplicaSet → Deployment, pod → Job → CronJob,
// pod → StatefulSet / DaemonSet / ReplicationController / a custom controller, or a bare pod. A
// finding names the workload once, not each of its pods; controllers without pods are audited from
// their template, so a manifest can be checked before it runs.

import type { AuditObjects, JobSpec, KubeObject, OwnerReference, PodSpec, PodTemplate } from './objects';
import type { ObjectRef } from './types';

export interface Workload {
  ref: ObjectRef;
  /** The controller (or bare pod) object, when the dump holds it. */
  object: KubeObject | undefined;
  /** What kind of thing it is for the checks: a custom kind is `custom`. */
  shape: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'ReplicationController' | 'Job' | 'CronJob' | 'Pod' | 'custom';
  /** Where the pod template sits in the object (`spec.template`), '' for a pod. */
  templatePath: string;
  template: PodTemplate;
  pods: KubeObject[];
  /** Jobs and CronJobs: the Job spec and where it sits (`spec`, `spec.jobTemplate.spec`). */
  job?: { spec: JobSpec; path: string };
  /** A CronJob's Jobs (their runs), for their durations. */
  jobs: KubeObject[];
  /** `spec.replicas` of a replicated controller (default 1), else undefined. */
  replicas: number | undefined;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences.find((r) => r.controller === true);
}

export function isMirrorPod(pod: KubeObject): boolean {
  return pod.metadata.annotations['kubernetes.io/config.mirror'] !== undefined;
}

/** Succeeded or Failed: it holds nothing any more (cluster-autoscaler's terminal rule, loosely). */
export function isFinishedPod(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function templateAt(object: KubeObject, path: string): PodTemplate {
  let at: any = object;
  for (const part of path.split('.')) at = at?.[part];
  return {
    metadata: { labels: at?.metadata?.labels ?? EMPTY, annotations: at?.metadata?.annotations ?? EMPTY },
    spec: (at?.spec ?? {}) as PodSpec,
  };
}

function podTemplate(pod: KubeObject): PodTemplate {
  return { metadata: { labels: pod.metadata.labels, annotations: pod.metadata.annotations }, spec: (pod.spec ?? {}) as PodSpec };
}

const TEMPLATE_PATH: Readonly<Record<string, string>> = {
  Deployment: 'spec.template',
  ReplicaSet: 'spec.template',
  StatefulSet: 'spec.template',
  DaemonSet: 'spec.template',
  ReplicationController: 'spec.template',
  Job: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
};

function refOf(o: KubeObject): ObjectRef {
  return { ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}), kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name };
}

const REPLICATED: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

function replicasOf(o: KubeObject | undefined): number | undefined {
  if (!o || !REPLICATED.has(o.kind)) return undefined;
  const r = o.spec?.replicas;
  return typeof r === 'number' ? r : 1;
}

/** Every workload of the dump, in a stable order (namespace, kind, name). Mirror pods are no workload. */
export function groupWorkloads(objects: AuditObjects): Workload[] {
  const byKey = new Map<string, KubeObject>();
  const index = (list: readonly KubeObject[]) => {
    for (const o of list) byKey.set(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o);
  };
  index(objects.replicaSets);
  index(objects.jobs);
  index(objects.deployments);
  index(objects.cronJobs);
  const find = (kind: string, namespace: string, name: string) => byKey.get(`${kind}/${namespace}/${name}`);

  const workloads = new Map<string, Workload>();
  const workloadFor = (kind: string, namespace: string, name: string, object: KubeObject | undefined, fallback?: KubeObject): Workload => {
    const key = `${kind}/${namespace}/${name}`;
    let w = workloads.get(key);
    if (w) {
      if (!w.object && object) Object.assign(w, fromObject(object), { pods: w.pods, jobs: w.jobs });
      return w;
    }
    const shape = (TEMPLATE_PATH[kind] !== undefined ? kind : kind === 'Pod' ? 'Pod' : 'custom') as Workload['shape'];
    w = object
      ? fromObject(object)
      : {
          ref: { kind, namespace, name },
          object: undefined,
          shape,
          // A controller missing from the dump: its pods stand for its template.
          templatePath: TEMPLATE_PATH[kind] ?? '',
          template: fallback ? podTemplate(fallback) : { metadata: { labels: EMPTY, annotations: EMPTY }, spec: {} },
          pods: [],
          jobs: [],
          replicas: undefined,
          ...(kind === 'Job' ? { job: { spec: {}, path: 'spec' } } : {}),
        };
    workloads.set(key, w);
    return w;
  };

  // Top controllers first, so a controller with no pods still is a workload.
  for (const list of [objects.deployments, objects.statefulSets, objects.daemonSets, objects.replicationControllers, objects.cronJobs]) {
    for (const o of list) workloadFor(o.kind, o.metadata.namespace, o.metadata.name, o);
  }
  for (const rs of objects.replicaSets) {
    const owner = controllerOf(rs);
    if (owner?.kind === 'Deployment') continue;
    workloadFor('ReplicaSet', rs.metadata.namespace, rs.metadata.name, rs);
  }
  for (const job of objects.jobs) {
    const owner = controllerOf(job);
    if (owner?.kind === 'CronJob')
      workloadFor('CronJob', job.metadata.namespace, owner.name, find('CronJob', job.metadata.namespace, owner.name)).jobs.push(job);
    else if (!isFinishedJob(job)) workloadFor('Job', job.metadata.namespace, job.metadata.name, job);
  }

  for (const pod of objects.pods) {
    if (isMirrorPod(pod)) continue;
    const ns = pod.metadata.namespace;
    const owner = controllerOf(pod);
    let w: Workload;
    if (!owner) w = workloadFor('Pod', ns, pod.metadata.name, pod);
    else if (owner.kind === 'ReplicaSet') {
      const rs = find('ReplicaSet', ns, owner.name);
      const deployment = rs ? controllerOf(rs) : deploymentByHash(pod, owner.name);
      w =
        deployment?.kind === 'Deployment'
          ? workloadFor('Deployment', ns, deployment.name, find('Deployment', ns, deployment.name), pod)
          : workloadFor('ReplicaSet', ns, owner.name, rs, pod);
    } else if (owner.kind === 'Job') {
      const job = find('Job', ns, owner.name);
      const cron = job ? controllerOf(job) : undefined;
      w =
        cron?.kind === 'CronJob'
          ? workloadFor('CronJob', ns, cron.name, find('CronJob', ns, cron.name), pod)
          : workloadFor('Job', ns, owner.name, job, pod);
    } else w = workloadFor(owner.kind, ns, owner.name, undefined, pod);
    w.pods.push(pod);
  }
  // A controller missing from the dump: its running pods stand for its replicas.
  for (const w of workloads.values()) if (!w.object && REPLICATED.has(w.shape)) w.replicas = livePods(w).length;
  return [...workloads.values()].sort(
    (a, b) => cmp(a.ref.namespace, b.ref.namespace) || cmp(a.ref.kind, b.ref.kind) || cmp(a.ref.name, b.ref.name),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Deployment's ReplicaSet is named `<deployment>-<pod-template-hash>`: the owner when the ReplicaSet is not in the dump. */
function deploymentByHash(pod: KubeObject, replicaSet: string): OwnerReference | undefined {
  const hash = pod.metadata.labels['pod-template-hash'];
  return hash && replicaSet.endsWith(`-${hash}`) ? { kind: 'Deployment', name: replicaSet.slice(0, -hash.length - 1) } : undefined;
}

export function isFinishedJob(job: KubeObject): boolean {
  const conditions: { type?: string; status?: string }[] = job.status?.conditions ?? [];
  return conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function fromObject(o: KubeObject): Workload {
  const path = TEMPLATE_PATH[o.kind] ?? '';
  const shape = (TEMPLATE_PATH[o.kind] !== undefined ? o.kind : o.kind === 'Pod' ? 'Pod' : 'custom') as Workload['shape'];
  const w: Workload = {
    ref: refOf(o),
    object: o,
    shape,
    templatePath: path,
    template: path === '' ? podTemplate(o) : templateAt(o, path),
    pods: [],
    jobs: [],
    replicas: replicasOf(o),
  };
  if (o.kind === 'Job') w.job = { spec: (o.spec ?? {}) as JobSpec, path: 'spec' };
  if (o.kind === 'CronJob') w.job = { spec: (o.spec?.jobTemplate?.spec ?? {}) as JobSpec, path: 'spec.jobTemplate.spec' };
  return w;
}

/** Pods still running or waiting (not Succeeded/Failed). */
export function livePods(w: Workload): KubeObject[] {
  return w.pods.filter((p) => !isFinishedPod(p));
}

/** `spec.template.spec` + `.terminationGracePeriodSeconds`: a path inside the workload's pod spec. */
export function specPath(w: Workload, field: string): string {
  return w.templatePath === '' ? `spec.${field}` : `${w.templatePath}.spec.${field}`;
}

export function metaPath(w: Workload, field: string): string {
  return w.templatePath === '' ? `metadata.${field}` : `${w.templatePath}.metadata.${field}`;
}

/** Wraps `inner` (a patch of the pod: `{metadata: …}`, `{spec: …}`) at the workload's template path. */
export function atTemplate(w: Workload, inner: Record<string, unknown>): Record<string, unknown> {
  if (w.templatePath === '') return inner;
  return w.templatePath
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((acc, part) => ({ [part]: acc }), inner);
}

/** Wraps a patch of the Job spec at the workload's Job path. */
export function atJob(w: Workload, inner: Record<string, unknown>): Record<string, unknown> {
  return (w.job?.path ?? 'spec')
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((acc, part) => ({ [part]: acc }), inner);
}

/** Where a fix is applied: the workload, or for a custom controller (whose template path is unknown) the pod. */
export function fixTarget(w: Workload): ObjectRef {
  if (w.shape === 'custom' && w.pods[0]) return { kind: 'Pod', namespace: w.ref.namespace, name: w.pods[0].metadata.name };
  return w.ref;
}

export function allContainers(
  spec: PodSpec,
): { container: NonNullable<PodSpec['containers']>[number]; list: 'containers' | 'initContainers'; index: number }[] {
  return [
    ...(spec.initContainers ?? []).map((container, index) => ({ container, list: 'initContainers' as const, index })),
    ...(spec.containers ?? []).map((container, index) => ({ container, list: 'containers' as const, index })),
  ];
}
