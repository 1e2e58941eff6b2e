// When the policy protects local storage, a pod with emptyDir/hostPath data stays. Explicit consent
// outweighs local data: safe-to-evict=true, the descheduler's evict annotation, or
// safe-to-evict-local-volumes naming every local volume of the pod (cluster-autoscaler's rule:
// comma-separated, exact names, no trimming; one local volume left out and the pod stays).

import { DESCHEDULER_EVICT, SAFE_TO_EVICT, SAFE_TO_EVICT_LOCAL_VOLUMES } from '../annotations';
import type { PodView } from '../views';
import type { EvictionRule } from './types';

function everyLocalVolumeListed(pod: PodView): boolean {
  const listed = pod.annotations[SAFE_TO_EVICT_LOCAL_VOLUMES];
  // Without the volume names (a view built by hand) consent cannot be checked: the pod stays.
  if (listed === undefined || pod.localVolumes === undefined) return false;
  const names = new Set(listed.split(','));
  return pod.localVolumes.every((volume) => names.has(volume));
}

export const localStorage: EvictionRule = (pod, ctx) =>
  ctx.protectLocalStorage &&
  pod.localStorage &&
  pod.annotations[SAFE_TO_EVICT] !== 'true' &&
  pod.annotations[DESCHEDULER_EVICT] === undefined &&
  !everyLocalVolumeListed(pod)
    ? { kind: 'blocked', rule: 'local-storage', detail: 'uses local storage (emptyDir/hostPath)' }
    : undefined;
