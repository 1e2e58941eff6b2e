// The alert rules of infra/main.json read records the code really writes: every `d.<field>` a query
// reads is emitted by the runner in a real tick (run here with a capturing Logger), every metric it
// filters on exists, the records survive the Functions logger's one-line format, every failed
// invocation it counts is a timer the app registers, and docs/alerts.md shows the same queries.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { format } from 'node:util';
import { jsonRecord } from '../../functions/invocation-log';
import { timerFunctions } from '../../functions/catalog';
import { runTick } from '../../runner/run-tick';
import { buildRunner, type LogRecord } from '../builders/runner';
import {
  NOW,
  buildMemory,
  buildNode,
  buildPod,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  cordoned,
  deallocated,
  onNode,
  ownedBy,
  pending,
  podsOf,
} from '../builders/views';
import { ROOT } from './source-scan';
import { template, type Json } from './template-model';

interface Rule {
  name: string;
  query: string;
  criteria: Json;
}

const rules: Rule[] = template.resources
  .filter((r) => r.type === 'Microsoft.Insights/scheduledQueryRules')
  .map((r) => {
    const criteria = ((r.properties as Json).criteria as { allOf: Json[] }).allOf[0]!;
    return { name: String(r.name), query: String(criteria.query), criteria };
  });

/** The structured records of a day's worth of real ticks: node, worker and descheduler ticks, and a Lease back-off. */
async function emittedRecords(): Promise<LogRecord[]> {
  const policy = buildPolicy();
  const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned), buildNode('n4', deallocated)];
  const pods = [
    ...podsOf('mdm', 'n1', 5),
    buildPod('waiting', ownedBy('ReplicaSet', 'web'), pending, (p) => (p.createdAt = NOW - 20 * 60_000)),
    buildPod('slow', onNode('n3'), ownedBy('ReplicaSet', 'api')),
  ];
  const snapshot = buildSnapshot({ nodes, pods, queues: [buildQueue('clomo-jobs', 3), buildQueue('clomo-jobs-priority', 0)] });
  const memory = buildMemory((m) => (m.nodes.drains.n3 = { since: new Date(NOW - 3 * 3600_000).toISOString(), reason: 'test' }));
  const records: LogRecord[] = [];
  for (const scaler of ['nodes', 'workers', 'descheduler'] as const) {
    const r = buildRunner(snapshot, { memory, pools: [{ name: 'user', provisioningState: 'Failed' }] });
    await runTick(r.deps, policy, scaler, { dryRun: false });
    records.push(...r.records);
  }
  const contended = buildRunner(snapshot, { leaseFree: false });
  await runTick(contended.deps, policy, 'nodes', { dryRun: false });
  return [...records, ...contended.records];
}

describe('alert rules on what the app logs', () => {
  it('the template has the alerts the operator needs', () => {
    expect(rules.map((r) => r.name.replace(/^\[format\('\{0\}-([a-z-]+)'.*$/, '$1'))).toEqual([
      'ticks-failing',
      'scaler-not-running',
      'drain-stuck',
      'pods-pending',
      'lease-contention',
      'aks-operation-failed',
    ]);
  });

  it('reads only fields the runner emits, of metrics it emits', async () => {
    const records = (await emittedRecords()).filter((r) => typeof r.data?.metric === 'string');
    const fieldsOf = new Map<string, Set<string>>();
    for (const r of records) {
      const metric = String(r.data!.metric);
      const fields = fieldsOf.get(metric) ?? new Set<string>();
      for (const key of Object.keys(r.data!)) fields.add(key);
      fieldsOf.set(metric, fields);
    }
    const problems: string[] = [];
    for (const rule of rules) {
      const metrics = [...rule.query.matchAll(/"metric":"([^"]+)"/g)].map((m) => m[1]!);
      const fields = [...new Set([...rule.query.matchAll(/\bd\.([A-Za-z]+)/g)].map((m) => m[1]!))];
      if (fields.length > 0) expect(metrics.length, rule.name).toBeGreaterThan(0);
      for (const metric of metrics) {
        const emitted = fieldsOf.get(metric);
        if (!emitted) problems.push(`${rule.name}: no record with metric ${metric}`);
        else for (const f of fields) if (!emitted.has(f)) problems.push(`${rule.name}: ${metric} has no field ${f}`);
      }
    }
    expect(problems).toEqual([]);
    // The tick above had a pending pod, an overdue drain and a Failed pool: the alerts' figures are not all zero.
    const nodeTick = records.find((r) => r.data!.metric === 'graceful-scaler.tick' && r.data!.scaler === 'nodes')!.data!;
    expect(nodeTick).toMatchObject({
      pendingPods: 1,
      oldestPendingPodSeconds: 1200,
      overdueDrains: 1,
      oldestDrainSeconds: 3 * 3600,
      aksHeldPools: ['user'],
      aksFailedPools: ['user'],
    });
  });

  it('finds each record as the Functions library writes it (message, space, one line of JSON)', async () => {
    for (const r of (await emittedRecords()).filter((x) => x.data?.metric !== undefined)) {
      // What the Functions library does with context.log's arguments before they reach Application Insights.
      const line = format(r.message, jsonRecord(r.data!));
      expect(line).not.toContain('\n');
      expect(line).toContain(`"metric":"${String(r.data!.metric)}"`);
      expect(JSON.parse(line.slice(line.indexOf('{"metric":')))).toEqual(JSON.parse(JSON.stringify(r.data)));
    }
  });

  it('counts failed invocations of the timers the app registers', () => {
    const timers = new Set(timerFunctions({}).map((t) => t.name));
    for (const rule of rules) {
      for (const m of rule.query.matchAll(/operation_Name in \(([^)]*)\)/g)) {
        const names = [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
        expect(new Set(names), rule.name).toEqual(timers);
      }
    }
  });

  it('measures a column the query projects', () => {
    for (const rule of rules) {
      const column = rule.criteria.metricMeasureColumn;
      if (typeof column === 'string') expect(rule.query, rule.name).toMatch(new RegExp(`\\b${column} =`));
    }
  });

  it('docs/alerts.md shows every query as deployed', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/alerts.md'), 'utf8');
    for (const rule of rules) expect(doc, rule.name).toContain('```kusto\n' + rule.query + '\n```');
  });
});
