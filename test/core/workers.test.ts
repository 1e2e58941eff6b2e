import { describe, expect, it } from 'vitest';
import { BUSY, POD_DELETION_COST } from '../../core/annotations';
import type { Decision } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import type { Policy } from '../../core/policy';
import type { PodView, QueueView } from '../../core/views';
import { BUSY_DELETION_COST, IDLE_DELETION_COST, IDLE_LEAVING_DELETION_COST, IDLE_STAYING_DELETION_COST } from '../../core/workers';
import {
  MINUTE,
  NOW,
  annotated,
  at,
  workerPods,
  buildDeployment,
  buildMemory,
  buildNode,
  buildPod,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  cordoned,
  drainCandidate,
  labelled,
  onNode,
  stays,
  terminating,
} from '../builders/views';
import type { NodeView } from '../../core/views';

/** Monday 10:00 in Tokyo: inside the Mon-Fri 08:00-20:00 window (minimum 4 workers). */
const DAYTIME = Date.parse('2026-11-30T10:00:00+09:00');

function planWorkers(opts: {
  replicas: number;
  ready?: number;
  queues: QueueView[];
  pods?: PodView[];
  nodes?: NodeView[];
  memory?: Memory;
  now?: number;
  policy?: Policy;
}): Decision {
  return plan({
    snapshot: buildSnapshot({
      nodes: opts.nodes ?? [buildNode('n1')],
      workloads: [buildDeployment('bg', opts.replicas, opts.ready ?? opts.replicas)],
      queues: opts.queues,
      pods: opts.pods ?? [],
    }),
    policy: opts.policy ?? buildPolicy(),
    memory: opts.memory ?? buildMemory(),
    now: opts.now ?? NOW,
    scalers: ['workers'],
  });
}

const queues = (jobs: number, priority = 0, age?: number) => [
  buildQueue('clomo-jobs', jobs, age),
  buildQueue('clomo-jobs-priority', priority),
];
const scales = (d: Decision) =>
  d.actions.filter((a) => a.type === 'scale').map((a) => (a.type === 'scale' ? `${a.from}->${a.replicas}` : ''));
const lowFor = (value: number, minutes: number) => (m: Memory) => {
  m.workers.bg = { recommendations: [{ at: at(NOW - minutes * MINUTE), value }] };
};
/** Without the dead band, a scale-down goes to the need itself (the dead band has its own tests). */
const NO_DEAD_BAND = buildPolicy((p) => {
  p.workers[0].scaleDownMargin = '0%';
});

