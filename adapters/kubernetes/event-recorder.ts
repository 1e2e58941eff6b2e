// Kubernetes Events on the objects acted on, so `kubectl describe node` shows what graceful-scaler
// did and why. Events are best effort: a failure to record one never fails the tick.

import * as k8s from '@kubernetes/client-node';
import { REPORTING_COMPONENT } from '../../core/annotations';
import type { EventSink, ObjectRef } from '../../runner/ports';
import type { Clients } from './clients';

export class KubernetesEventRecorder implements EventSink {
  constructor(
    private readonly clients: Clients,
    private readonly instance: string,
    private readonly clock: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async emit(ref: ObjectRef, event: { reason: string; message: string; type: 'Normal' | 'Warning'; action: string }): Promise<void> {
    // Cluster-scoped objects (nodes) get their events in `default`, as kubectl expects.
    const namespace = ref.namespace ?? 'default';
    const now = new Date(this.clock());
    try {
      // A retry after a lost answer may record the Event twice: harmless, and rare.
      await this.clients.call(`record Event ${event.reason}`, () =>
        this.clients.core.createNamespacedEvent({
          namespace,
          body: {
            metadata: { generateName: 'graceful-scaler-', namespace },
            involvedObject: {
              apiVersion: ref.kind === 'Deployment' ? 'apps/v1' : 'v1',
              kind: ref.kind,
              name: ref.name,
              ...(ref.namespace ? { namespace: ref.namespace } : {}),
            },
            reason: event.reason,
            message: event.message.slice(0, 1024),
            type: event.type,
            action: event.action,
            source: { component: 'graceful-scaler' },
            reportingComponent: REPORTING_COMPONENT,
            reportingInstance: this.instance,
            firstTimestamp: now,
            lastTimestamp: now,
            eventTime: new k8s.V1MicroTime(now.getTime()),
            count: 1,
          },
        }),
      );
    } catch (err) {
      this.onError(err);
    }
  }
}
