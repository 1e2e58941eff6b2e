// The node VMs with seeded ARM faults between the runner and the simulated compute, each ending as the
// ARM adapter (adapters/azure/azure-node-vms.ts) ends it:
// - an error answer (500) is retried by the SDK; still failing, it propagates (the action failed);
// - throttling (429 with Retry-After) is waited out by the SDK up to our patience, then a
//   VmRefusal('throttled');
// - a long-running operation that Azure accepts and then fails: the call returns, the VM never changes;
// - one that never finishes: the call returns, the VM stays as it was and busy (a second operation on
//   it gets 409, a VmRefusal('failed')) until it ends Failed, HUNG_OPERATION_MS of simulated time later;
// - a lost answer: the operation was accepted and goes ahead, but the adapter's deadline fires first
//   (a VmRefusal('failed') that says the request may still have been accepted).

import type { NodeView, PoolView } from '../../core/views';
import { VmRefusal, type NodeVms, type VmState } from '../../runner/ports';
import { withRetries } from '../../runner/retry';
import type { Faults } from './faults';

export type ArmFaultKind = 'error' | 'throttle' | 'lro-failed' | 'lro-hung' | 'lost-response';

const ARM_FAULTS: readonly ArmFaultKind[] = ['error', 'throttle', 'lro-failed', 'lro-hung', 'lost-response'];
const READ_FAULTS: readonly ArmFaultKind[] = ['error', 'throttle'];

/** How long an operation that never finishes holds its VM or pool before Azure gives up on it. */
export const HUNG_OPERATION_MS = 20 * 60_000;
/** The ARM adapter's bound on one call (DEFAULT_OPERATION_TIMEOUT_MS): what a lost answer costs. */
const OPERATION_TIMEOUT_MS = 30_000;

function armError(statusCode: number, code: string, what: string): Error {
  return Object.assign(new Error(`${what}: ${code} (injected)`), { statusCode, code });
}

export class FaultyNodeVms implements NodeVms {
  /** VM (node name) or pool (`pool:<name>`) → simulated time its hung operation ends. */
  private readonly hung = new Map<string, number>();

  constructor(
    private readonly inner: NodeVms,
    private readonly faults: Faults,
    private readonly clusterNow: () => number,
  ) {}

  start(node: NodeView): Promise<void> {
    return this.operation(`start the VM of node ${node.name}`, node.name, () => this.inner.start(node));
  }

  deallocate(node: NodeView): Promise<void> {
    return this.operation(`deallocate the VM of node ${node.name}`, node.name, () => this.inner.deallocate(node));
  }

  addNodes(pool: string, count: number): Promise<void> {
    return this.operation(`add ${count} node(s) to agent pool ${pool}`, `pool:${pool}`, () => this.inner.addNodes(pool, count));
  }

  async state(node: NodeView): Promise<VmState> {
    const state = await this.sdk(`read the state of node ${node.name}'s VM`, READ_FAULTS, () => this.inner.state(node));
    return this.busy(node.name) ? { ...state, busy: true } : state;
  }

  poolStates(): Promise<PoolView[] | undefined> {
    return this.sdk("read the agent pools' states", READ_FAULTS, () => this.inner.poolStates());
  }

  private busy(target: string): boolean {
    const until = this.hung.get(target);
    if (until === undefined) return false;
    if (until > this.clusterNow()) return true;
    this.hung.delete(target);
    return false;
  }

  private async operation(what: string, target: string, apply: () => Promise<void>): Promise<void> {
    if (this.busy(target)) {
      this.faults.gate(what);
      throw new VmRefusal('failed', `${what}: 409 OperationNotAllowed: an operation on it is still in progress`);
    }
    await this.sdk(what, ARM_FAULTS, async () => {
      const fault = this.faults.roll(['lro-failed', 'lro-hung', 'lost-response'] as const);
      if (fault !== undefined) this.faults.tally.add(`arm ${fault}`, what);
      switch (fault) {
        case undefined:
          return apply();
        case 'lro-failed':
          return; // accepted; the VM never changes
        case 'lro-hung':
          this.hung.set(target, this.clusterNow() + HUNG_OPERATION_MS);
          return;
        case 'lost-response':
          await apply();
          await this.faults.wall.sleep(OPERATION_TIMEOUT_MS);
          throw new VmRefusal(
            'failed',
            `${what}: no answer within ${OPERATION_TIMEOUT_MS} ms; the request may still have been accepted and complete in Azure, the next tick sees the true state`,
          );
      }
    });
  }

  /** One request through the SDK's retry policy: 500 and 429 retried; throttling past our patience is a refusal. */
  private async sdk<T>(what: string, kinds: readonly ArmFaultKind[], call: () => Promise<T>): Promise<T> {
    const answer = kinds.filter((k) => k === 'error' || k === 'throttle');
    try {
      return await withRetries(
        what,
        async () => {
          this.faults.gate(what);
          const fault = this.faults.roll(answer);
          if (fault !== undefined) this.faults.tally.add(`arm ${fault}`, what);
          if (fault === 'error') throw armError(500, 'InternalServerError', what);
          if (fault === 'throttle') throw Object.assign(armError(429, 'TooManyRequests', what), { retryAfterMs: 2_000 });
          return call();
        },
        (err) => {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 500) return { reason: 'ARM 500' };
          if (status === 429) return { reason: 'ARM 429', retryAfterMs: (err as { retryAfterMs?: number }).retryAfterMs };
          return undefined;
        },
        // The SDK's retry policy: 3 retries; the adapter's throttle cap keeps the waits within a tick.
        { ...this.faults.retries, attempts: 4 },
      );
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 429)
        throw new VmRefusal('throttled', `${what}: ARM still throttles after the SDK's retries (429 TooManyRequests)`);
      throw err;
    }
  }
}
