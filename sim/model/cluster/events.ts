// Events live an hour (the API server's event TTL): each created Event is queued with its expiry,
// and the queue is walked from its head as time moves, since Events are created in time order.

import { objectKey } from '../object-store';
import type { KubeObject } from '../objects';
import type { ClusterState } from './state';

export class EventExpiry {
  private readonly queue: { at: number; key: string; uid: string }[] = [];
  private head = 0;

  constructor(private readonly state: ClusterState) {}

  /** A new Event was stored: it goes when its TTL is up. */
  created(event: KubeObject): void {
    this.queue.push({
      at: this.state.now() + this.state.durations.eventTtlMs,
      key: objectKey(event.metadata.namespace, event.metadata.name),
      uid: event.metadata.uid,
    });
  }

  /** Removes the Events whose TTL is up. */
  expire(): void {
    const store = this.state.store;
    const now = this.state.now();
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const { key, uid } = this.queue[this.head++]!;
      const event = store.getByKey('Event', key);
      if (event !== undefined && event.metadata.uid === uid) store.remove('Event', event.metadata.namespace, event.metadata.name);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
