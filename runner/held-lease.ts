// The cluster's one Lease, as a tick holds it. Taken at the start (waiting for another tick to finish,
// or for the Lease of a tick that crashed to expire), renewed as the tick goes on, released at the end.
//
// Renewed rather than taken long: a tick that crashes keeps everyone else out until its Lease
// expires, and the node timer runs once a minute, so a 90 s Lease cost the pods waiting for a
// scale-up up to two node ticks per crash. A Lease of 40 s renewed before acting, before each action
// once a third of it has passed, and before memory is saved stays with a live tick however slow its
// calls, and frees the cluster within 40 s of a crash. A tick that finds its Lease gone (it expired
// during a call that hung, and another tick took it) starts no further action: two writers never act
// at once.

import { LEASE_NAME } from './lease-name';
import type { LeaseLock } from './ports';
import type { TickLimits, TickTiming } from './tick-limits';

export class HeldLease {
  private renewedAt = 0;
  private lost = false;
  private renewing: Promise<boolean> | undefined;

  constructor(
    private readonly lock: LeaseLock,
    readonly holder: string,
    private readonly limits: TickLimits,
    private readonly timing: TickTiming,
  ) {}

  /** Takes the Lease, waiting up to limits.leaseWaitMs for another tick to finish or its Lease to expire. */
  async take(): Promise<boolean> {
    const began = this.timing.now();
    for (;;) {
      const at = this.timing.now();
      if (await this.lock.acquire(LEASE_NAME, this.holder, this.limits.leaseSeconds)) {
        this.renewedAt = at;
        return true;
      }
      const wait = this.limits.leasePollMs / 2 + this.timing.random() * this.limits.leasePollMs;
      if (this.timing.now() - began + wait > this.limits.leaseWaitMs) return false;
      await this.timing.sleep(wait);
    }
  }

  /**
   * True while the Lease is still this tick's: renewed once a third of its duration has passed since
   * the last renewal. False for good once a renewal finds it taken or cannot tell.
   */
  async keep(): Promise<boolean> {
    if (this.lost) return false;
    if (this.timing.now() - this.renewedAt < (this.limits.leaseSeconds * 1000) / 3) return true;
    // Actions sent side by side share one renewal.
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  /** Why keep() said no, for the actions it stopped. */
  get lostDetail(): string {
    return `not started: lease ${LEASE_NAME} is no longer this tick's (it expired during a slow call, or its renewal failed); the next tick plans again`;
  }

  private async renew(): Promise<boolean> {
    const at = this.timing.now();
    let held = false;
    try {
      held = await this.lock.acquire(LEASE_NAME, this.holder, this.limits.leaseSeconds);
    } catch {
      // Unknown is not ours: acting on a Lease another tick may hold is the risk.
    }
    if (held) this.renewedAt = at;
    else this.lost = true;
    return held;
  }

  release(): Promise<void> {
    return this.lock.release(LEASE_NAME, this.holder);
  }
}
