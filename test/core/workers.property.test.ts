// The worker planner's invariants over random queues, busy workers, histories, knobs and overrides:
// never outside the effective bounds; a scale-down never removes more workers than are idle (only a
// lowered maximum may, and then only down to it); a scale-up is never held back by the scale-down
// rules (delay, dead band, interval): it is the same with no history and no hysteresis at all.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import type { Policy } from '../../core/policy';
import {
  MINUTE,
  NOW,
  at,
  buildDeployment,
  buildMemory,
  buildNode,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  workerPods,
} from '../builders/views';

interface Case {
  replicas: number;
  ready: number;
  busy: number;
  idle: number;
  /** Whether the workers publish the busy annotation at all. */
  signal: boolean;
  messages: number;
  oldestSeconds: number;
  history: { value: number; minutesAgo: number }[];
  lastScaleMinutesAgo: number | undefined;
  minuteOfWeek: number;
  knobs: { min: number; max: number; delay: number; interval: number; margin: number };
  override: 'none' | 'pause' | 'pin' | 'bounds';
  overrideCount: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    replicas: fc.integer({ min: 0, max: 50 }),
    readyShare: fc.constantFrom(1, 1, 1, 0.5),
    busyShare: fc.double({ min: 0, max: 1, noNaN: true }),
    extraPods: fc.integer({ min: -3, max: 3 }),
    signal: fc.constantFrom(true, true, true, false),
    messages: fc.integer({ min: 0, max: 300 }),
    oldestSeconds: fc.constantFrom(0, 30, 119, 121, 400),
    history: fc.array(fc.record({ value: fc.integer({ min: 0, max: 50 }), minutesAgo: fc.integer({ min: 0, max: 40 }) }), { maxLength: 6 }),
    lastScaleMinutesAgo: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
    minuteOfWeek: fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
    min: fc.integer({ min: 0, max: 6 }),
    span: fc.integer({ min: 0, max: 44 }),
    delay: fc.constantFrom(0, 1, 5, 10),
    interval: fc.constantFrom(0, 5, 30, 60),
    margin: fc.constantFrom(0, 10, 25, 50, 100),
    override: fc.constantFrom('none', 'none', 'pause', 'pin', 'bounds'),
    overrideCount: fc.integer({ min: 0, max: 20 }),
  })
  .map((r): Case => {
    const pods = Math.max(0, r.replicas + r.extraPods);
    const busy = Math.min(pods, Math.round(pods * r.busyShare));
    return {
      replicas: r.replicas,
      ready: Math.floor(r.replicas * r.readyShare),
      busy,
      idle: pods - busy,
      signal: r.signal,
      messages: r.messages,
      oldestSeconds: r.oldestSeconds,
      history: r.history,
      lastScaleMinutesAgo: r.lastScaleMinutesAgo,
      minuteOfWeek: r.minuteOfWeek,
      knobs: { min: r.min, max: Math.max(1, r.min + r.span), delay: r.delay, interval: r.interval, margin: r.margin },
      override: r.override,
      overrideCount: r.overrideCount,
    };
  });

const policies = new Map<string, Policy>();
function policyOf(k: Case['knobs'], hysteresis = true): Policy {
  const key = `${JSON.stringify(k)}/${hysteresis}`;
  let policy = policies.get(key);
  if (policy === undefined) {
    policy = buildPolicy((p) => {
      const w = p.workers[0];
      w.minReplicas = k.min;
      w.maxReplicas = k.max;
      w.schedule = [{ days: 'Mon-Fri', hours: '08:00-20:00', minReplicas: Math.min(k.max, k.min + 3) }];
      w.scaleDownDelay = hysteresis ? `${k.delay}m` : '0s';
      w.scaleDownInterval = hysteresis ? `${k.interval}m` : '0s';
      w.scaleDownMargin = hysteresis ? `${k.margin}%` : '0%';
    });
    policies.set(key, policy);
  }
  return policy;
}

function decide(c: Case, options: { hysteresis: boolean } = { hysteresis: true }): Decision {
  const now = NOW + c.minuteOfWeek * MINUTE;
  const memory: Memory = buildMemory((m) => {
    if (options.hysteresis) {
      m.workers.bg = {
        recommendations: c.history.map((h) => ({ at: at(now - h.minutesAgo * MINUTE), value: h.value })),
        ...(c.lastScaleMinutesAgo === undefined ? {} : { lastScale: at(now - c.lastScaleMinutesAgo * MINUTE) }),
      };
    }
    if (c.override !== 'none') {
      m.overrides.push({
        id: 'o',
        scaler: 'workers',
        mode: c.override,
        ...(c.override === 'pin' ? { count: c.overrideCount } : {}),
        ...(c.override === 'bounds' ? { min: Math.floor(c.overrideCount / 2), max: c.overrideCount } : {}),
        reason: 'property',
        createdAt: at(now - MINUTE),
        expiresAt: at(now + MINUTE),
      });
    }
  });
  const signal = c.signal ? [true, false] : [undefined, undefined];
  return plan({
    snapshot: buildSnapshot({
      nodes: [buildNode('n1')],
      workloads: [buildDeployment('bg', c.replicas, c.ready)],
      queues: [buildQueue('clomo-jobs', c.messages, c.messages > 0 ? c.oldestSeconds : undefined), buildQueue('clomo-jobs-priority', 0)],
      pods: [...workerPods('bg', c.busy, signal[0]), ...workerPods('bg', c.idle, signal[1]).map((p) => ({ ...p, name: `${p.name}-x` }))],
    }),
    policy: policyOf(c.knobs, options.hysteresis),
    memory,
    now,
    scalers: ['workers'],
  });
}

const scalesOf = (d: Decision) => d.actions.flatMap((a) => (a.type === 'scale' ? [a] : []));
const RUNS = { numRuns: 400 };

describe('worker planner invariants', () => {
  it('never scales below the effective minimum or above the effective maximum', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const d = decide(c);
        const { minReplicas, maxReplicas } = d.summary.workers[0]!;
        expect(minReplicas).toBeLessThanOrEqual(maxReplicas);
        expect(scalesOf(d).filter((a) => a.replicas < minReplicas || a.replicas > maxReplicas)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never removes more workers than are idle, unless above a lowered maximum, and then only down to it', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const d = decide(c);
        const s = d.summary.workers[0]!;
        for (const a of scalesOf(d)) {
          if (a.rule !== 'workers-scale-down') continue;
          expect(a.replicas).toBeLessThan(a.from);
          // The busy workers stay: what is removed is at most the idle ones, but for those above a
          // lowered maximum.
          const idle = a.from - c.busy;
          const aboveMaximum = Math.max(0, a.from - s.maxReplicas);
          if (c.signal) expect(a.from - a.replicas).toBeLessThanOrEqual(Math.max(idle, aboveMaximum));
        }
      }),
      RUNS,
    );
  });

  it('scales up at once, to the same count with or without history, dead band and interval', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const gentle = scalesOf(decide(c)).filter((a) => a.rule === 'workers-scale-up');
        const bare = scalesOf(decide(c, { hysteresis: false })).filter((a) => a.rule === 'workers-scale-up');
        expect(gentle.map((a) => a.replicas)).toEqual(bare.map((a) => a.replicas));
        const s = decide(c).summary.workers[0]!;
        if (s.desired > c.replicas && c.override !== 'pause') expect(gentle.map((a) => a.replicas)).toEqual([s.desired]);
      }),
      RUNS,
    );
  });
});
