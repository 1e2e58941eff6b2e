// The status sink of the simulator's live mode: what the ConfigMap status writer keeps, in memory,
// with the same JSON round trip (so the page sees exactly what it would read from a cluster).

import type { StatusSink } from '../../runner/ports';

export class InMemoryStatus implements StatusSink {
  private readonly records = new Map<string, { last: string; history: string }>();

  async write(scaler: string, status: unknown, history: (previous: unknown) => unknown): Promise<void> {
    const previous = this.records.get(scaler);
    this.records.set(scaler, {
      last: JSON.stringify(status),
      history: JSON.stringify(history(previous === undefined ? undefined : (JSON.parse(previous.history) as unknown))),
    });
  }

  async read(): Promise<Record<string, { last: unknown; history: unknown }>> {
    const out: Record<string, { last: unknown; history: unknown }> = {};
    for (const [scaler, r] of this.records)
      out[scaler] = { last: JSON.parse(r.last) as unknown, history: JSON.parse(r.history) as unknown };
    return out;
  }
}
