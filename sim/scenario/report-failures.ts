// What went wrong with each strategy, for the report: the jobs it interrupted and the invariants it
// broke, grouped by kind with the full count and the first few examples (times in the policy's
// zone), so 226 violations read as three kinds rather than a list cut at an arbitrary length.

import type { Violation } from './invariants';
import { escape } from './report-charts';
import { interruptedText } from './report-story';
import type { SimulationResult } from './simulation';

export const VIOLATION_TEXT: Record<Violation['kind'], string> = {
  'stopped-with-workload': 'a VM stopped with workload pods still on it (they were killed, not moved)',
  'protected-node-drained': 'a protected node cordoned for scale-down',
  'below-minimum': "fewer schedulable nodes than the schedule's minimum for 10 minutes",
  'batch-interrupted': "a batch Job's pod interrupted",
  'bg-job-interrupted': 'a BG job interrupted',
  'protected-node-touched': 'a protected node touched',
  'cordon-left-behind': 'a cordon left behind',
  'pod-pending-too-long': 'a pod pending too long',
  'memory-unreadable': 'the memory could not be read',
  forbidden: 'a call refused by the RBAC that infra/kubernetes/rbac.yaml grants (403)',
};

export interface FailureGroup {
  kind: Violation['kind'];
  count: number;
  /** The first violations of the kind, in time order. */
  first: Violation[];
}

/** Violations by kind, the most frequent first (ties: the earliest first), each with its first `examples`. */
export function groupFailures(violations: readonly Violation[], examples = 3): FailureGroup[] {
  const groups = new Map<Violation['kind'], FailureGroup>();
  const sorted = [...violations].sort((a, b) => a.at - b.at);
  for (const v of sorted) {
    let group = groups.get(v.kind);
    if (group === undefined) groups.set(v.kind, (group = { kind: v.kind, count: 0, first: [] }));
    group.count++;
    if (group.first.length < examples) group.first.push(v);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The report's section: one block per strategy, "nothing" said as plainly as a failure. */
export function failuresHtml(results: readonly SimulationResult[], format: (at: number) => string, timezone: string): string {
  const blocks = results.map((r) => {
    const items: string[] = [];
    if (r.bgJobsInterrupted > 0)
      items.push(
        `<li data-kind="bg-jobs-interrupted"><b>${r.bgJobsInterrupted.toLocaleString('en-US')} BG job${r.bgJobsInterrupted === 1 ? '' : 's'} interrupted</b>: the worker died with its job (its VM stopped, or its grace period cut short) and the message went back to the queue, to start again from the beginning</li>`,
      );
    for (const g of groupFailures(r.violations)) {
      const examples = g.first.map((v) => `<li><time>${escape(format(v.at))}</time> ${escape(v.detail)}</li>`).join('');
      const rest = g.count - g.first.length;
      items.push(
        `<li data-kind="${g.kind}" data-count="${g.count}"><b>${g.count.toLocaleString('en-US')} ×</b> ${escape(VIOLATION_TEXT[g.kind])} <code>${g.kind}</code>; ${g.first.length === 1 ? 'the first' : `the first ${g.first.length}`}:<ul>${examples}</ul>${rest > 0 ? `<span class="muted">and ${rest.toLocaleString('en-US')} more</span>` : ''}</li>`,
      );
    }
    const body =
      items.length === 0
        ? `<p>Nothing went wrong: no invariant broken, ${interruptedText(r)} interrupted.</p>`
        : `<ul>${items.join('')}</ul>`;
    return `<div class="failures" data-strategy="${escape(r.strategy)}"><h3>${escape(r.strategy)}</h3>${body}</div>`;
  });
  return `<h2 id="what-went-wrong">What went wrong with each strategy</h2>
<p class="muted">Every strategy is held to the same invariants (no VM stopped with workload pods on it, no protected node drained, the schedule's minimum kept, no batch Job interrupted); BG jobs interrupted are counted too. Counts are complete; each kind shows its first examples (times ${escape(timezone)}).</p>
${blocks.join('\n')}`;
}
