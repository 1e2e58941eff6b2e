// Applies an audit fix to a set of manifests, as kubectl would: a JSON merge patch (RFC 7386), a
// strategic merge patch for the lists the audit's patches touch (containers, initContainers and
// volumes merged by name, ports by containerPort; a null deletes), a create, a replace or a delete.

import type { Fix } from '../../core/audit';
import { mergePatch } from '../../sim/model/patch';

type Json = Record<string, unknown>;

const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  volumeMounts: 'name',
  ports: 'containerPort',
};

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function strategicMerge(target: unknown, patch: unknown, field = ''): unknown {
  const key = MERGE_KEYS[field];
  if (Array.isArray(patch) && key !== undefined) {
    const out = Array.isArray(target) ? target.map((e) => structuredClone(e)) : [];
    for (const element of patch) {
      const at = out.findIndex((e) => isRecord(e) && isRecord(element) && e[key] === element[key]);
      if (at >= 0) out[at] = strategicMerge(out[at], element);
      else out.push(strategicMerge(undefined, element));
    }
    return out;
  }
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Json = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = strategicMerge(out[k], v, k);
  }
  return out;
}

function matches(o: Json, target: { kind: string; namespace: string; name: string }): boolean {
  const m = o.metadata as Json;
  return o.kind === target.kind && m.name === target.name && (m.namespace ?? '') === target.namespace;
}

export function applyFix(manifests: readonly Json[], fix: Fix): Json[] {
  switch (fix.type) {
    case 'create':
      return [...manifests, fix.manifest];
    case 'delete':
      return manifests.filter((o) => !matches(o, fix.target));
    case 'replace':
      return [...manifests.filter((o) => !matches(o, fix.target)), fix.manifest];
    case 'merge':
    case 'strategic': {
      let found = false;
      const out = manifests.map((o) => {
        if (!matches(o, fix.target)) return o;
        found = true;
        return (fix.type === 'merge' ? mergePatch(o, fix.patch) : strategicMerge(o, fix.patch)) as Json;
      });
      if (!found)
        throw new Error(`the fix targets ${fix.target.kind} ${fix.target.namespace}/${fix.target.name}, which is not among the manifests`);
      return out;
    }
  }
}
