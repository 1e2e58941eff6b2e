import { describe, expect, it } from 'vitest';
import { groupNotes } from '../../page/notes';

const nodes = ['aks-user-1', 'aks-user-2', 'aks-user-3'];

describe('groupNotes', () => {
  it('counts notes that differ only in the node they name, and lists the nodes', () => {
    const notes = [
      'node aks-user-1 is stopped; its drain is complete',
      'override ov-1 expired',
      'node aks-user-2 is stopped; its drain is complete',
      'node aks-user-3 is stopped; its drain is complete',
    ];
    expect(groupNotes(notes, nodes)).toEqual([
      { text: 'node … is stopped; its drain is complete', count: 3, subjects: ['aks-user-1', 'aks-user-2', 'aks-user-3'] },
      { text: 'override ov-1 expired', count: 1, subjects: [] },
    ]);
  });

  it('keeps a single note as written, and identical notes as one with a count', () => {
    expect(groupNotes(['node aks-user-1 is gone; its drain is forgotten'], nodes)).toEqual([
      { text: 'node aks-user-1 is gone; its drain is forgotten', count: 1, subjects: [] },
    ]);
    expect(groupNotes(['no controllers listed', 'no controllers listed'], [])).toEqual([
      { text: 'no controllers listed', count: 2, subjects: [] },
    ]);
  });
});
