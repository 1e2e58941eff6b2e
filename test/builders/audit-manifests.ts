// Kubernetes manifests for the audit's tests, as a person writes them, and the audit run over them.

import { audit, type AuditReport, type AuditSettings } from '../../core/audit';
import { auditObjectsFromLists } from '../../adapters/kubernetes/audit-objects';

export type Manifest = Record<string, any>;

export const NS = 'clomo';

export function runAudit(manifests: readonly Manifest[], settings: Partial<AuditSettings> = {}): AuditReport {
  return audit(auditObjectsFromLists([{ source: 'test', json: { apiVersion: 'v1', kind: 'List', items: manifests } }]), settings);
}

export function container(name = 'app', extra: Manifest = {}): Manifest {
  return { name, image: `example.azurecr.io/${name}:1.0`, ...extra };
}

export function deployment(
  name: string,
  podSpec: Manifest = {},
  options: { replicas?: number; annotations?: Record<string, string>; labels?: Record<string, string> } = {},
): Manifest {
  const labels = options.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
        spec: { containers: [container(name)], ...podSpec },
      },
    },
  };
}

export function job(name: string, jobSpec: Manifest = {}, podSpec: Manifest = {}, annotations?: Record<string, string>): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      ...jobSpec,
      template: {
        metadata: annotations ? { annotations } : {},
        spec: { containers: [container(name)], restartPolicy: 'Never', ...podSpec },
      },
    },
  };
}

export function cronJob(name: string, schedule: string, jobSpec: Manifest = {}, podSpec: Manifest = {}): Manifest {
  const { spec } = job(name, jobSpec, podSpec);
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: NS }, spec: { schedule, jobTemplate: { spec } } };
}

export function pod(name: string, spec: Manifest = {}, metadata: Manifest = {}): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: name }, ...metadata },
    spec: { containers: [container(name)], ...spec },
  };
}

export function pdb(name: string, spec: Manifest, namespace = NS): Manifest {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec };
}

export function service(name: string, selector: Record<string, string>): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: { selector, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export function node(name: string, labels: Record<string, string> = {}, extra: Manifest = {}): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: extra,
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** A PDB for `app`, so that check 10 and 18 stay quiet in tests about other checks. */
export function goodPdb(app: string): Manifest {
  return pdb(app, { maxUnavailable: 1, selector: { matchLabels: { app } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
}
