// A kube-system pod that is neither a DaemonSet's nor a mirror pod runs something the cluster needs
// (CoreDNS, metrics-server, konnectivity): moving it is allowed only when a PodDisruptionBudget
// says how many may be away. Without one it stays, as under cluster-autoscaler, until it is older
// than the policy's blockingSystemPodTimeout (cluster-autoscaler's
// --blocking-system-pod-distruption-timeout, 1h): a system pod stuck on a node for longer should
// not keep the node forever. A pod whose creation time is unknown never ages out.

import { SAFE_TO_EVICT } from '../annotations';
import { matchesSelector } from '../selector';
import type { EvictionRule } from './types';

export const KUBE_SYSTEM = 'kube-system';

export const kubeSystemPod: EvictionRule = (pod, ctx) => {
  // safe-to-evict=true is its owner's word that it may move, as under cluster-autoscaler.
  if (pod.namespace !== KUBE_SYSTEM || pod.annotations[SAFE_TO_EVICT] === 'true') return undefined;
  // A PDB's selector covers pods of its own namespace only; a null selector covers none.
  for (const pdb of ctx.pdbs ?? [])
    if (pdb.namespace === pod.namespace && pdb.selector && matchesSelector(pdb.selector, pod.labels)) return undefined;
  const { now, systemPodTimeoutMs } = ctx;
  if (now !== undefined && systemPodTimeoutMs !== undefined && pod.createdAt > 0 && now > pod.createdAt + systemPodTimeoutMs)
    return undefined;
  return { kind: 'blocked', rule: 'kube-system-pod', detail: 'is a kube-system pod no PodDisruptionBudget covers' };
};
