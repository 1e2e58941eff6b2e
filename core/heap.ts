// A binary min-heap: the first few of thousands in order, without sorting them all. Made in O(n);
// each take is O(log n).

export class Heap<T> {
  private readonly items: T[];

  constructor(
    items: readonly T[],
    private readonly before: (a: T, b: T) => number,
  ) {
    this.items = [...items];
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  take(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < n && this.before(items[l]!, items[least]!) < 0) least = l;
      if (r < n && this.before(items[r]!, items[least]!) < 0) least = r;
      if (least === i) return;
      const swap = items[i]!;
      items[i] = items[least]!;
      items[least] = swap;
      i = least;
    }
  }
}
