// The drain audit on the status page: counts by severity, then per workload its most severe findings
// with the check's number, what was seen and the fix; and the links from the scalers' reasons that
// name an audit check ("(audit check 1)") to the finding about that pod's workload.
//
// Loaded from GET /api/audit (the CLI's JSON report) when the page opens and when someone asks, not
// built into dashboard/data: a document of the data is a tick's compact read of the cluster, made
// every 2 s (cached 15 s in Azure), while the audit reads every pod, controller, PDB, Service and
// node whole. Its findings change when someone edits a workload, not from one tick to the next, so
// reading it with every poll would make the page the API server's heaviest client for nothing. A
// failed audit (503) says so in its own section and leaves the rest of the page as it is.

import type { AuditReport, Disrupter, Finding, Fix, ObjectRef, Severity } from '../../core/audit/types';
import { api, httpProblem, readJson } from './api';
import { auditMentions, findingAnchors, linkTargets, subjectKey, workloadAnchor, type LinkTargets } from './audit-links';
import { $, el, type Child } from './dom';
import { messageOf, plural } from './format';
import { withLocalTimes } from './local-times';

const SEVERITY_TITLE: Record<Severity, string> = {
  blocks: 'block scale-down',
  'not-graceful': 'evictable, not graceful',
  advice: 'advice',
};
const DISRUPTER_TITLE: Record<Disrupter, string> = {
  'graceful-scaler': 'graceful-scaler',
  'cluster-autoscaler': 'cluster-autoscaler',
  karpenter: 'Karpenter/NAP',
  descheduler: 'descheduler',
  drain: 'kubectl drain/upgrade',
};
/** Findings shown open per workload; the rest are one click away (and still anchored). */
const TOP = 3;
/** Workloads shown until someone asks for all (or follows a link to one further down). */
const FIRST_WORKLOADS = 25;

let report: AuditReport | null = null;
let targets: LinkTargets = linkTargets(null);
let showAll = false;
let loading = false;
let onLoaded: () => void = () => undefined;

/** Loads the audit now; `loaded` is told each time a report arrives (the reasons' links change). */
export function startAudit(loaded: () => void): void {
  onLoaded = loaded;
  $('audit-run').addEventListener('click', () => void loadAudit());
  $('audit-more').addEventListener('click', () => {
    showAll = true;
    drawAudit();
  });
  // One listener for every link to a finding, wherever it is drawn.
  document.addEventListener('click', (ev) => {
    const link = (ev.target as Element | null)?.closest?.('a.audit-link');
    if (!link) return;
    ev.preventDefault();
    reveal(link.getAttribute('href')!.slice(1));
  });
  void loadAudit();
}

export async function loadAudit(): Promise<void> {
  if (loading) return;
  loading = true;
  const button = $<HTMLButtonElement>('audit-run');
  button.disabled = true;
  status('loading', 'reading the cluster…');
  const ctl = new AbortController();
  const timeout = window.setTimeout(() => ctl.abort(), 60000);
  try {
    const res = await fetch(api('audit'), { headers: { accept: 'application/json' }, cache: 'no-store', signal: ctl.signal });
    const body = await readJson(res);
    if (!res.ok) throw new Error(httpProblem(res.status, body));
    report = body as AuditReport;
    targets = linkTargets(report);
    drawAudit();
    status('ok', 'audited ' + new Date().toLocaleTimeString('en-GB', { hour12: false }) + ' (browser time)');
    onLoaded();
  } catch (e) {
    const why = (e as { name?: unknown } | null)?.name === 'AbortError' ? 'no answer within 60 s' : messageOf(e);
    // The last report stays shown, marked as such.
    status('error', 'audit unavailable: ' + why + (report ? ' · showing the previous report' : ''));
  }
  window.clearTimeout(timeout);
  button.disabled = false;
  loading = false;
}

function status(state: string, text: string): void {
  const box = $('audit-status');
  box.setAttribute('data-state', state);
  box.textContent = text;
}

/** A reason as text, with each "audit check N" in it a link to the finding (or the section). */
export function reasonWithLinks(reason: string): Child[] {
  const out: Child[] = [];
  let at = 0;
  for (const m of auditMentions(reason)) {
    const target = targets.target(m);
    out.push(
      ...withLocalTimes(reason.slice(at, m.start)),
      el('a', {
        class: 'audit-link',
        href: '#' + target,
        'data-testid': 'audit-link',
        'data-check': m.check,
        title: target === 'audit' ? 'the drain audit' : 'the audit finding',
        text: reason.slice(m.start, m.end),
      }),
    );
    at = m.end;
  }
  out.push(...withLocalTimes(reason.slice(at)));
  return out;
}

/** Scrolls to an anchor of the audit, opening what hides it, and marks it for a moment. */
function reveal(id: string): void {
  let target = document.getElementById(id);
  if (!target && report && !showAll) {
    showAll = true;
    drawAudit();
    target = document.getElementById(id);
  }
  target ??= $('audit');
  for (let p: HTMLElement | null = target; p; p = p.parentElement) if (p instanceof HTMLDetailsElement) p.open = true;
  history.replaceState(null, '', '#' + target.id);
  target.scrollIntoView({ block: 'start' });
  target.classList.add('flash');
  window.setTimeout(() => target.classList.remove('flash'), 2000);
}

