// `--output table`: the decision for eyes at 3 a.m. — the figures first, then each action with its
// reason on its own line, then what was refused and why.

import { actionTarget, type Action, type Decision, type Skip } from '../core/decision';
import type { Policy } from '../core/policy';

function localTime(iso: string, timezone: string): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short' }).format(d);
  return `${get('year')}-${get('month')}-${get('day')} ${weekday} ${get('hour')}:${get('minute')} ${timezone}`;
}

/** The action's target with the figures a table reader wants next to it. */
export function targetWithDetail(a: Action): string {
  const target = actionTarget(a);
  switch (a.type) {
    case 'evict':
      return a.node ? `${target} on ${a.node}` : target;
    case 'add-nodes':
      return `${target} +${a.count}`;
    case 'scale':
      return `${target} ${a.from} -> ${a.replicas}`;
    case 'set-deletion-cost':
      return `${target} cost ${a.cost}`;
    case 'mark-node':
      return `${target} ${a.set ? '+' : '-'}${a.mark}`;
    default:
      return target;
  }
}

function columns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function renderTable(decision: Decision, policy: Policy): string {
  const out: string[] = [];
  out.push(`graceful-scaler plan for ${localTime(decision.now, policy.timezone)} (${decision.now})`);
  out.push('');
  const n = decision.summary.nodes;
  if (n) {
    out.push(
      `NODES     desired ${n.desired}  running ${n.running}  starting ${n.starting}  draining ${n.draining}  stopped ${n.stopped}` +
        `  workload pods ${n.workloadPods} (${n.podsPerRunningNode} per running node)  bounds ${n.minNodes}..${n.maxNodes}`,
    );
    out.push(`          ${n.why}`);
  }
  for (const w of decision.summary.workers) {
    const age = w.oldestAgeSeconds === undefined ? '-' : `${w.oldestAgeSeconds}s`;
    out.push(
      `WORKERS   ${w.name}: ${w.current} -> desired ${w.desired}  messages ${w.messages}  oldest ${age}  bounds ${w.minReplicas}..${w.maxReplicas}`,
    );
  }
  const ds = decision.summary.descheduler;
  if (ds) {
    out.push(
      `DESCHED   ${ds.measure}: spread ${fmtSpread(ds.spreadBefore, ds.measure)} -> ${fmtSpread(ds.spreadAfter, ds.measure)}  evictions ${ds.evictions}`,
    );
  }
  out.push('');
  out.push(decision.actions.length === 0 ? 'ACTIONS   none' : `ACTIONS   ${decision.actions.length}`);
  const rows = decision.actions.map((a, i) => [`${i + 1}.`, a.type, targetWithDetail(a), a.rule]);
  columns(rows).forEach((line, i) => {
    out.push(`  ${line}`);
    out.push(`      ${decision.actions[i]!.reason}`);
  });
  if (decision.skipped.length > 0) {
    out.push('');
    out.push(`SKIPPED   ${decision.skipped.length}`);
    const skipRows = decision.skipped.map((s: Skip) => [s.scaler, s.target, s.rule]);
    columns(skipRows).forEach((line, i) => {
      out.push(`  ${line}`);
      out.push(`      ${decision.skipped[i]!.reason}`);
    });
  }
  if (decision.notes.length > 0) {
    out.push('');
    out.push('NOTES');
    for (const note of decision.notes) out.push(`  - ${note}`);
  }
  return out.join('\n') + '\n';
}

function fmtSpread(value: number, measure: string): string {
  return measure === 'memory requests' ? `${(value / 1024 ** 3).toFixed(2)} GiB` : String(value);
}
