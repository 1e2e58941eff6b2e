// One writer per cluster: a coordination.k8s.io Lease. The timer trigger is already a singleton per
// Function App; the Lease also covers a manual run, a second app, a slot swap, or the CLI. Each tick
// holds it under its own identity and releases it when done.
//
// Every call is retried on transient failures. A create or replace whose answer was lost is retried
// into a 409; since a holder identity is unique to its tick, reading the Lease back and finding our
// identity in it means the lost write took effect: we hold it.

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
    const now = new k8s.V1MicroTime(this.clock());
    const lease = await this.read(name);
    if (lease === undefined) {
      try {
        await this.clients.call(`create Lease ${name}`, () =>
          this.clients.coordination.createNamespacedLease({
            namespace: this.namespace,
            body: {
              metadata: { name, namespace: this.namespace },
              spec: {
                holderIdentity: holder,
                leaseDurationSeconds: durationSeconds,
                acquireTime: now,
                renewTime: now,
                leaseTransitions: 0,
              },
            },
          }),
        );
        return true;
      } catch (createErr) {
        // Another runner created it first, or our own create landed and its answer was lost.
        if (statusOf(createErr) === 409) return this.heldBy(name, holder);
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
      await this.clients.call(`replace Lease ${name}`, () =>
        this.clients.coordination.replaceNamespacedLease({
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
        }),
      );
      return true;
    } catch (err) {
      // Someone renewed or took it between our read and write, or our write landed and its answer was lost.
      if (statusOf(err) === 409) return this.heldBy(name, holder);
      throw err;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    try {
      const lease = await this.read(name);
      if (lease === undefined || lease.spec?.holderIdentity !== holder) return;
      // Expire it rather than delete it: the history (transitions) stays for kubectl describe.
      await this.clients.call(`release Lease ${name}`, () =>
        this.clients.coordination.replaceNamespacedLease({
          name,
          namespace: this.namespace,
          body: {
            metadata: { name, namespace: this.namespace, resourceVersion: lease.metadata?.resourceVersion },
            spec: {
              ...lease.spec,
              holderIdentity: undefined,
              renewTime: new k8s.V1MicroTime(0),
              acquireTime: lease.spec?.acquireTime ? new k8s.V1MicroTime(Date.parse(String(lease.spec.acquireTime))) : undefined,
            },
          },
        }),
      );
    } catch (err) {
      // 409: renewed or taken meanwhile, or our release landed and its answer was lost; either way not ours.
      const status = statusOf(err);
      if (status !== 404 && status !== 409) throw err;
    }
  }

  private async read(name: string): Promise<k8s.V1Lease | undefined> {
    try {
      return await this.clients.call(`read Lease ${name}`, () =>
        this.clients.coordination.readNamespacedLease({ name, namespace: this.namespace }),
      );
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async heldBy(name: string, holder: string): Promise<boolean> {
    return (await this.read(name))?.spec?.holderIdentity === holder;
  }
}