export function drawAudit(): void {
  if (!report) return;
  const r = report;
  const counts = r.counts;
  $('audit-counts').replaceChildren(
    ...(['blocks', 'not-graceful', 'advice'] as const).map((s) =>
      el('span', { class: 'sev sev-' + s + (counts[s] ? '' : ' zero'), 'data-testid': 'audit-count', 'data-severity': s }, [
        el('b', { text: counts[s] }),
        ' ' + SEVERITY_TITLE[s],
      ]),
    ),
    el('span', { class: 'muted', text: plural(r.workloads, 'workload') + ' and ' + plural(r.pdbs, 'PodDisruptionBudget') + ' audited' }),
  );
  const anchors = findingAnchors(r.findings);
  // The report is ordered by severity: a workload's card goes where its most severe finding is.
  const groups = new Map<string, { subject: ObjectRef; items: { f: Finding; id: string }[] }>();
  r.findings.forEach((f, i) => {
    const key = subjectKey(f.subject);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { subject: f.subject, items: [] }));
    g.items.push({ f, id: anchors[i]! });
  });
  const all = [...groups.values()];
  const shown = showAll ? all : all.slice(0, FIRST_WORKLOADS);
  const titles = new Map(r.checks.map((c) => [c.number, c.title]));
  $('audit-workloads').replaceChildren(
    ...(all.length === 0 ? [el('li', { class: 'empty', text: 'No findings: every workload can be moved gracefully.' })] : []),
    ...shown.map((g) => {
      const top = g.items.slice(0, TOP);
      const rest = g.items.slice(TOP);
      return el(
        'li',
        { class: 'audit-workload', id: workloadAnchor(g.subject), 'data-testid': 'audit-workload', 'data-subject': subjectKey(g.subject) },
        [
          el('div', { class: 'plan-head' }, [
            el('b', { class: 'mono', text: subjectKey(g.subject) }),
            el('span', { class: 'muted', text: plural(g.items.length, 'finding') }),
          ]),
          ...top.map(({ f, id }) => finding(f, id, titles.get(f.check) ?? f.checkId)),
          rest.length
            ? el('details', null, [
                el('summary', { text: plural(rest.length, 'more finding') }),
                ...rest.map(({ f, id }) => finding(f, id, titles.get(f.check) ?? f.checkId)),
              ])
            : null,
        ],
      );
    }),
  );
  const more = $('audit-more');
  more.hidden = shown.length === all.length;
  more.textContent = 'Show all ' + all.length + ' workloads';
}

function finding(f: Finding, id: string, title: string): HTMLElement {
  const effects = (Object.keys(DISRUPTER_TITLE) as Disrupter[]).map((d) =>
    el('span', {
      class: 'effect effect-' + f.verdicts[d].effect,
      title: f.verdicts[d].why,
      text: DISRUPTER_TITLE[d] + ': ' + f.verdicts[d].effect,
    }),
  );
  return el('div', { class: 'audit-finding sev-' + f.severity, id, 'data-testid': 'audit-finding', 'data-check': f.check }, [
    el('div', { class: 'plan-head' }, [
      el('span', { class: 'chip check', text: 'check ' + f.check }),
      el('span', { text: title }),
      el('span', { class: 'badge sev-' + f.severity, text: SEVERITY_TITLE[f.severity] }),
      f.heuristic ? el('span', { class: 'chip', text: 'heuristic' }) : null,
    ]),
    el('div', { class: 'plan-reason', text: f.message }),
    el('div', { class: 'effects' }, effects),
    f.fix
      ? el('details', { class: 'fix', 'data-testid': 'audit-fix' }, [
          el('summary', null, [el('b', { text: 'fix: ' }), f.fix.description]),
          el('pre', { class: 'mono', text: fixText(f.fix) }),
        ])
      : el('div', { class: 'detail', text: 'fix: no patch expresses it; see the message and docs/audit.md' }),
  ]);
}

/** The fix as a person applies it: the kubectl command, then the patch or manifest (JSON is YAML too). */
export function fixText(fix: Fix): string {
  const ns = (t: ObjectRef) => (t.namespace ? ' -n ' + t.namespace : '');
  switch (fix.type) {
    case 'strategic':
    case 'merge':
      return (
        '# kubectl patch ' +
        fix.target.kind.toLowerCase() +
        ' ' +
        fix.target.name +
        ns(fix.target) +
        ' --type ' +
        fix.type +
        ' --patch-file fix.yaml\n' +
        JSON.stringify(fix.patch, null, 2)
      );
    case 'create':
      return '# kubectl apply -f fix.yaml\n' + JSON.stringify(fix.manifest, null, 2);
    case 'replace':
      return '# replaces ' + subjectKey(fix.target) + '\n# kubectl apply -f fix.yaml\n' + JSON.stringify(fix.manifest, null, 2);
    case 'delete':
      return '# kubectl delete ' + fix.target.kind.toLowerCase() + ' ' + fix.target.name + ns(fix.target);
  }
}
