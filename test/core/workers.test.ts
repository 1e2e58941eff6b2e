import { describe, expect, it } from 'vitest';
import { BUSY, POD_DELETION_COST } from '../../core/annotations';
import type { Decision } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import type { PodView, QueueView } from '../../core/views';
import { BUSY_DELETION_COST } from '../../core/workers';
import {
  MINUTE,
  NOW,
  annotated,
  at,
  buildDeployment,
  buildMemory,
  buildNode,
  buildPod,
  buildPolicy,
  buildQueue,
  buildSnapshot,
  labelled,
  onNode,
  terminating,
} from '../builders/views';

/** Monday 10:00 in Tokyo: inside the Mon-Fri 08:00-20:00 window (minimum 4 workers). */
const DAYTIME = Date.parse('2026-11-30T10:00:00+09:00');

function planWorkers(opts: {
  replicas: number;
  ready?: number;
  queues: QueueView[];
  pods?: PodView[];
  memory?: Memory;
  now?: number;
}): Decision {
  return plan({
    snapshot: buildSnapshot({
      nodes: [buildNode('n1')],
      workloads: [buildDeployment('bg', opts.replicas, opts.ready ?? opts.replicas)],
      queues: opts.queues,
      pods: opts.pods ?? [],
    }),
    policy: buildPolicy(),
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
    const later = planWorkers({ replicas: 8, queues: queues(4), memory });
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
    const d = planWorkers({ replicas: 5, queues: queues(4), pods, memory: buildMemory(lowFor(1, 6)) });
    expect(d.actions.map((a) => (a.type === 'set-deletion-cost' ? `${a.pod}=${a.cost}` : a.type))).toEqual([
      `bg-a=${BUSY_DELETION_COST}`,
      `bg-old=${BUSY_DELETION_COST}`,
      'bg-b=0',
      'scale',
    ]);
    expect(d.actions[3]?.reason).toContain('3 of 5 busy, idle ones go first');
  });

  it('says so when no worker publishes the busy annotation', () => {
    const pods = [buildPod('bg-a', onNode('n1'), labelled({ app: 'bg' }))];
    const d = planWorkers({ replicas: 3, queues: queues(0), pods, memory: buildMemory(lowFor(1, 6)) });
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
