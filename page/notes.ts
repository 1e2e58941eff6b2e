// The notes under "Would do now", grouped: twenty "node … is stopped; its drain is complete" read as
// one line with a count and the nodes it names, so the list stays short and the override form in
// sight. Pure and free of the DOM: the page's script uses it, the unit tests run it.

export interface NoteGroup {
  /** The note itself when alone; with `…` where the names of a group differ. */
  text: string;
  count: number;
  /** The names in place of `…`, in order; empty when the notes name no node. */
  subjects: string[];
}

// Node names as Kubernetes spells them (DNS labels and subdomains).
const NAME = /[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?/gi;

/** Notes that differ only in the node they name are one group, in the order of their first note. */
export function groupNotes(notes: readonly string[], nodeNames: Iterable<string>): NoteGroup[] {
  const names = new Set(nodeNames);
  const groups = new Map<string, { first: string; count: number; subjects: string[] }>();
  for (const note of notes) {
    const subjects: string[] = [];
    const shape = names.size === 0 ? note : note.replace(NAME, (m) => (names.has(m) ? (subjects.push(m), '…') : m));
    const group = groups.get(shape);
    if (group) {
      group.count++;
      group.subjects.push(...subjects);
    } else groups.set(shape, { first: note, count: 1, subjects });
  }
  return [...groups].map(([shape, g]) => ({
    text: g.count === 1 ? g.first : shape,
    count: g.count,
    subjects: g.count === 1 ? [] : g.subjects,
  }));
}