describe('worker planner', () => {
  const table: {
    name: string;
    replicas: number;
    jobs: number;
    priority?: number;
    age?: number;
    ready?: number;
    now?: number;
    expect: string[];
    why?: string;
  }[] = [
    {
      name: 'adds workers at once for the queue depth across both queues',
      replicas: 1,
      jobs: 30,
      priority: 6,
      expect: ['1->9'],
      why: '36 messages (waiting and in progress) / 4 per worker = 9',
    },
    { name: 'keeps at least one worker while any message waits', replicas: 0, jobs: 1, expect: ['0->1'] },
    {
      name: 'raises replicas to the schedule window minimum',
      replicas: 1,
      jobs: 0,
      now: DAYTIME,
      expect: ['1->4'],
      why: 'window Mon-Fri 08:00-20:00 raises the minimum to 4',
    },
    { name: 'never goes above maxReplicas', replicas: 10, jobs: 1000, expect: ['10->40'], why: 'capped at the maximum 40' },
    {
      name: 'adds half again when the oldest message waited longer than maxQueueDelay',
      replicas: 4,
      jobs: 8,
      age: 300,
      expect: ['4->6'],
      why: 'oldest message waited 5m > 2m',
    },
    { name: 'does not pile on while added workers are still starting', replicas: 4, ready: 2, jobs: 8, age: 300, expect: [] },
    { name: 'does nothing when the count is right', replicas: 3, jobs: 12, expect: [] },
  ];
  it.each(table)('$name', (c) => {
    const d = planWorkers({
      replicas: c.replicas,
      ready: c.ready ?? c.replicas,
      queues: queues(c.jobs, c.priority ?? 0, c.age),
      now: c.now ?? NOW,
    });
    expect(scales(d)).toEqual(c.expect);
    if (c.why) expect(d.actions[0]?.reason).toContain(c.why);
  });

  it('waits out the scale-down delay, then goes down to the highest need within it', () => {
    const early = planWorkers({ replicas: 8, queues: queues(4) });
    expect(scales(early)).toEqual([]);
    expect(early.skipped[0]?.rule).toBe('not-needed-long-enough');

    const memory = buildMemory((m) => {
      m.workers.bg = {
        recommendations: [
          { at: at(NOW - 6 * MINUTE), value: 1 },
          { at: at(NOW - 2 * MINUTE), value: 3 },
        ],
      };
    });
    const later = planWorkers({ replicas: 8, queues: queues(4), memory, policy: NO_DEAD_BAND });
    expect(scales(later)).toEqual(['8->3']);
    expect(later.summary.workers[0]).toMatchObject({ name: 'bg', current: 8, desired: 1, messages: 4 });
  });

  it('sends idle workers first by raising the deletion cost of busy ones before scaling down', () => {
    const worker = (name: string, busy: string | undefined, cost?: string) =>
      buildPod(
        name,
        onNode('n1'),
        labelled({ app: 'bg' }),
        annotated({ ...(busy ? { [BUSY]: busy } : {}), ...(cost ? { [POD_DELETION_COST]: cost } : {}) }),
      );
    const pods = [
      worker('bg-a', 'true'),
      worker('bg-b', 'false', '1000'),
      worker('bg-c', 'false'),
      worker('bg-d', 'true', '1000'),
      worker('bg-old', 'true', undefined),
    ];
    pods.push(buildPod('bg-gone', labelled({ app: 'bg' }), annotated({ [BUSY]: 'true' }), terminating));
    const d = planWorkers({ replicas: 5, queues: queues(4), pods, memory: buildMemory(lowFor(1, 6)), policy: NO_DEAD_BAND });
    expect(d.actions.map((a) => (a.type === 'set-deletion-cost' ? `${a.pod}=${a.cost}` : a.type))).toEqual([
      `bg-a=${BUSY_DELETION_COST}`,
      `bg-old=${BUSY_DELETION_COST}`,
      'bg-b=0',
      'scale',
    ]);
    expect(d.actions[3]?.reason).toContain('3 of 5 busy, idle ones go first');
  });

  it('removes idle workers on nodes about to go first and those on nodes that stay last, so the next long job starts on a node that stays', () => {
    const nodes = [
      buildNode('n-stays', stays),
      buildNode('n-plain'),
      buildNode('n-candidate', drainCandidate),
      buildNode('n-cordoned', cordoned),
    ];
    const idleOn = (name: string, node: string) => buildPod(name, onNode(node), labelled({ app: 'bg' }), annotated({ [BUSY]: 'false' }));
    const pods = [
      idleOn('bg-stays', 'n-stays'),
      idleOn('bg-plain', 'n-plain'),
      idleOn('bg-candidate', 'n-candidate'),
      idleOn('bg-cordoned', 'n-cordoned'),
      buildPod('bg-busy', onNode('n-candidate'), labelled({ app: 'bg' }), annotated({ [BUSY]: 'true' })),
    ];
    const d = planWorkers({ replicas: 5, queues: queues(4), pods, nodes, memory: buildMemory(lowFor(1, 6)), policy: NO_DEAD_BAND });
    const costs = new Map(d.actions.flatMap((a) => (a.type === 'set-deletion-cost' ? [[a.pod, a.cost] as const] : [])));
    // The ReplicaSet removes the lowest cost first: the 4 removed are the idle ones, leaving and plain before staying.
    expect(Object.fromEntries(costs)).toEqual({
      'bg-busy': BUSY_DELETION_COST,
      'bg-stays': IDLE_STAYING_DELETION_COST,
      'bg-candidate': IDLE_LEAVING_DELETION_COST,
      'bg-cordoned': IDLE_LEAVING_DELETION_COST,
    });
    expect(IDLE_LEAVING_DELETION_COST).toBeLessThan(IDLE_DELETION_COST);
    expect(IDLE_DELETION_COST).toBeLessThan(IDLE_STAYING_DELETION_COST);
    expect(IDLE_STAYING_DELETION_COST).toBeLessThan(BUSY_DELETION_COST);
    const reasons = d.actions.flatMap((a) => (a.type === 'set-deletion-cost' ? [`${a.pod}: ${a.reason}`] : []));
    expect(reasons.find((r) => r.startsWith('bg-stays'))).toContain('idle on a node that stays');
    expect(reasons.find((r) => r.startsWith('bg-candidate'))).toContain('idle on a node about to go');
    expect(scales(d)).toEqual(['5->1']);
  });

  it('says so when no worker publishes the busy annotation', () => {
    const pods = [buildPod('bg-a', onNode('n1'), labelled({ app: 'bg' }))];
    const d = planWorkers({ replicas: 3, queues: queues(0), pods, memory: buildMemory(lowFor(1, 6)), policy: NO_DEAD_BAND });
    expect(scales(d)).toEqual(['3->1']);
    expect(d.skipped.find((s) => s.rule === 'no-busy-signal')?.reason).toContain(`no bg worker publishes the ${BUSY} annotation`);
  });

  it('holds when a queue depth is unknown rather than scale on half the picture', () => {
    const d = planWorkers({ replicas: 6, queues: [buildQueue('clomo-jobs', 0)], memory: buildMemory(lowFor(1, 6)) });
    expect(d.actions).toEqual([]);
    expect(d.skipped[0]).toMatchObject({ rule: 'queue-unknown', target: 'queue/clomo-jobs-priority' });
  });

  it('refuses a missing Deployment instead of guessing', () => {
    const d = plan({
      snapshot: buildSnapshot({ nodes: [buildNode('n1')], queues: queues(10) }),
      policy: buildPolicy(),
      now: NOW,
      scalers: ['workers'],
    });
    expect(d.actions).toEqual([]);
    expect(d.refused).toEqual([
      {
        scaler: 'workers',
        field: 'workers[0].deployment',
        problem: 'worker bg: no Deployment clomo/bg in the cluster',
        fix: 'correct workers[0].namespace or .deployment (Deployments in clomo: none), or deploy it first',
      },
    ]);
  });

  it('honours a pin for one worker', () => {
    const memory = buildMemory((m) =>
      m.overrides.push({
        id: 'trip',
        scaler: 'workers',
        worker: 'bg',
        mode: 'pin',
        count: 10,
        reason: 'month-end import',
        createdAt: at(NOW),
        expiresAt: at(NOW + 60 * MINUTE),
      }),
    );
    const d = planWorkers({ replicas: 2, queues: queues(0), memory });
    expect(scales(d)).toEqual(['2->10']);
    expect(d.actions[0]?.reason).toContain('month-end import');
  });
});

