import { describe, expect, it } from 'vitest';
import { Heap } from '../../core/heap';

describe('a min-heap', () => {
  it.each([
    { items: [], order: [] },
    { items: [3], order: [3] },
    { items: [5, 1, 4, 1, 5, 9, 2, 6, 5, 3], order: [1, 1, 2, 3, 4, 5, 5, 5, 6, 9] },
    { items: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], order: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },
  ])('takes $items in order', ({ items, order }) => {
    const heap = new Heap(items, (a, b) => a - b);
    expect(heap.size).toBe(items.length);
    expect(heap.peek()).toBe(order[0]);
    expect(Array.from({ length: items.length }, () => heap.take())).toEqual(order);
    expect(heap.take()).toBeUndefined();
  });

  it('leaves the items it was given as they were', () => {
    const items = [3, 1, 2];
    new Heap(items, (a, b) => a - b).take();
    expect(items).toEqual([3, 1, 2]);
  });
});
