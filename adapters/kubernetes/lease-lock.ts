// One writer per scaler and cluster: a coordination.k8s.io Lease. The timer trigger is already a
// singleton per Function App; the Lease also covers a second app, a slot swap, or the CLI.

import * as k8s from '@kubernetes/client-node';
import type { LeaseLock } from '../../runner/ports';
import { statusOf, type Clients } from './clients';

export class KubernetesLeaseLock implements LeaseLock {
  constructor(
    private readonly clients: Clients,
    private readonly namespace: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async acquire(name: string, holder: string, durationSeconds: number): Promise<boolean> {
    const { coordination } = this.clients;
    const now = new k8s.V1MicroTime(this.clock());
    let lease: k8s.V1Lease;
    try {
      lease = await coordination.readNamespacedLease({ name, namespace: this.namespace });
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      try {
        await coordination.createNamespacedLease({
          namespace: this.namespace,
          body: { metadata: { name, namespace: this.namespace }, spec: { holderIdentity: holder, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } },
        });
        return true;
      } catch (createErr) {
        if (statusOf(createErr) === 409) return false; // another runner created it first
        throw createErr;
      }
    }
    const spec = lease.spec ?? {};
    // Read back, MicroTime arrives as a string whatever its declared type.
    const renewed = spec.renewTime ? Date.parse(String(spec.renewTime)) : 0;
    const expired = renewed + (spec.leaseDurationSeconds ?? durationSeconds) * 1000 < this.clock();
    const mine = spec.holderIdentity === holder;
    if (!mine && !expired && spec.holderIdentity) return false;
    try {
      await coordination.replaceNamespacedLease({
        name,
        namespace: this.namespace,
        body: {
          metadata: { name, namespace: this.namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: {
            holderIdentity: holder,
            leaseDurationSeconds: durationSeconds,
            acquireTime: mine && spec.acquireTime ? new k8s.V1MicroTime(Date.parse(String(spec.acquireTime))) : now,
            renewTime: now,
            leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
          },
        },
      });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false; // someone renewed or took it between our read and write
      throw err;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    const { coordination } = this.clients;
    try {
      const lease = await coordination.readNamespacedLease({ name, namespace: this.namespace });
      if (lease.spec?.holderIdentity !== holder) return;
      // Expire it rather than delete it: the history (transitions) stays for kubectl describe.
      await coordination.replaceNamespacedLease({
        name,
        namespace: this.namespace,
        body: {
          metadata: { name, namespace: this.namespace, resourceVersion: lease.metadata?.resourceVersion },
          spec: { ...lease.spec, holderIdentity: undefined, renewTime: new k8s.V1MicroTime(0), acquireTime: lease.spec?.acquireTime ? new k8s.V1MicroTime(Date.parse(String(lease.spec.acquireTime))) : undefined },
        },
      });
    } catch (err) {
      const status = statusOf(err);
      if (status !== 404 && status !== 409) throw err;
    }
  }
}