describe('worker planner: gentle scale-down', () => {
  // NOW is Monday 03:00 in Tokyo: outside the daytime window, so the minimum is 1. The policy's
  // defaults: scaleDownDelay 5m, scaleDownMargin 50%, scaleDownInterval 30m.
  /** A person's override narrowing the bounds to at most `max` for the next hour. */
  const loweredMaximum = (max: number) => (m: Memory) => {
    m.overrides.push({
      id: 'db',
      scaler: 'workers',
      mode: 'bounds',
      max,
      reason: 'database maintenance',
      createdAt: at(NOW),
      expiresAt: at(NOW + 60 * MINUTE),
    });
  };
  const toZero = buildPolicy((p) => {
    p.workers[0].minReplicas = 0;
    p.workers[0].schedule = [];
  });
  const table: {
    name: string;
    replicas: number;
    busy: number;
    idle: number;
    /** Recommendations remembered: [value, minutes ago]. */
    history: [number, number][];
    lastScaleMinutesAgo?: number;
    jobs?: number;
    age?: number;
    policy?: Policy;
    memory?: (m: Memory) => void;
    expect: string[];
    rule?: string;
    why: string[];
  }[] = [
    {
      name: 'keeps every worker while all are busy, however short the queue',
      replicas: 6,
      busy: 6,
      idle: 0,
      history: [[1, 6]],
      expect: [],
      rule: 'workers-busy',
      why: ['all 6 are busy: only idle workers are removed, busy ones stay until idle'],
    },
    {
      name: 'removes only idle workers, keeping half the busy ones again idle',
      replicas: 20,
      busy: 10,
      idle: 10,
      history: [[2, 6]],
      expect: ['20->15'],
      why: [
        'need 10 busy (only idle workers are removed; the highest need in the 5m delay was 2)',
        'dead band 5 (scaleDownMargin 50% of 10) = 15',
        'removing 5 of 10 idle',
        '10 of 20 busy, idle ones go first',
      ],
    },
    {
      name: 'holds while the replicas are inside the dead band above the need',
      replicas: 14,
      busy: 10,
      idle: 4,
      history: [[2, 6]],
      expect: [],
      rule: 'within-dead-band',
      why: ['dead band 5 (scaleDownMargin 50% of 10) = 15: not above the dead band'],
    },
    {
      name: 'goes by the queue when it needs more than the busy workers',
      replicas: 20,
      busy: 2,
      idle: 18,
      history: [[8, 6]],
      expect: ['20->12'],
      why: ['need 8, the highest in the 5m scale-down delay + dead band 4 (scaleDownMargin 50% of 8) = 12', 'removing 8 of 18 idle'],
    },
    {
      name: 'waits out the scale-down interval after the last change',
      replicas: 20,
      busy: 10,
      idle: 10,
      history: [[2, 6]],
      lastScaleMinutesAgo: 10,
      expect: [],
      rule: 'scale-down-interval',
      why: ['= 15, but replicas last changed 10m ago: at most one scale-down per 30m (scaleDownInterval)'],
    },
    {
      name: 'scales down once the interval has passed',
      replicas: 20,
      busy: 10,
      idle: 10,
      history: [[2, 6]],
      lastScaleMinutesAgo: 31,
      expect: ['20->15'],
      why: ['last change 31m ago (scaleDownInterval 30m)'],
    },
    {
      name: 'waits until the lower need has held for the whole delay',
      replicas: 20,
      busy: 2,
      idle: 18,
      history: [
        [2, 6],
        [20, 3],
      ],
      expect: [],
      rule: 'not-needed-long-enough',
      why: ['but 20 were needed within it'],
    },
    {
      name: 'adds workers for the queue at once, right after a change',
      replicas: 4,
      busy: 4,
      idle: 0,
      history: [[4, 6]],
      lastScaleMinutesAgo: 1,
      jobs: 40,
      expect: ['4->10'],
      why: ['40 messages (waiting and in progress) / 4 per worker = 10'],
    },
    {
      name: 'adds half again for a waiting message at once, inside the dead band',
      replicas: 6,
      busy: 6,
      idle: 0,
      history: [[6, 6]],
      lastScaleMinutesAgo: 1,
      jobs: 8,
      age: 150,
      expect: ['6->9'],
      why: ['oldest message waited 2m30s > 2m: all 6 workers are busy, adding 3'],
    },
    {
      name: 'goes to zero with minReplicas 0: no dead band above a need of nothing',
      replicas: 3,
      busy: 0,
      idle: 3,
      history: [[0, 6]],
      jobs: 0,
      policy: toZero,
      expect: ['3->0'],
      why: ['need 0, the highest in the 5m scale-down delay + dead band 0', 'removing 3 of 3 idle'],
    },
    {
      name: 'enforces a lowered maximum at once, and says which busy workers get SIGTERM',
      replicas: 6,
      busy: 5,
      idle: 1,
      history: [[6, 1]],
      lastScaleMinutesAgo: 1,
      memory: loweredMaximum(3),
      expect: ['6->3'],
      why: ['above the maximum 3', '2 busy workers above it get SIGTERM and finish their job within their grace period'],
    },
    {
      name: 'below a lowered maximum, removes only idle workers, as far as the dead band allows',
      replicas: 10,
      busy: 2,
      idle: 8,
      history: [[1, 6]],
      lastScaleMinutesAgo: 1,
      memory: loweredMaximum(6),
      expect: ['10->3'],
      why: ['above the maximum 6, and below it to need 2 busy', '+ dead band 1 (scaleDownMargin 50% of 2) = 3'],
    },
  ];
  it.each(table)('$name', (c) => {
    const memory = buildMemory((m) => {
      m.workers.bg = {
        recommendations: c.history.map(([value, minutes]) => ({ at: at(NOW - minutes * MINUTE), value })),
        ...(c.lastScaleMinutesAgo === undefined ? {} : { lastScale: at(NOW - c.lastScaleMinutesAgo * MINUTE) }),
      };
      c.memory?.(m);
    });
    const d = planWorkers({
      replicas: c.replicas,
      queues: queues(c.jobs ?? 4, 0, c.age),
      pods: [...workerPods('bg', c.busy, true), ...workerPods('bg', c.idle, false)],
      memory,
      ...(c.policy ? { policy: c.policy } : {}),
    });
    expect(scales(d)).toEqual(c.expect);
    const said = c.rule ? d.skipped.find((s) => s.rule === c.rule)?.reason : d.actions.find((a) => a.type === 'scale')?.reason;
    for (const text of c.why) expect(said).toContain(text);
    if (c.expect.length === 0) expect(d.actions).toEqual([]);
  });

  it('ends the flapping of long jobs: a waiting message adds workers once, and they stay while busy', () => {
    // Today's pattern: three long jobs keep three workers busy while the queue's depth asks for 2;
    // each time every worker is busy, a message waits past maxQueueDelay (2m).
    let replicas = 3;
    let memory = buildMemory();
    const changes: string[] = [];
    for (let tick = 0; tick < 240; tick++) {
      const now = NOW + tick * 30_000;
      const busy = Math.min(replicas, 3 + (tick % 20 < 10 ? 1 : 0));
      const waiting = busy === replicas && tick % 14 === 13;
      const d = plan({
        snapshot: buildSnapshot({
          nodes: [buildNode('n1')],
          workloads: [buildDeployment('bg', replicas)],
          queues: queues(5, 0, waiting ? 130 : 5),
          pods: [...workerPods('bg', busy, true), ...workerPods('bg', replicas - busy, false)],
        }),
        policy: buildPolicy(),
        memory,
        now,
        scalers: ['workers'],
      });
      for (const a of d.actions) {
        if (a.type !== 'scale') continue;
        changes.push(`${a.from}->${a.replicas}`);
        expect(a.replicas).toBeGreaterThanOrEqual(Math.min(a.from, busy));
        replicas = a.replicas;
      }
      memory = d.memory;
    }
    // Two hours: one scale-up; the added workers are kept as the dead band above the busy ones.
    expect(changes).toEqual(['3->5']);
  });
});
