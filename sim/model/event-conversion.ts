// events.k8s.io/v1 and core/v1 Events are one stored object seen through two APIs, as in
// Kubernetes (pkg/apis/events/v1/conversion.go): `note` is `message`, `regarding` is
// `involvedObject`, `reportingController` is `reportingComponent`, and the old fields carry a
// `deprecated` prefix. The model stores the core form.

import type { KubeObject } from './objects';

const RENAMES: readonly (readonly [events: string, core: string])[] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(object: KubeObject, from: 0 | 1): KubeObject {
  const to = from === 0 ? 1 : 0;
  const out: KubeObject = { ...object };
  for (const pair of RENAMES) {
    const source = pair[from];
    if (source in out) {
      const value = out[source];
      delete out[source];
      if (value !== undefined) out[pair[to]] = value;
    }
  }
  return out;
}

export function eventsV1ToCore(event: KubeObject): KubeObject {
  return { ...rename(event, 0), apiVersion: 'v1', kind: 'Event' };
}

export function coreToEventsV1(event: KubeObject): KubeObject {
  return { ...rename(event, 1), apiVersion: 'events.k8s.io/v1', kind: 'Event' };
}
