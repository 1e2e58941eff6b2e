// What every AKS builder shares (see aks.ts): the constants of the simulated cluster, the object
// types (the model's own), deterministic uids and names, and the mutators for any object.

import { BATCH_DEPLOYABLE_LABEL, SHUTDOWN_TAINT } from '../../core/annotations';
import type { Condition, Node, ObjectMeta, Pod } from '../../sim/model/objects';

export const DEFAULT_TIME = '2026-11-01T00:00:00Z';
export const AKS_CLUSTER_HASH = '27531488';
export const AKS_SUBSCRIPTION = '3f2a1c9e-8b7d-4e21-9c55-0d6b1a2e4f70';
export const AKS_NODE_RESOURCE_GROUP = 'mc_clomo-rg_clomo-prod_japaneast';
export const PROTECTED_LABEL = BATCH_DEPLOYABLE_LABEL;
export { SHUTDOWN_TAINT };

// ---------------------------------------------------------------------------------------------
// The objects are the model's own types (sim/model/objects.ts): what a builder makes is what the
// simulated cluster stores, and what `kubectl get -o json` prints.

/** The model's Node with every status field the builders fill, as AKS writes them. */
export type BuiltNode = Node & {
  status: Required<Pick<Node['status'], 'capacity' | 'allocatable' | 'conditions' | 'addresses' | 'nodeInfo'>>;
};

/** The model's Pod with the status fields the builders always fill. */
export type BuiltPod = Pod & { spec: { volumes?: PodVolume[] }; status: Required<Pick<Pod['status'], 'phase' | 'conditions'>> };

/** The builders' pod, for suites that name the type. */
export type RawPod = BuiltPod;

/** A pod volume (the model keeps volumes as they came). */
export interface PodVolume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  configMap?: { name: string };
}

export interface RawList {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: unknown[];
}

export type Mutator<T> = (object: T) => void;
export type WithMetadata = { kind: string; metadata: ObjectMeta };

// ---------------------------------------------------------------------------------------------
// Determinism helpers

export function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A UUID-shaped uid that is the same for the same object in every run. */
export function uidFor(kind: string, namespace: string | undefined, name: string): string {
  const text = `${kind}/${namespace ?? ''}/${name}`;
  const hex = [0x811c9dc5, 0x01234567, 0x89abcdef, 0x0badf00d].map((seed) => fnv1a(text, seed).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// The alphabet Kubernetes uses for generated name suffixes and pod-template hashes (no vowels).
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeString(text: string, length: number): string {
  let hash = fnv1a(text, 0x811c9dc5);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET.charAt(hash % SAFE_ALPHABET.length);
    hash = Math.floor(hash / SAFE_ALPHABET.length) || fnv1a(`${text}#${i}`, 0x01234567);
  }
  return out;
}

const SUFFIXES = SAFE_ALPHABET.length ** 5;

/**
 * A five-character suffix that differs for every n below 27^5 (14 million): multiplying by a number
 * prime to 27 permutes the residues, so names look scattered yet never collide, even in a
 * 150,000-pod benchmark.
 */
export function suffixFor(n: number): string {
  let k = (((n * 7919 + 104729) % SUFFIXES) + SUFFIXES) % SUFFIXES;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += SAFE_ALPHABET.charAt(k % SAFE_ALPHABET.length);
    k = Math.floor(k / SAFE_ALPHABET.length);
  }
  return out;
}

/** The pod-template-hash a Deployment named `name` would give its ReplicaSet. */
export function templateHash(deployment: string): string {
  return safeString(`template/${deployment}`, 9);
}

/** `iso` plus some seconds, printed as the API server prints times (no milliseconds). */
export function later(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function apiVersionOf(kind: string): string {
  switch (kind) {
    case 'ReplicaSet':
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
      return 'apps/v1';
    case 'Job':
    case 'CronJob':
      return 'batch/v1';
    default:
      return 'v1';
  }
}

export function setCondition(conditions: Condition[], condition: Condition): void {
  const index = conditions.findIndex((c) => c.type === condition.type);
  if (index >= 0) conditions[index] = condition;
  else conditions.push(condition);
}

// ---------------------------------------------------------------------------------------------
// Mutators for any object

/** Adds labels (merged over those already there). */
export function labelled(labels: Record<string, string>): Mutator<WithMetadata> {
  return (object) => {
    object.metadata.labels = { ...object.metadata.labels, ...labels };
  };
}

/** Adds annotations (merged over those already there). */
export function annotated(annotations: Record<string, string>): Mutator<WithMetadata> {
  return (object) => {
    object.metadata.annotations = { ...object.metadata.annotations, ...annotations };
  };
}

export function created(at: string): Mutator<WithMetadata> {
  return (object) => {
    object.metadata.creationTimestamp = at;
  };
}
