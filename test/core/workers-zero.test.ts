// Workers down to zero and back: with minReplicas 0, an empty queue takes the last worker away after
// the scale-down delay, and a message brings one back at once (from `activationMessages`, default 1).

import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision';
import type { Memory } from '../../core/memory';
import { plan } from '../../core/plan';
import { MINUTE, NOW, buildDeployment, buildMemory, buildNode, buildPolicy, buildQueue, buildSnapshot } from '../builders/views';

const toZero = (activationMessages?: number) =>
  buildPolicy((p) => {
    p.workers[0].minReplicas = 0;
    p.workers[0].schedule = [];
    if (activationMessages !== undefined) p.workers[0].activationMessages = activationMessages;
  });

function tick(replicas: number, messages: number, now: number, memory: Memory, policy = toZero()): Decision {
  return plan({
    snapshot: buildSnapshot({
      nodes: [buildNode('n1')],
      workloads: [buildDeployment('bg', replicas)],
      queues: [buildQueue('clomo-jobs', messages), buildQueue('clomo-jobs-priority', 0)],
    }),
    policy,
    memory,
    now,
    scalers: ['workers'],
  });
}
const scales = (d: Decision) => d.actions.flatMap((a) => (a.type === 'scale' ? [`${a.from}->${a.replicas}`] : []));

describe('worker scaler: to zero and back', () => {
  it('takes the last worker away only after the scale-down delay of an empty queue', () => {
    let memory = buildMemory();
    const seen: string[][] = [];
    for (let minute = 0; minute <= 5; minute++) {
      const d = tick(1, 0, NOW + minute * MINUTE, memory);
      seen.push(scales(d));
      memory = d.memory;
    }
    // The 5m delay: nothing for five minutes of an empty queue, then 1 -> 0.
    expect(seen).toEqual([[], [], [], [], [], ['1->0']]);
  });

  it('brings one worker back at once for a single message', () => {
    const d = tick(0, 1, NOW, buildMemory());
    expect(scales(d)).toEqual(['0->1']);
  });

  it('waits for activationMessages before starting the first worker, and says why', () => {
    const policy = toZero(5);
    const few = tick(0, 4, NOW, buildMemory(), policy);
    expect(scales(few)).toEqual([]);
    expect(few.summary.workers[0]?.desired).toBe(0);
    const enough = tick(0, 5, NOW, buildMemory(), policy);
    expect(scales(enough)).toEqual(['0->2']);
  });

  it('keeps a running worker for a message below the activation threshold', () => {
    const d = tick(1, 2, NOW, buildMemory(), toZero(5));
    expect(scales(d)).toEqual([]);
    expect(d.summary.workers[0]?.desired).toBe(1);
  });
});
